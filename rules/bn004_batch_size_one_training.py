"""BN004 batch-size-one-training."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from bnlint import catalogue
from bnlint.rule import Report, Rule, clip, fit_headline, layer_kind
from bnlint.semantic import call_arg
from bnlint.semantic.batches import iterated
from bnlint.semantic.models import forwarding_calls, helper_model_calls, instance_class
from bnlint.semantic.values import entries_read_at

_SINGLE_EXAMPLE_CONSEQUENCE = (
    "With one example per batch the batch mean is the example itself, so BatchNorm's output is "
    "(x - x) / sqrt(0 + eps) = 0 wherever it normalizes a single value per channel (PyTorch raises "
    "'Expected more than 1 value per channel when training'). Otherwise its statistics and running "
    "averages come from one image.")


class BatchSizeOneTraining(Rule):
    """
    ## What it does
    Finds a model containing BatchNorm trained (or run in training mode) on batches of one:
    - Keras `model.fit(..., batch_size=1)` (also KerasTuner's `tuner.search(..., batch_size=1)`,
      which fits the models its `build(hp)` function returns), or `model.fit(data)` (also `fit_generator`)
      where the `tf.data` dataset was built with `.batch(1)`, or the data comes from an
      `ImageDataGenerator`'s `flow`/`flow_from_directory`/`flow_from_dataframe` or from
      `image_dataset_from_directory` with `batch_size=1`;
    - a custom training loop over such data whose body runs a `tf.GradientTape` step of a
      model with BatchNormalization (the tape inline, in a step function the loop calls, or in
      one a distribution strategy runs, `strategy.run(self.train_step, args=...)`, over
      `strategy.experimental_distribute_dataset(ds)`); the batch size may reach `.batch()`
      through a dataset class's constructor (`RecordDataset(pattern, 1).prepare()`);
    - a PyTorch `DataLoader` whose batch size is 1 (written, through argparse defaults, config
      values or a `**kwargs` dict, or absent: PyTorch's default is 1; also one made by a
      `functools.partial(DataLoader, num_workers=8)` factory of this module or another that
      neither it nor the call gives a batch size) iterated by a loop that
      calls `backward()` and calls a model with BatchNorm that is not in eval mode there (a
      model whose class, or a mixin it derives from, overrides `train()` to put its BatchNorm
      layers back in eval mode keeps them there, Detectron-style); the
      loader is followed through names, `self.loader` and the parameters of training
      functions. The finding points at the DataLoader when this module builds it, with the
      place the 1 is written as evidence (`BATCH_SIZE = 1` at the top, an option's default); at
      the 1 itself when a call picks it for a loader helper that takes the size as a parameter
      (`make_loader(ds, 1)`), and when the loader is built in another module. A loader handed to another
      module's training function (`train_model(model, {"train": loader, ...})`,
      `Solver(config, loader).train()`, `trainer.train(epoch, loader)`, `Learner(model=net,
      train_loader=loader)` with the model given by the same call, also to a subclass that
      inherits the constructor) is reported in the module that makes it, with the training
      loop there as evidence; so is a loader with batch size 1 another module's training loop
      reads from a container (`train_loader = DataLoader(ds, batch_size=1)` at the top of
      dataset.py, handed on in a dict a third module builds, `settings["loader"]`), where the 1
      is written there, besides the finding at the loop;
    - Keras `fit`/`train_on_batch` on one example made a batch (`X[i:i + 1]`,
      `x[np.newaxis]`, `np.expand_dims(x, 0)`, `x.reshape(1, -1)`, `np.array([x])`), and a
      `keras.utils.Sequence` whose `batch_size` is 1 (given, or its default; also a subclass
      that hands its `**kwargs` to the base class keeping `self.batch_size = int(batch_size)`,
      given to `fit_generator(generator=...)`);
    - Keras `fit`/`train_on_batch` called once per transition of a replay sample (`for state,
      action, reward, next_state, done in random.sample(self.memory, 32): model.fit(state, ...)`,
      the DQN tutorials' shape), a warning: each step fits one stored state;
    - Keras `train_on_batch` on arrays whose first dimension is 1 (`np.ones((batch_size, 1))`
      with `batch_size=1` passed by the caller), and TF1 input queues (`tf.train.batch`,
      `shuffle_batch`) with `batch_size` 1 feeding a graph trained in training mode; in such a
      graph (its batch norm built here or by a helper or network class of another module,
      `batch_norm(conv2d(...))` of `from ops import *`), also a placeholder whose shape fixes the
      batch to the program's batch size of 1 (`tf.placeholder(tf.float32, [self.batch_size, h, w,
      3])` given `batch_size=args.batch_size` with the option's default 1; a literal `[1, h, w, 3]`
      is the usual sampling placeholder and is not reported), and a `feed_dict` batch the loop
      around a train-op step draws from generators batching one example (`for a, b in
      zip(source_gen, target_gen)`);
    - a hand-written data generator (a function or method that `yield`s) whose batch size is
      1: a `batch_size`/`bs` parameter given 1 or defaulting to it, `self.batch_size` set from
      the constructor (`Trainer(batch_size=1)`), or the script's own `batch_size` global
      (`batch_size = params.batch_size` with `batch_size = 1` in a settings module, reported at
      the generator handed to `fit`), feeding Keras `fit`, `train_on_batch` (a batch drawn with
      `next(gen_batch(X, Y, batch_size))`, the generator also of another module), a custom
      `GradientTape` loop (`for a, b in self.loader.load_batch(batch_size)` with the loader class
      of another module; also a `tf.data.Dataset.from_generator(lambda: gen.batches(1))` over a
      generator method an instance of another module's class inherits) or a PyTorch training loop;
    - PyTorch Lightning: a `LightningModule` with BatchNorm trained by `trainer.fit` from a
      DataLoader of batches of one (passed to `fit`, or returned by its `train_dataloader()`);
      a loader another project module makes at its top level and the training module imports
      (`from data.faces import train_loader`) is reported where it is trained, with the loader
      there as evidence; a LightningDataModule of another module whose loader takes the batch
      size this module gives it (`ClipsDataModule(root, batch_size=opts.bs)`, `--bs` defaulting
      to 1) is reported where this module writes the 1, else at the `fit` that pairs them;
    - a custom `GradientTape` loop over a dataset another module's builder batches with 1
      (`.batch(BATCH_SIZE)` with `BATCH_SIZE = 1` star-imported from a settings module),
      reported at the call that builds the dataset;
    - Keras `fit(x, y, **HPARAMS["train"])`: a batch size a spread `**dict` gives;
    - a DataLoader of this module whose batch size another module writes (the `--batch-size`
      default of the parser an options module's `train_options()` returns, handed through
      `fit(net, data, batch_size=args.batch_size)`): reported at the DataLoader, with the default
      and the call that hands it on as evidence (a module that builds several parsers is read
      per parser: the test parser's default is not the training one's);
    - the layout of the image-to-image translation frameworks (pix2pix, CycleGAN, vid2vid): an
      options class whose base class adds `--batchSize` with default 1 (`opt =
      TrainOptions().parse()`), a loader object another module's factory makes (`data_loader =
      CreateDataLoader(opt); dataset = data_loader.load_data()`, returning the `DataLoader` it
      keeps, in a `data/` package), and a model object whose `optimize_parameters()` runs
      backward() through a generator whose norm layer a helper picks by an option
      (`get_norm_layer(norm_type=opt.norm)` with `--norm` defaulting to "batch"), or a model
      `create_model(opt)` picks by the options this script passes (`if opt.isTrain: model =
      Pix2PixHDModel()`, `self.opt.isTrain = self.isTrain` set by the training options; wrapped in
      `torch.nn.DataParallel`, or not when `--fp16` is off); a default a module of the checkout may change
      (`parser.set_defaults(batchSize=16)` in a model's `modify_commandline_options`) is not read as
      the value, and with `--norm instance` there is no BatchNorm to report;
    - library training loops run over such a DataLoader: segmentation_models_pytorch's
      `TrainEpoch(model, ...).run(loader)`, ignite's `create_supervised_trainer(model, ...)
      .run(loader)` (both put the model in training mode), an ignite `Engine(update)` whose update
      function (of the module, also made by a factory of it) calls `backward()`; HuggingFace's `Trainer(model,
      args=TrainingArguments(per_device_train_batch_size=1)).train()`;
    - a training step without a loop of its own (backward() and an optimizer step in a
      method an outer loop calls once per transition, `agent.learn(obs, ...)`) that runs the
      model on one example (a warning: the calling loop is not in sight);
    - a single example made into a batch (`x.unsqueeze(0)`, `x[None]`,
      `np.expand_dims(x, 0)`, a tensor made with a first dimension of 1, also by a helper of
      another module, `self.code = make_input(32, h, w)` returning `torch.zeros([1, c, h, w])`,
      stored on `self`) passed to such a model inside such a loop (deep-image-prior-style fitting
      of a network to one fixed input included: its BatchNorm statistics come from one image);
    - TF1/TensorLayer: an array whose first dimension can be 1 fed (`feed_dict`) to a graph
      whose BatchNorm layers are built in training mode (`is_train=True`, `training=True`,
      `tf.contrib.layers.batch_norm`'s default `is_training=True`), as in a reported TensorLayer case.

    Batch size one at inference (`model.eval()`, `training=False`, `predict`) is correct and
    is not reported, nor is a Keras model whose BatchNormalization layers are all set
    `trainable = False` before `fit` (in a loop over its layers picking them by type or name,
    here or in a helper of another module given the model): TF2 Keras runs such layers in
    inference mode. A `DataLoader` whose last batch may hold one example (`drop_last=False`)
    is not reported either: whether it happens depends on the dataset's length. Nor is a
    template's loop that trains on tensors made up in the code, inputs and targets both
    (`out = model(torch.randn(1, 1, 16000))`, `criterion(out, torch.tensor([1]))`): it checks
    that the code runs and trains on no data.

    ## Why is this bad?
    In training mode BatchNorm normalizes with the statistics of the current batch. With one
    example, the mean over the batch dimension is that example: for a dense layer, or a conv
    feature map of 1x1, `x - mean` is exactly 0 and every output is `beta` (a reported TensorLayer case: all
    logits 0 with batch size 1, normal with 2). PyTorch refuses it for 2-D inputs ("Expected
    more than 1 value per channel when training"). With larger feature maps the statistics
    come from a single image, so training is noisy and the running averages used at inference
    do not describe the data.

    ## Example
    ```python
    loader = DataLoader(train_set, batch_size=1, shuffle=True)   # BN004
    model.train()
    for images, labels in loader:
        loss = criterion(model(images), labels)
        loss.backward()
    ```
    Use instead: `batch_size=32` (or more); for per-example training, replace BatchNorm with
    GroupNorm/LayerNorm, or freeze it (`model.eval()` for the BN layers).

    ## Fix
    Train with batches of several examples (16 or more is a common lower bound for BN), or use
    a normalization that does not depend on the batch (GroupNorm, LayerNorm, InstanceNorm).

    **No automatic fix:** the batch size is a training choice (memory, data) that only the author
    can make, and switching the normalization changes the model.

    ## Framework versions
    All versions of TensorFlow/Keras (TF1 graphs, TF2 and Keras 3), PyTorch and TensorLayer.

    ## References
    - https://github.com/pytorch/pytorch/issues/1381 (batch size 1 with BatchNorm)
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html
    - https://pytorch.org/docs/stable/data.html (DataLoader: batch_size, drop_last)
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization
    - https://www.tensorflow.org/api_docs/python/tf/keras/preprocessing/image/ImageDataGenerator
      (`flow_from_directory(..., batch_size=32)`: the size of the batches of data)
    - A reported case: a TensorLayer conv net with is_train=True run with batch size 1
    """

    code = "BN004"
    name = "batch-size-one-training"
    severity = "E"
    summary = "a model with BatchNorm is trained on batches of one example"
    # a training loop (`backward`, a GradientTape step) alone may be enough: its loader or dataset
    # can come from another module; so may Keras `fit` (on `X[i:i + 1]`, a Sequence, Lightning's
    # `trainer.fit`)
    # (a library runner trains too: ignite's `create_supervised_trainer(model, ...).run(loader)` with
    # the loader built by another module's helper names neither a batch nor backward)
    _RUNNERS = tuple(qual.rpartition(".")[2] for qual in (*catalogue.LIBRARY_TRAINING_RUNNERS, *catalogue.HF_TRAINERS,
                                                         *catalogue.KERAS_TUNERS))
    requires = catalogue.BATCH_SOURCE_WORDS + ("backward", "fit", "GradientTape", catalogue.LIGHTNING_CLI) + _RUNNERS
    # (or a loader: a module may hand its loader to another module's training function)
    requires_also = catalogue.TRAINING_STEP_WORDS + ("loader", "Loader", catalogue.LIGHTNING_CLI) + _RUNNERS

    def check(self, model):
        yield from self._keras_fit(model)
        yield from self._tape_loops(model)
        yield from self._torch_loops(model)
        yield from self._loaders_trained_elsewhere(model)
        yield from self._torch_steps(model)
        yield from self._loaders_passed_to_training(model)
        yield from self._lightning(model)
        yield from self._lightning_cli(model)
        yield from self._library_runners(model)
        yield from self._hf_trainer(model)
        yield from self._tf1_feeds(model)

    # ---- Keras --------------------------------------------------------------------------
    def _keras_fit(self, model):
        reported = set()
        for call in model.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr in ("fit", "fit_generator", "train_on_batch", "search")):
                continue
            contents = model.models.contents_of(func.value)  # (a KerasTuner tuner `search`es its models)
            if contents is None or not contents.bn or contents.framework != "keras":
                continue
            if model.models.norm_layers_frozen(func.value, call) is not None:
                continue  # its BatchNormalization layers are frozen: they run in inference mode
            layer, where = contents.bn_evidence[0]
            owner, short = model.text(func.value, 20), layer_kind(layer)
            contains = (f"`{model.text(func.value, 30)}` contains {layer}", where)
            single = model.batches.one_example(call_arg(call, "x", 0)) if call_arg(call, "x", 0) is not None else None
            if single is not None:
                # `model.fit(X[i:i + 1], ...)`, `train_on_batch(x[np.newaxis], ...)`: one example per step
                yield Report(
                    single,
                    fit_headline(f"`{owner}` has {short} and is trained by `{func.attr}` on one example, "
                                 f"`{model.text(single, 25)}`",
                                 f"`{owner}` is trained by `{func.attr}` on one example, `{model.text(single, 25)}`"),
                    evidence=[contains, (f"`{model.text(func, 40)}` trains on it here", call)],
                    why=f"`{model.text(single, 30)}` makes a single example into a batch for `{owner}`'s training "
                        f"step. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Batch several examples (16 or more) per step",
                )
                continue
            sampled = model.batches.replay_transition(call_arg(call, "x", 0))
            if sampled is not None and func.attr in ("fit", "train_on_batch"):
                # `for state, action, reward, next_state, done in random.sample(self.memory, 32):
                # ... self.model.fit(state, target_f, epochs=1)`: one stored transition per step
                yield Report(
                    call,
                    fit_headline(f"`{owner}` has {short} and is trained by `{func.attr}` on one replay transition "
                                 f"at a time",
                                 f"`{owner}` is trained by `{func.attr}` on one replay transition at a time"),
                    evidence=[contains, (f"`{model.text(call_arg(call, 'x', 0), 30)}` is one element of the "
                                         f"sample drawn here", sampled)],
                    why=f"Each `{func.attr}` call gets the state of a single transition from the replay sample, so "
                        f"every training step is a batch of one (DQN agents store each state as a batch of one). "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Stack the sampled states and targets and fit them in one call",
                    severity="W",
                )
                continue
            drawn = [size for size in model.batches.drawn_batch_sizes(call_arg(call, "x", 0)) if size.value == 1] \
                if func.attr in ("fit", "train_on_batch") else []
            if drawn:
                # `X_gen, y = next(gen_batch(X, Y, batch_size))` with `batch_size = 1`: each step
                # trains on the one example the generator yields
                size = drawn[0]
                yield Report(
                    _local_origin(model, size.node) or call,
                    fit_headline(f"`{owner}` has {short} and is trained by `{func.attr}` on batches of one",
                                 f"`{owner}` is trained by `{func.attr}` on batches of one"),
                    evidence=[contains, (f"`{model.text(call_arg(call, 'x', 0), 30)}` drawn with {size.how} here",
                                         size.source),
                              (f"`{model.text(func, 40)}` trains on it here", call)],
                    why=f"`{model.text(call_arg(call, 'x', 0), 30)}` is drawn from data batched by one. "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Draw batches of 16 or more examples",
                )
                continue
            if func.attr == "train_on_batch":
                for argument in call.args[:2]:
                    found = model.batches.array_of_one(argument)
                    if found is None:
                        continue
                    note, written = found
                    key = id(written)
                    if key in reported:
                        break
                    reported.add(key)
                    # at the training step, the 1 as evidence (`def train(..., n_batch=1)`), unless a
                    # call picks it for this training (`train(d, g, gan, data, n_batch=1)`)
                    apart = written is not None and written in model.index.parents \
                        and not _given_by_a_call(model, written) and not _in_statement_of(model, written, call)
                    yield Report(
                        call if apart else written,
                        fit_headline(f"`{owner}` has {short} and is trained by `train_on_batch` on one example",
                                  f"`{owner}` is trained by `train_on_batch` on one example"),
                        evidence=[contains, *([("the 1 written here", written)] if apart else []),
                                  (f"`{model.text(func, 40)}` trains on `{model.text(argument, 30)}` here", call)],
                        why=f"`{model.text(argument, 30)}` {note}, so a training step sees one example. "
                            + _SINGLE_EXAMPLE_CONSEQUENCE,
                        fix_title="Train on batches of 16 or more examples",
                    )
                    break
                continue
            given = model.values.given(call, "batch_size", 2 if func.attr != "search" else None)
            if isinstance(given, tuple) and model.const(given[0], given[1]) == 1:
                size, _scope, spread = given
                place, evidence = size, [contains]
                if spread:
                    # `fit(x, y, **HPARAMS["train"])`: at the 1 where the dict is written in this
                    # module, else at the call, with the dict's other module as evidence
                    spread_dict = next(k.value for k in call.keywords if k.arg is None)
                    local = size in model.index.parents
                    place = model.values.where_written(size, 1) if local else call
                    evidence.append((f"`{model.text(func, 30)}` gets batch_size=1 from "
                                     f"`**{model.text(spread_dict, 30)}` here", call))
                    if not local and hasattr(size, "bnlint_path"):
                        # (a member of another module's dict: a typed location there)
                        evidence.append(("batch_size: 1 written here", size))
                yield Report(
                    place,
                    fit_headline(f"`{owner}` has {short} and is trained by `{func.attr}` with batch_size=1",
                                 f"`{owner}` is trained by `{func.attr}` with batch_size=1"),
                    evidence=evidence,
                    why=_SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Use a batch size of 16 or more",
                )
                continue
            data = call_arg(call, "x", 0) or call_arg(call, "generator")  # (`fit_generator(generator=gen)`)
            pipeline = model.batches.pipeline_batch_size(data) if data is not None else None
            size, batch = pipeline if pipeline is not None else (None, None)
            foreign = model.batches.foreign_pipeline_size(data) if pipeline is None and data is not None else None
            if foreign is not None and foreign[0] == 1:
                # `model.fit(full_resolution_dataset(root, "train"))`, the `.batch(1)` in data.py
                _value, written, batched = foreign
                made = data if isinstance(data, ast.Call) else model.values.origins(data)[0][0]
                # (where this module writes the 1 the builder reads, `HPARAMS = {"batch_size": 1}`,
                # else at the call that builds the dataset without a batch size of its own)
                yield Report(
                    _local_origin(model, written) or (made if made in model.index.parents else data),
                    fit_headline(f"`{owner}` has {short} and is trained by `{func.attr}` on a dataset batched with "
                                 f"1 in `{model.text(made.func, 30)}()`",
                                 f"`{owner}` is trained by `{func.attr}` on batches of one"),
                    evidence=[contains, ("batch size 1 given here", written),
                              (f"`{model.text(func, 30)}` called with the dataset here", call)],
                    why=f"The data `{model.text(made.func, 30)}()` returns comes one example per batch. "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Batch the data with 16 or more examples",
                )
                continue
            if size is not None and model.const(size) == 1:
                batched = _batching(model, size, batch)
                place, apart = _site_or_value(model, model.values.where_written(size, 1), batch, size, size) \
                    if _is_batch_call(batch) else (model.values.where_written(size, 1), None)
                given = [("the batch size is 1, written here", apart)] if apart is not None else [
                    ("batch size given here", batch)]
                generator = model.index.local_callee(batch)
                read_inside = generator is not None and size in model.index.parents and any(
                    a is generator[0] for a in model.index.ancestors(size))
                if read_inside and not isinstance(place, ast.Constant):
                    # a generator reading the script's `batch_size = params.batch_size`, the 1 in
                    # another module: at the generator handed to `fit`, with that module as evidence
                    written = place
                    place, batched = batch, f"`{model.text(batch.func, 30)}()` (`{model.text(size, 20)}` = 1)"
                    given = [(f"`{model.text(size, 20)}` is 1 here",
                              model.values.project_origin(written) or written)]
                yield Report(
                    place,
                    fit_headline(f"`{owner}` has {short} and is trained by `{func.attr}` on a dataset batched with "
                                 f"{batched}",
                                 f"`{owner}` has {short} and is trained by `{func.attr}` on {batched} batches",
                                 f"`{owner}` is trained by `{func.attr}` on {batched} batches"),
                    evidence=[contains, *_constant_origin(model, size), *given,
                              (f"`{model.text(func, 30)}` called with the dataset here", call)],
                    why=f"The data passed to `{model.text(func, 30)}` comes one example per batch. "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Batch the data with 16 or more examples",
                )

    # ---- tf.data batches driving a custom GradientTape training step ------------------------
    def _tape_loops(self, model):
        if "GradientTape" not in model.source:
            return
        steps = {}  # function holding a training tape -> [(model call, contents, tape)]
        training = model.training
        for tape in training.tapes:
            if not tape.is_training_step:
                continue
            for call, _source, _via in training.model_calls(tape):
                contents = model.models.contents_of(call.func)
                if contents is not None and contents.bn and contents.framework == "keras" and contents.bn_evidence:
                    steps.setdefault(model.index.enclosing_function(tape.node), []).append((call, contents, tape.node))
        if not steps:
            return
        reported = set()
        for loop in model.index.loops:
            if not isinstance(loop, (ast.For, ast.AsyncFor)):
                continue
            step = self._step_driven(model, loop, steps)
            if step is None:
                continue
            for iterable in iterated(loop.iter):
                pipeline = model.batches.pipeline_batch_size(iterable)
                size, batch = pipeline if pipeline is not None else (None, None)
                if size is None:
                    # the dataset parameter of a training function another module calls
                    # (`train(train_dataset.batch(1), ...)` in the script)
                    for passed in model.batches.external_pipeline_sizes(iterable):
                        if passed.value == 1 and id(loop) not in reported:
                            reported.add(id(loop))
                            yield self._elsewhere_report(model, loop, iterable, passed, step)
                    foreign = model.batches.foreign_pipeline_size(iterable)
                    if foreign is not None and foreign[0] == 1 and id(loop) not in reported:
                        # `train_ds = load_train(paths)`, the `.batch(BATCH_SIZE)` in data.py
                        reported.add(id(loop))
                        yield self._foreign_pipeline_report(model, loop, iterable, foreign, step)
                    if id(loop) not in reported:
                        # a hand-written generator (`self.data_loader.load_batch(batch_size)`) whose
                        # batch size is 1
                        generated = [s for s in model.batches.loader_batch_sizes(iterable) if s.value == 1]
                        if generated:
                            reported.add(id(loop))
                            yield self._generator_report(model, loop, iterable, generated[0], step)
                    continue
                if model.const(size) != 1:
                    continue
                written = model.values.where_written(size, 1)
                if id(written) in reported:
                    continue
                reported.add(id(written))
                place, apart = _site_or_value(model, written, batch, size, size) if _is_batch_call(batch) \
                    else (written, None)
                called, contents = step
                layer, where = contents.bn_evidence[0]
                name, batched = model.text(called.func, 20), _batching(model, size, batch)
                yield Report(
                    place,
                    fit_headline(f"`{name}` has {layer_kind(layer)} and trains on {batched} batches of one",
                                 f"`{name}` trains on {batched} batches of one"),
                    evidence=[(f"`{model.text(called.func, 30)}` contains {layer}", where),
                              *_constant_origin(model, size),
                              *([("the batch size is 1, written here", apart)] if apart is not None
                                else [("dataset batched here", batch)]),
                              ("dataset iterated here", loop.iter),
                              (f"`{model.text(called.func, 30)}` called in the GradientTape here", called)],
                    why=f"The loop's data is batched with {_batching(model, size, batch, 30)}, which is 1, and "
                        f"every batch goes through a GradientTape training step of `{name}`. "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Batch the dataset with 16 or more examples",
                )

    @staticmethod
    def _elsewhere_report(model, loop, iterable, passed, step):
        called, contents = step
        layer, where = contents.bn_evidence[0]
        name = model.text(called.func, 20)
        source = model.text(iterable, 30)
        return Report(
            iterable,
            fit_headline(f"`{name}` has {layer_kind(layer)} and trains on batches of one from `{source}`",
                         f"`{name}` trains on batches of one from `{source}`"),
            evidence=[(f"`{model.text(called.func, 30)}` contains {layer}", where),
                      (f"the dataset batched with a batch size of 1 there: {passed.how}", passed.node),
                      (f"`{model.text(called.func, 30)}` called in the GradientTape here", called)],
            why=f"The dataset another module passes here (`{source}`) is batched with a batch size of 1, and every "
                f"batch goes through a GradientTape training step of `{name}`. " + _SINGLE_EXAMPLE_CONSEQUENCE,
            fix_title="Batch the dataset with 16 or more examples where it is built",
        )

    @staticmethod
    def _generator_report(model, loop, iterable, size, step):
        called, contents = step
        layer, where = contents.bn_evidence[0]
        name = model.text(called.func, 20)
        source = model.text(iterable, 30)
        written = size.node if size.node in model.index.parents else None
        place = model.values.where_written(written, 1) if written is not None else None
        return Report(
            place if place is not None and place in model.index.parents else iterable,
            fit_headline(f"`{name}` has {layer_kind(layer)} and trains on batches of one from `{source}`",
                         f"`{name}` trains on batches of one from `{source}`"),
            evidence=[(f"`{model.text(called.func, 30)}` contains {layer}", where),
                      (f"`{source}` yields {size.how}", size.node), ("iterated here", loop.iter),
                      (f"`{model.text(called.func, 30)}` called in the GradientTape here", called)],
            why=f"`{source}` yields batches of one example, and every batch goes through a GradientTape training "
                f"step of `{name}`. " + _SINGLE_EXAMPLE_CONSEQUENCE,
            fix_title="Generate batches of 16 or more examples",
        )

    @staticmethod
    def _foreign_pipeline_report(model, loop, iterable, foreign, step):
        called, contents = step
        layer, where = contents.bn_evidence[0]
        name = model.text(called.func, 20)
        _value, written, batched = foreign
        made = iterable if isinstance(iterable, ast.Call) else model.values.origins(iterable)[0][0]
        builder = model.text(made.func, 30)
        return Report(
            _local_origin(model, written) or (made if made in model.index.parents else iterable),
            fit_headline(f"`{name}` has {layer_kind(layer)} and trains on a dataset batched with 1 in `{builder}()`",
                         f"`{name}` trains on batches of one from `{builder}()`"),
            evidence=[(f"`{model.text(called.func, 30)}` contains {layer}", where),
                      ("batch size 1 given here", written), ("dataset iterated here", loop.iter),
                      (f"`{model.text(called.func, 30)}` called in the GradientTape here", called)],
            why=f"The dataset `{builder}()` returns comes one example per batch, and every batch goes through a "
                f"GradientTape training step of `{name}`. " + _SINGLE_EXAMPLE_CONSEQUENCE,
            fix_title="Batch the dataset with 16 or more examples where it is built",
        )

    @staticmethod
    def _step_driven(model, loop, steps):
        """The training step the loop runs: a training tape inside its body, or a function holding
        one that its body calls, directly or through the module's own helpers and methods
        (`self.train_batch(x, y)`, `train_epoch()` calling `train_step()`)."""
        for found in steps.values():
            for called, contents, tape in found:
                if any(a is loop for a in model.index.ancestors(tape)):
                    return called, contents
        pending = [c for c in model.models.calls_within(model.index.enclosing_function(loop) or model.index.tree)
                   if any(a is loop for a in model.index.ancestors(c))]
        seen = set()
        while pending and len(seen) < 50:
            call = pending.pop()
            callee = model.index.local_callee(call)
            # (`self.strategy.run(self.train_step, args=(x, y))`: the step a distribution strategy runs)
            for function in ([callee[0]] if callee is not None else []) + model.index.functions_handed_on(call):
                if function in seen:
                    continue
                seen.add(function)
                if function in steps:
                    return steps[function][0][:2]
                pending.extend(model.models.calls_within(function))
        return None

    # ---- PyTorch --------------------------------------------------------------------------
    def _torch_loops(self, model):
        for report, _size in self._torch_loop_reports(model):
            yield report

    def _torch_loop_reports(self, model):
        """(finding, the batch size it is about, or None for a single example) for each PyTorch
        training loop of the module that trains on batches of one."""
        flow = model.torchflow
        reported = set()
        for loop in flow.training_loops:
            models = flow.trained_models(loop)
            if not models:
                continue
            for iterable in loop.iterables:
                # a loader another module passes in is reported there, where it is made
                sizes = [size for size in model.batches.loader_batch_sizes(iterable)
                         if size.value == 1 and not size.passed_in]
                called, contents = models[0]
                layer, where = contents.bn_evidence[0]
                # (`model.optimize(data)` of a trainer object: the object holding the networks)
                name = model.text(called.func.value if isinstance(called.func, ast.Attribute)
                                  and flow.trainer_method_model(called) is not None else called.func, 20)
                for size in sizes:
                    # the size is written in another module (a loader helper's own constant); a helper
                    # there that takes the size as a parameter has it written here, at the call
                    elsewhere = hasattr(size.node, "bnlint_path") and hasattr(size.source, "bnlint_path")
                    written_here = None
                    if elsewhere:
                        node = iterable
                    elif hasattr(size.node, "bnlint_path"):
                        # a value of a config file (`DataLoader(ds, **cfg["loader"])` of a JSON file):
                        # at the DataLoader that reads it, the file's line as evidence
                        node = size.source
                    else:
                        node, written_here = _report_place(model, size)
                    # the 1 is written in another module (an option's default in config.py): the
                    # finding points at the DataLoader that makes the batches, where it is written
                    # and where this module hands it on as evidence
                    written_there = model.values.written_elsewhere(size.node, 1) \
                        if not hasattr(size.node, "bnlint_path") and not elsewhere and node is not size.source \
                        and not hasattr(size.source, "bnlint_path") else None
                    handed_on = None
                    if written_there is not None:
                        node, handed_on = size.source, node
                    # a loader of another module drawn from twice (`iter(loader)` again after
                    # StopIteration) is one finding
                    key = (size.source.bnlint_path, size.source.lineno) if elsewhere else id(node)
                    if key in reported or (written_here is not None and id(written_here) in reported):
                        continue
                    reported.add(key)
                    if written_here is not None:
                        reported.add(id(written_here))
                    source = model.text(size.source.func, 30) if isinstance(size.source, ast.Call) else "DataLoader"
                    loader = "DataLoader" if source.endswith("DataLoader") or (
                        isinstance(size.source, ast.Call) and not hasattr(size.source, "bnlint_path")
                        and model.batches.makes_partial_loader(size.source)) else f"data generator `{source}`"
                    evidence = [(f"`{name}` contains {layer}", where)]
                    if not elsewhere and not hasattr(size.node, "bnlint_path") and written_here is not None:
                        evidence.append(("the batch size is 1, written here", written_here))
                    if written_there is not None:
                        evidence.append(("the batch size is 1, written here", written_there))
                        if handed_on is not size.node:
                            evidence.append((f"`{model.text(handed_on, 30)}` hands it on here", handed_on))
                    if size.written is not None and written_there is None:
                        # (an option's default in another module, read where the loader is built)
                        evidence.append((f"the batch size, {size.value}, written here", size.written))
                    elif hasattr(size.node, "bnlint_path") and str(size.node.bnlint_path).endswith(".py"):
                        evidence.append((f"the batch size, {size.value}, written here", size.node))
                    if elsewhere:
                        evidence.append((f"the DataLoader passed as `{model.text(iterable, 20)}`, {size.how}",
                                         size.source))
                    elif node is not size.source and node is not size.node:
                        evidence.append((f"{loader[0].upper()}{loader[1:]} built here", size.source))
                        if hasattr(size.source, "bnlint_path"):
                            evidence.append((f"`{model.text(size.node, 30)}` passed as its batch size here", size.node))
                    elif node is size.node and not hasattr(node, "bnlint_path"):
                        # `cfg.batch_size` of a config class another module defines: where the 1 is
                        written = model.values.definition(size.node)
                        if written is not None and hasattr(written, "bnlint_path"):
                            evidence.append((f"`{model.text(size.node, 30)}` is 1 here", written))
                    evidence += [(f"training loop over `{model.text(iterable, 30)}` here", iterable),
                                 (f"`{model.text(called.func, 30)}` called here", called),
                                 ("backward() here", loop.backward[0])]
                    yield Report(
                        node,
                        fit_headline(f"`{name}` has {layer_kind(layer)} and is trained from a {loader} with batches "
                                     f"of one",
                                     f"`{name}` is trained from a {loader} with batches of one",
                                     f"`{name}` is trained on batches of one"),
                        evidence=evidence,
                        why=f"The {loader} has {size.how}, and it feeds a training loop that calls `{name}` "
                            f"in training mode. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                        fix_title="Use a batch size of 16 or more",
                    ), size
            for called, contents in models:
                single = self._single_example(model, called)
                if single is not None and _made_up_loop(model, called, loop):
                    continue  # a template's loop on made-up inputs and targets: a check that it runs
                if single is None or id(called) in reported or id(single) in reported:
                    # nested loops (epochs, then examples) both hold the backward(); a batch of one
                    # made once (a buffer) and fed to two networks is one finding
                    continue
                reported.add(id(called))
                layer, where = contents.bn_evidence[0]
                name = model.text(model.torchflow.model_run(called) or called.func, 20)
                # the finding points where the batch of one is made; the model call is evidence
                elsewhere = not (single.lineno >= called.lineno and single.end_lineno <= called.end_lineno)
                # (one batch of one, reached again through the helper an outer loop calls: one finding)
                reported.add(id(single))
                yield Report(
                    single if elsewhere else called,
                    fit_headline(f"`{name}` has {layer_kind(layer)} and is trained on one example, `{model.text(single, 25)}`",
                                 f"`{name}` is trained on one example, `{model.text(single, 25)}`"),
                    evidence=[(f"`{model.text(called.func, 30)}` contains {layer}", where)]
                    + ([(f"`{name}` trained on it here", called)] if elsewhere else [])
                    + [("training loop here", getattr(loop.loop, "iter", loop.loop)),
                       ("backward() here", loop.backward[0])],
                    why=f"`{model.text(single, 30)}` makes a single example into a batch for `{name}` in a training "
                        f"loop. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Batch several examples (16 or more) per step",
                ), None

    def _loaders_trained_elsewhere(self, model):
        """The DataLoaders with batches of one this module builds that a training loop of another
        module iterates (`train_loader = DataLoader(ds, batch_size=1)` at the top of dataPre.py,
        read by trainAndTest.py's `train()` from a `trainArgs` dict the star import brings):
        reported here too, where the batch size is set and changed; the finding at the loop stays."""
        project = model.project
        if project is None:
            return
        loaders = {}
        for call in model.index.calls:
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if not name.endswith("DataLoader") and not model.batches.makes_partial_loader(call):
                continue
            sizes = [size for size in model.batches.loader_batch_sizes(call) if size.value == 1 and size.source is call]
            if sizes:
                loaders[(call.lineno, call.col_offset)] = (call, sizes[0])
        if not loaders:
            return
        # the modules that can read these loaders name them: the names they are bound to, the
        # helper that makes them
        words = set()
        module_level = False
        for key, (call, _size) in list(loaders.items()):
            parent = model.index.parents.get(call)
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target] if isinstance(
                parent, ast.AnnAssign) else []
            names = {node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)}
            attributes = {target.attr for target in targets if isinstance(target, ast.Attribute)}
            function = model.index.enclosing_function(call)
            if function is None:
                module_level = True
                words |= names | attributes
                continue
            # a loader a function makes reaches another module when the function returns it, or
            # keeps it on an object (`self.train_loader = DataLoader(...)`)
            returned = any(isinstance(node, ast.Return) and node.value is not None
                           and model.index.enclosing_function(node) is function
                           and (node.value is call or any(isinstance(n, ast.Name) and n.id in names
                                                          for n in ast.walk(node.value)))
                           for node in ast.walk(function))
            if returned:
                # (the name it has here is often the name it gets there: `self.train_loader, _ =
                # loading_data()`)
                words |= names | {function.name}
            elif attributes:
                words |= attributes
            else:
                del loaders[key]  # consumed where it is made: this module's own loops say so
        if not loaders:
            return
        # and the containers they are handed on in (`run["loader"] = train_loader`, `trainArgs =
        # {"train_loader": train_loader}`): a training function reads them from there
        for node in model.index.assigns if words else ():
            if not isinstance(node, ast.Assign):
                continue
            values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
            if not any(isinstance(v, ast.Name) and v.id in words for v in values):
                continue
            for target in node.targets:
                while isinstance(target, (ast.Subscript, ast.Attribute)):
                    target = target.value
                if isinstance(target, ast.Name):
                    words.add(target.id)
        here = Path(model.path).resolve()
        if module_level:
            # and the modules that import this one (`from dataset import *` in the training module,
            # which reads the loader from a dict a third module fills)
            words.add(here.parent.name if here.stem == "__init__" else here.stem)
        done = set()
        # (only modules with a `backward()` can train from a loader: reading another module's
        # training loops costs an analysis of it, so the nearest dozen are read)
        trainers = [other for other in project.modules_with_any_word(sorted(words))
                    if ".backward(" in other.source][:12]
        for other in trainers:
            for report, size in self._torch_loop_reports(other):
                made = getattr(size.source, "source", None) if size is not None else None
                if made is None or Path(made[0].path).resolve() != here:
                    continue
                found = loaders.get((made[1].lineno, made[1].col_offset))
                if found is None or id(found[0]) in done:
                    continue
                done.add(id(found[0]))
                call, local = found
                place = _report_place(model, local)[0]
                if place is None or place not in model.index.parents or not (
                        place is call or isinstance(place, ast.Constant) and place.value == 1):
                    # the 1 comes from elsewhere (`batch_size=args.batch_size` of a helper given
                    # the options): not set here; the finding where it is set says so
                    continue
                trained = project.foreign(report.node, other)
                yield Report(
                    place,
                    fit_headline(f"this DataLoader has {local.how} and feeds the training of a model with "
                                 f"BatchNorm in {trained.bnlint_path}:{trained.lineno}",
                                 f"this DataLoader has {local.how} and feeds training elsewhere"),
                    evidence=[(f"trained from here: {report.message}", trained)],
                    why=report.why,
                    fix_title="Use a batch size of 16 or more",
                    severity=report.severity,
                )

    def _torch_steps(self, model):
        """A training step without a loop of its own, called once per example by its caller
        (`def learn(self, obs, ...): q = self.q_net(self._tensor(obs)); loss.backward();
        self.opt.step()` of an online agent): the model trains on one example per step (a
        warning: the loop that calls the step is not in sight)."""
        flow = model.torchflow
        if "backward" not in model.source or "unsqueeze" not in model.source and "None]" not in model.source \
                and "expand_dims" not in model.source:
            return
        looped = {model.index.enclosing_function(loop.loop) for loop in flow.training_loops}
        for function in model.index.functions:
            if function in looped or any(flow.in_training_loop(call) for call, _bound in model.index.callers(function)):
                continue  # (a step a training loop in sight calls: reported with that loop)
            calls = model.models.calls_within(function)
            backward = next((c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "backward"), None)
            if backward is None or not any(isinstance(c.func, ast.Attribute) and c.func.attr == "step" for c in calls):
                continue
            for called in calls:
                if not called.args or called.lineno > backward.lineno or not isinstance(
                        called.func, (ast.Name, ast.Attribute)):
                    continue
                single = model.batches.one_example(called.args[0])
                if single is None:
                    continue
                last = flow.last_mode(called.func, called)
                if last is not None and last.mode != "train":
                    continue
                contents = model.models.contents_of(called.func)
                if contents is None or not contents.torch_bn_seen:
                    continue
                layer, where = contents.bn_evidence[0]
                name = model.text(called.func, 20)
                yield Report(
                    called,
                    fit_headline(f"`{name}` has {layer_kind(layer)} and is trained on one example per step, "
                                 f"`{model.text(single, 25)}`",
                                 f"`{name}` is trained on one example per step"),
                    evidence=[(f"`{name}` contains {layer}", where),
                              (f"`{model.text(single, 30)}` makes the batch of one here", single),
                              (f"`{function.name}()` steps the optimizer after backward() here", backward)],
                    why=f"Each call of `{function.name}()` is a training step of `{name}` on a single example. "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Collect examples (a replay buffer, a batch) and train on 16 or more per step",
                    severity="W",
                )
                break

    def _loaders_passed_to_training(self, model):
        """A DataLoader of batches of one this module passes to another module's training
        function (`train_model(model, {"train": loader, "val": ...})`), which trains a model with
        BatchNorm over it: reported here, where the loader is made."""
        project = model.project
        if project is None:
            return
        reported = set()
        for call in model.index.calls:
            if not isinstance(call.func, (ast.Name, ast.Attribute)) or not (call.args or call.keywords):
                continue
            callee = model.project_callee(call)
            if callee is None:
                continue
            other, function, bound = callee
            for feed in other.torchflow.externally_fed_loops:
                if feed.binding.scope.node is not function:
                    continue
                argument = model.index.argument_for(call, function, feed.binding.name, bound=bound)
                if argument is None:
                    continue
                contents, contents_here = feed.contents, False
                if contents is None:
                    # the model comes in by the same call (`Learner(model=net, train_loader=loader)`)
                    given = model.index.argument_for(call, function, feed.model_binding.name, bound=bound)
                    contents = model.models.contents_of(given) if given is not None else None
                    if contents is None or not contents.torch_bn_seen:
                        continue
                    contents_here = True
                arguments = [argument]
                if feed.key is not None:
                    members = model.values.members(argument, model.index.scope_of(call), "item")
                    arguments = [value for value, _scope in entries_read_at(members, feed.key) or []] \
                        if members else []
                for passed in arguments:
                    for size in model.batches.loader_batch_sizes(passed):
                        if size.value != 1 or hasattr(size.node, "bnlint_path"):
                            continue
                        node = size.node if size.node is size.source else model.values.where_written(size.node, 1)
                        if id(node) in reported:
                            continue
                        reported.add(id(node))
                        layer, where = contents.bn_evidence[0]
                        trainer = model.text(call.func, 30)
                        name = other.text(feed.called.func, 20)
                        evidence = [("DataLoader built here", size.source)] if node is not size.source else []
                        evidence += [(f"passed to `{trainer}` here", call),
                                     (f"`{name}` contains {layer}", where if contents_here else project.foreign(where, other)),
                                     (f"its training loop over `{other.text(feed.iterable, 30)}`, with backward()",
                                      project.foreign(feed.loop.loop, other))]
                        yield Report(
                            node,
                            fit_headline(f"`{trainer}` trains `{name}` ({layer_kind(layer)}) on this DataLoader's "
                                         f"batches of one",
                                         f"`{clip(trainer, 20)}` trains a model with BatchNorm on batches of one"),
                            evidence=evidence,
                            why=f"The DataLoader has {size.how}, and `{trainer}` runs a training loop over it that "
                                f"calls `{name}` in training mode. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                            fix_title="Use a batch size of 16 or more",
                        )

    # ---- PyTorch Lightning ------------------------------------------------------------------
    def _lightning(self, model):
        """Lightning runs the training loop itself: `trainer.fit(module, loader)` (or
        `train_dataloaders=`, or `datamodule=` a LightningDataModule, also of another module), and a
        LightningModule's own `train_dataloader()`, which only Lightning's training loop calls."""
        reported = set()
        for cls in model.index.classes:
            if not _derives_from(model, cls, ("LightningModule",)):
                continue
            contents = model.models.class_contents(cls)
            loaders = _train_dataloader_returns(cls)
            if not loaders or contents is None or not contents.bn or contents.framework != "torch" \
                    or not contents.bn_evidence:
                continue
            for loader in loaders:
                for node, size, written in self._loader_sizes_of_one(model, loader, reported):
                    yield self._lightning_report(model, node, size, cls.name, contents,
                                                 (f"`{cls.name}.train_dataloader()` gives Lightning's training loop "
                                                  f"its batches", loader), written=written)
        for call in model.index.calls:
            func = call.func
            module = call_arg(call, "model", 0)  # `trainer.fit(model=model, datamodule=dm)` too
            if not (isinstance(func, ast.Attribute) and func.attr == "fit" and module is not None):
                continue
            trainer = self._lightning_trainer(model, func.value)
            if not trainer:
                continue
            contents = model.models.contents_of(module)
            if contents is None or not contents.torch_bn_seen:
                continue
            loaders = [(model, a) for a in call.args[1:2]] + [(model, k.value) for k in call.keywords
                                                              if k.arg in ("train_dataloaders", "train_dataloader")]
            holders = [k.value for k in call.keywords if k.arg == "datamodule"]
            if not loaders and not holders:
                holders = [module]  # the module's own `train_dataloader()`
            for holder in holders:
                owner = instance_class(model.models, holder)
                if owner is None or (owner[0] is not model.models and _derives_from(owner[0].model, owner[1],
                                                                                   ("LightningModule",))):
                    continue  # a LightningModule of another module reports its own loader there
                loaders.extend((owner[0].model, r) for r in _train_dataloader_returns(owner[1]))
            for home, loader in loaders:
                name = model.text(module, 20)
                if home is model:
                    for node, size, written in self._loader_sizes_of_one(model, loader, reported):
                        yield self._lightning_report(model, node, size, name, contents,
                                                     (f"`{model.text(func, 30)}` trains it here", call), written=written)
                    continue
                for size in home.batches.loader_batch_sizes(loader):
                    # a DataModule of another module: reported where this module writes the 1 it
                    # gives the DataModule (`SpectraDM(root, batch_size=args.batch_size)` with the
                    # option's default 1), else at the `fit` that pairs it with the model
                    if size.value == 1 and id(call) not in reported:
                        reported.add(id(call))
                        project = model.project
                        place = model.written_here(home, size.node, 1)
                        # (written in a third module: a config module's dict the DataModule is
                        # given with `**cfg["data"]`)
                        there = home.values.written_elsewhere(size.node, 1) if place is None \
                            and not hasattr(size.node, "bnlint_path") else None
                        size = replace(size, source=project.foreign(size.source, home))
                        yield self._lightning_report(model, place or call, size, name, contents,
                                                     (f"`{model.text(func, 30)}` trains it here", call),
                                                     written=there)

    def _lightning_cli(self, model):
        """`LightningCLI(SegModule, LiverDataModule)`: the CLI's `fit` trains the module class on
        the DataModule class's `train_dataloader()`, with the classes' defaults unless a config
        file sets them. Reported at the CLI when the loader's batch size is 1 and no YAML file
        beside the script mentions a batch size."""
        for call in model.index.calls:
            if not isinstance(call.func, (ast.Name, ast.Attribute)) or \
                    not (model.qualname(call.func) or "").endswith(f"cli.{catalogue.LIGHTNING_CLI}"):
                continue
            module_class = call_arg(call, "model_class", 0)
            data_class = call_arg(call, "datamodule_class", 1)
            if module_class is None or data_class is None:
                continue
            contents = model.models.class_reference_contents(module_class, call)
            if contents is None or not contents.torch_bn_seen:
                continue
            owner = model.models.class_reference(data_class)
            if owner is None or model.project is None or model.project.config_files_below_mention("batch_size"):
                continue
            home, cls = owner
            for loader in _train_dataloader_returns(cls):
                for size in home.model.batches.loader_batch_sizes(loader):
                    if size.value != 1:
                        continue
                    if home is not model.models:
                        size = replace(size, source=model.project.foreign(size.source, home.model))
                    name = model.text(module_class, 20)
                    yield self._lightning_report(model, call, size, name, contents,
                                                 (f"`{model.text(call.func, 30)}` trains `{name}` on "
                                                  f"`{model.text(data_class, 30)}`'s train_dataloader() here", call))
                    return

    @staticmethod
    def _lightning_report(model, node, size, name, contents, context, written=None):
        layer, where = contents.bn_evidence[0]
        return Report(
            node,
            fit_headline(f"`{name}` has {layer_kind(layer)} and is trained by Lightning from a DataLoader "
                         f"with batches of one",
                         f"`{name}` is trained by Lightning from a DataLoader with batches of one"),
            evidence=[(f"`{name}` contains {layer}", where),
                      *([("DataLoader built here", size.source)] if node is not size.source else []),
                      *([("the batch size is 1, written here", written)] if written is not None else []), context],
            why=f"The DataLoader has {size.how}, and Lightning's training loop runs over it with the module in "
                f"training mode. " + _SINGLE_EXAMPLE_CONSEQUENCE,
            fix_title="Use a batch size of 16 or more",
        )

    @staticmethod
    def _loader_sizes_of_one(model, loader, reported):
        """(where to report, size, where the 1 is written when that is elsewhere) for each
        DataLoader `loader` can be whose batch size is 1, each place once: the DataLoader when this
        module builds it (`_report_place`), else where the 1 is written in this module; for a 1
        written in another module (a config module's dict a loader helper is given), where this
        module builds the loader."""
        for size in model.batches.loader_batch_sizes(loader):
            if size.value != 1:
                continue
            if hasattr(size.node, "bnlint_path"):
                binding = model.values.reaching_binding(loader) if isinstance(loader, ast.Name) else None
                node = binding.value if binding is not None and binding.kind in ("assign", "annassign") \
                    and isinstance(binding.value, ast.Call) else loader
                written = None
            else:
                node, written = _report_place(model, size)
            # (one finding per place the 1 is written: two loaders sized by one option's default
            # are one mistake, reported at the first)
            if id(node) not in reported and (written is None or id(written) not in reported):
                reported.update({id(node), id(written)} if written is not None else {id(node)})
                yield node, size, written

    def _library_runners(self, model):
        """A library object runs the training loop: `TrainEpoch(model, ...).run(loader)` of
        segmentation_models_pytorch, ignite's `create_supervised_trainer(model, ...).run(loader)`."""
        reported = set()
        for call in model.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and call.args):
                continue
            runner = None
            for origin, _scope in (model.values.origins(func.value) if isinstance(func.value, ast.Name)
                                   else [(func.value, None)]):
                if isinstance(origin, ast.Call):
                    qual = catalogue.canonical(model.qualname(origin.func) or "")
                    entry = catalogue.LIBRARY_TRAINING_RUNNERS.get(qual)
                    if entry is not None and entry[0] == func.attr:
                        runner = (origin, entry[1])
            if runner is None and func.attr == "run":
                engine = _custom_engine_model(model, func.value)
                if engine is not None:
                    made, module = engine
                    runner = (made, None)
            if runner is None:
                continue
            made, position = runner
            if position is not None:
                module = call_arg(made, "model", position)
            contents = model.models.contents_of(module) if module is not None else None
            if contents is None or not contents.torch_bn_seen:
                continue
            for node, size, written in self._loader_sizes_of_one(model, call.args[0], reported):
                layer, where = contents.bn_evidence[0]
                name, runs = model.text(module, 20), model.text(made.func, 30)
                yield Report(
                    node,
                    fit_headline(f"`{name}` has {layer_kind(layer)} and is trained by `{runs}` from a DataLoader "
                                 f"with batches of one",
                                 f"`{name}` is trained by `{runs}` from a DataLoader with batches of one"),
                    evidence=[(f"`{model.text(module, 30)}` contains {layer}", where)]
                    + ([(f"the batch size, {size.value}, written here", size.node)]
                       if hasattr(size.node, "bnlint_path") and str(size.node.bnlint_path).endswith(".py") else [])
                    + ([("the batch size is 1, written here", written)] if written is not None else [])
                    + ([("DataLoader built here", size.source)] if node is not size.source else [])
                    + [(f"`{runs}` made here; it trains the model in training mode", made),
                       (f"`{model.text(func, 30)}` runs it over the loader here", call)],
                    why=f"The DataLoader has {size.how}, and `{runs}` runs the training loop (backward and "
                        f"optimizer steps) with the model in training mode. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Use a batch size of 16 or more",
                )

    def _hf_trainer(self, model):
        """HuggingFace `Trainer(model=net, args=TrainingArguments(per_device_train_batch_size=1))
        .train()`: the Trainer runs the training loop with the model in training mode, on batches
        of `per_device_train_batch_size` per device."""
        for call in model.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "train" and not call.args):
                continue
            origins = model.values.origins(func.value) if isinstance(func.value, ast.Name) else [(func.value, None)]
            made = next((o for o, _s in origins if isinstance(o, ast.Call) and catalogue.canonical(
                model.qualname(o.func) or "") in catalogue.HF_TRAINERS), None)
            if made is None:
                continue
            module, arguments = call_arg(made, "model", 0), call_arg(made, "args", 1)
            contents = model.models.contents_of(module) if module is not None else None
            if contents is None or not contents.torch_bn_seen:
                continue
            settings = [o for o, _s in (model.values.origins(arguments) if isinstance(arguments, ast.Name)
                                        else [(arguments, None)]) if isinstance(o, ast.Call)]
            for setting in settings[:1]:
                size = next((k.value for k in setting.keywords if k.arg == "per_device_train_batch_size"), None)
                if size is None or model.const(size) != 1:
                    continue
                node = model.values.where_written(size, 1)
                layer, where = contents.bn_evidence[0]
                name = model.text(module, 20)
                yield Report(
                    node,
                    fit_headline(f"`{name}` has {layer_kind(layer)} and is trained by the Trainer on batches of one",
                                 f"`{name}` is trained by the Trainer on batches of one"),
                    evidence=[(f"`{model.text(module, 30)}` contains {layer}", where),
                              ("per_device_train_batch_size=1 set here", size),
                              (f"`{model.text(made.func, 30)}` made here", made),
                              ("`train()` runs its training loop here", call)],
                    why="The Trainer feeds each device batches of `per_device_train_batch_size` examples and runs "
                        "the model in training mode. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Use a per-device batch size of 16 or more (gradient accumulation does not help "
                              "BatchNorm)",
                )

    @staticmethod
    def _lightning_trainer(model, expr) -> bool:
        origins = model.values.origins(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else [(expr, None)]
        for origin, scope in origins:
            if isinstance(origin, ast.Call):
                qual = model.values.instantiated_target(origin) or model.qualname(origin.func) or ""
                if qual.rpartition(".")[2] == "Trainer" and qual.partition(".")[0] in ("pytorch_lightning", "lightning"):
                    return True
        return False

    @staticmethod
    def _single_example(model, call):
        for inner, _argument in helper_model_calls(model.models, call):
            # a helper given the model runs it on a batch of one (`run_episode(env, policy)`),
            # directly or through the model's own method (`policy.select_action(state)`)
            for run in [*forwarding_calls(model.models, inner), inner]:
                single = model.batches.one_example(run.args[0]) if run.args else None
                if single is not None:
                    return single
        for inner in forwarding_calls(model.models, call):
            # the model's own method makes the batch of one (`self(state.unsqueeze(0))`)
            single = model.batches.one_example(inner.args[0]) if inner.args else None
            if single is not None:
                return single
        return model.batches.one_example(call.args[0]) if call.args else None

    # ---- TF1 / TensorLayer graphs ------------------------------------------------------
    def _tf1_feeds(self, model):
        trains = [c for c in model.index.calls
                  if isinstance(c.func, ast.Attribute) and c.func.attr in ("minimize", "apply_gradients")]
        sites = [(s, s.call, model) for s in model.norm_sites if s.api.kind == catalogue.BATCH and s.api.training
                 and _in_training_mode(model, s)]
        if not sites and trains:
            # the graph's batch norm is built by a helper or network class of another module
            # (DualGAN's `batch_norm(conv2d(...))` of `from ops import *`)
            sites = [(s, where, where.source[0]) for s, where in model.project_norm_sites(
                lambda other, s: s.api.kind == catalogue.BATCH and s.api.training and _in_training_mode(other, s))]
        if not sites:
            return
        site, where, owner = sites[0]
        if trains:
            for size in model.batches.queue_batch_sizes():
                if size.value == 1:
                    queue = model.text(size.source.func, 25)
                    yield Report(
                        size.node,
                        fit_headline(f"`{queue}` has batch size 1 and feeds a graph whose {clip(site.display, 20)} trains",
                                  f"`{queue}` has batch size 1 and feeds a graph in training mode"),
                        evidence=[(f"{site.display} built here in training mode", where)],
                        why=f"The input queue has {size.how}, and the graph's {site.display} is built in training "
                            f"mode. " + _SINGLE_EXAMPLE_CONSEQUENCE,
                        fix_title="Batch 16 or more examples",
                    )
            fixed = next((size for size in model.batches.placeholder_batch_sizes() if size.value == 1), None)
            if fixed is not None:
                placeholder = model.text(fixed.source, 30)
                written = model.values.written_elsewhere(fixed.node, 1)
                if written is None:
                    here = model.values.where_written(fixed.node, 1)
                    written = here if here is not fixed.node else None
                yield Report(
                    fixed.node,
                    fit_headline(f"`{placeholder}` holds one example per step of a graph whose "
                                 f"{clip(site.display, 20)} trains",
                                 f"`{placeholder}` holds one example per training step"),
                    evidence=[(f"{site.display} built here in training mode", where),
                              (f"`{model.text(trains[0].func, 30)}` builds the train op here", trains[0]),
                              *([("the batch size of 1 written here", written)] if written is not None else [])],
                    why=f"The placeholder's shape fixes the batch: {fixed.how}, so every step the train op "
                        f"runs feeds the graph one example, and its {site.display} is built in training mode. "
                        + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title="Train with a batch size of 16 or more",
                )
        for call in model.index.calls:
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == "run"):
                continue
            feed = call_arg(call, "feed_dict", 1)
            if not isinstance(feed, ast.Dict):
                continue
            if feed.values and all(model.batches.made_up_tensor(value) for value in feed.values) \
                    and trains and _runs_train_op(model, call, trains):
                # train steps on noise check that the graph trains (a smoke test): they train on no
                # data. (Outputs fetched from noise are another matter: a training-mode graph gives
                # a batch of one zeros, the seed story.)
                continue
            for value in feed.values:
                shape_note = model.batches.first_dimension_one(value)
                if shape_note is None and trains and _runs_train_op(model, call, trains):
                    # a batch drawn by the loop around the step (`for x, y in zip(source_gen,
                    # target_gen)` of generators batching one image)
                    drawn = next((size for size in (*model.batches.looped_batch_sizes(value),
                                                    *model.batches.drawn_batch_sizes(value)) if size.value == 1), None)
                    if drawn is not None:
                        shape_note = f"is drawn from `{model.text(drawn.source, 30)}` with {drawn.how}"
                    else:
                        # one example given a batch axis at the feed (`images: image[None]`,
                        # `np.expand_dims(x, 0)`)
                        single = model.batches.one_example(value)
                        if single is not None:
                            shape_note = f"is one example given a batch axis (`{model.text(single, 30)}`)"
                if shape_note is None:
                    continue
                flag = site.arg(site.api.training)
                flag_text = f"{site.api.training}={owner.text(flag)}" if flag is not None else \
                    f"{site.api.training} defaulting to True"
                fed = model.text(value, 20)
                yield Report(
                    value,
                    fit_headline(f"`{fed}`, a batch of one, is fed to a graph whose {clip(site.display, 20)} trains",
                              f"`{fed}`, a batch of one, is fed to a graph in training mode"),
                    evidence=[(f"{site.display} built here in training mode", where),
                              (f"`{model.text(call.func, 30)}` feeds it here", call)],
                    why=f"`{model.text(value, 30)}` {shape_note}, and {site.display} is built in training mode "
                        f"({flag_text}). " + _SINGLE_EXAMPLE_CONSEQUENCE,
                    fix_title=f"Feed batches of several examples, or build the graph with {site.api.training}=False "
                              f"for inference",
                )
                break  # one finding per step: the other inputs fed with it are the same batch


def _runs_train_op(model, run: ast.Call, trains: list) -> bool:
    """`sess.run([train_g, train_d, loss], feed_dict=...)`: a fetch is a train op the module builds
    (a name or attribute bound to a `minimize`/`apply_gradients` call), not a preview of the
    generator's output."""
    fetches = call_arg(run, "fetches", 0)
    items = fetches.elts if isinstance(fetches, (ast.List, ast.Tuple)) else [fetches] if fetches is not None else []
    for item in items:
        if not isinstance(item, (ast.Name, ast.Attribute, ast.Call)):
            continue
        origins = model.values.origins(item) if not isinstance(item, ast.Call) else [(item, None)]
        if any(origin in trains for origin, _scope in origins):
            return True
    return False


def _custom_engine_model(model, engine):
    """ignite's `Engine(update)` with `update` a function of this module that calls `backward()`:
    (the `Engine(...)` call, the model the update function calls), also when a factory of the
    module makes it (`trainer = create_trainer(net, opt)` with `def create_trainer(model, opt):
    def _update(engine, batch): model.train(); ...; loss.backward(); return Engine(_update)`)."""
    origins = model.values.origins(engine) if isinstance(engine, ast.Name) else [(engine, None)]
    for origin, _scope in origins[:2]:
        if not isinstance(origin, ast.Call):
            continue
        made = origin
        factory = model.index.local_callee(origin)
        if factory is not None:
            returned = [n.value for n in ast.walk(factory[0]) if isinstance(n, ast.Return)
                        and isinstance(n.value, ast.Call) and model.index.enclosing_function(n) is factory[0]]
            made = returned[0] if len(returned) == 1 else None
        if made is None or not made.args or catalogue.canonical(model.qualname(made.func) or "").rpartition(".")[2] \
                != "Engine" or not (model.qualname(made.func) or "").startswith("ignite"):
            continue
        update = model.index.local_function(made.args[0], made) if isinstance(made.args[0], ast.Name) else None
        calls = model.models.calls_within(update[0]) if update is not None else []
        if not any(isinstance(c.func, ast.Attribute) and c.func.attr == "backward" for c in calls):
            continue
        for call in calls:
            if isinstance(call.func, ast.Name):
                contents = model.models.contents_of(call.func)
                if contents is not None and contents.torch_bn_seen:
                    return made, call.func
    return None


def _local_origin(model, written):
    """Where this module writes the value another module's node (`written`, a typed location
    there) reads, or None."""
    source = getattr(written, "source", None)
    return model.written_here(source[0], source[1], 1) if source is not None else None


def _constant_origin(model, size) -> list:
    """Evidence for a batch size that is another project module's constant (`cfg.batch_size`
    with `batch_size = 1` in config.py): where it is set."""
    origin = model.values.project_origin(size)
    if origin is None and size in model.index.parents:
        # `s.images_per_step` of a settings class another module defines (a pydantic or
        # dataclass default): where the 1 is written there
        defined = model.values.definition(size)
        origin = defined if hasattr(defined, "bnlint_path") and str(defined.bnlint_path).endswith(".py") else None
    return [(f"`{model.text(size, 30)}` is 1 here", origin)] if origin is not None else []


def _batching(model, size, batch, width=12) -> str:
    """How the batches are made, for messages: "`.batch(1)`", "`flow_from_directory(batch_size=1)`"."""
    if isinstance(batch.func, ast.Attribute) and batch.func.attr in ("batch", "padded_batch"):
        return f"`.{batch.func.attr}({model.text(size, width)})`"
    name = batch.func.attr if isinstance(batch.func, ast.Attribute) else model.text(batch.func, 30)
    return f"`{name}(batch_size={model.text(size, width)})`"


def _in_training_mode(model, site) -> bool:
    """A TF1/TensorLayer BN built in training mode: the flag is (always) True, or absent with a
    True default."""
    flag = site.arg(site.api.training)
    if flag is None:
        return bool(site.api.training_default) and not site.opaque
    return model.always_true(flag, site.scope)


def _made_up_loop(model, called: ast.Call, loop) -> bool:
    """`out = model(torch.randn(1, 1, 16000)); loss = criterion(out, torch.tensor([1]))`: every
    input of the model call and every other operand of a call the output goes to (the loss) is a
    tensor made up in the code. Such a loop checks that a template runs; it trains on no data (a
    network fitted to a fixed noise input against a real image is another matter: its target is
    data)."""
    if not called.args or not all(model.batches.made_up_tensor(a) for a in called.args):
        return False
    parent = model.index.parents.get(called)
    outputs = {t.id for t in getattr(parent, "targets", ()) if isinstance(t, ast.Name)}

    def is_output(argument) -> bool:
        return argument is called or isinstance(argument, ast.Name) and argument.id in outputs

    for other in loop.calls:
        if other is called or not any(is_output(a) for a in other.args):
            continue
        operands = [a for a in other.args if not is_output(a)]
        if operands and all(model.batches.made_up_tensor(a) for a in operands):
            return True
    return False


def _derives_from(model, cls: ast.ClassDef, names: tuple) -> bool:
    """`cls` derives from a class named one of `names` (`pl.LightningModule`), also through base
    classes of the project."""
    return model.models.derives_from(cls, names)


def _train_dataloader_returns(cls: ast.ClassDef) -> list:
    """What a LightningModule's or LightningDataModule's `train_dataloader()` returns."""
    method = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "train_dataloader"), None)
    return [r.value for r in ast.walk(method) if isinstance(r, ast.Return) and r.value is not None] \
        if method is not None else []


def _report_place(model, size):
    """(where to report a DataLoader's batch size of 1 this module writes, where the 1 is written
    when that is another statement): see `_site_or_value`."""
    written = size.node if size.node is size.source else model.values.where_written(size.node, 1)
    source = size.source
    given = call_arg(source, "batch_size", 1) if isinstance(source, ast.Call) else None
    return _site_or_value(model, written, source, source, given)


def _site_or_value(model, written, site, node, size_expr=None):
    """(where to report, where the 1 is written when that is reported apart): a DataLoader or
    `.batch()` call `site` this module builds is the place (`node`, at or in it), the value its
    evidence (`BATCH_SIZE = 1` at the top, an option's default); the 1 itself when it is written
    in the call, when a call picks it for a loader helper that takes the size as a parameter
    (`make_loader(ds, 1)`, each call picking its own), or when the site is another module's."""
    if written is None or site not in model.index.parents or written not in model.index.parents:
        return written, None
    binding = model.values.binding_of(size_expr) if isinstance(size_expr, ast.Name) else None
    function = model.index.enclosing_function(site)
    takes_size = function is not None and any(
        "batch" in a.arg.lower() or a.arg.lower() in ("bs", "bsz")
        for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs))
    if binding is not None and binding.kind == "param" or takes_size or _given_by_a_call(model, written):
        # a loader helper given the size (`def make_loader(ds, batch_size)`, also through a
        # `**loader_args` dict of it): each call picks its size, and the place that picks 1 is
        # the one to report
        return written, None
    if model.index.statement_of(site) is None or _in_statement_of(model, written, site):
        return written, None
    return node, written


def _given_by_a_call(model, written) -> bool:
    """The 1 is an argument of a call that hands it to the code building the loader
    (`make_loader(x, y, 1, True)`, `Trainer(batch_size=1)`): that call picks it, per call, and is
    the place to report. An option's default (`add_argument(..., default=1)`, absl's
    `DEFINE_integer`) and a constant are not."""
    node = written
    for _ in range(3):
        parent = model.index.parents.get(node)
        if isinstance(parent, ast.keyword):
            parent = model.index.parents.get(parent)
        if isinstance(parent, ast.Call):
            func = parent.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            return not (name == "add_argument" or name.startswith("DEFINE_") or name in ("Option", "Argument"))
        if not isinstance(parent, (ast.UnaryOp, ast.Tuple, ast.List)):
            return False
        node = parent
    return False


def _is_batch_call(node) -> bool:
    """A tf.data `.batch(n)` / `.padded_batch(n)` call."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in ("batch", "padded_batch")


def _in_statement_of(model, node, call) -> bool:
    statement = model.index.statement_of(call)
    return statement is not None and statement.lineno <= node.lineno \
        and (node.end_lineno or node.lineno) <= (statement.end_lineno or 0)
