"""BN005 epsilon-mismatch-across-frameworks."""

from __future__ import annotations

import ast
from pathlib import Path

from bnlint import catalogue
from bnlint.rule import Report, Rule, fit_headline, set_argument
from bnlint.semantic import is_number


# words of a module that copies BN statistics into layers (where they may be built elsewhere)
_INCOMING_WORDS = ("set_weights", "running_var", "moving_variance")


class EpsilonMismatchAcrossFrameworks(Rule):
    """
    ## What it does
    Finds BatchNorm statistics copied between PyTorch and Keras where the two layers use
    different epsilons: a torch BN's `running_mean`/`running_var` written into a Keras
    `BatchNormalization` with `set_weights`, or a Keras BN's `get_weights()` /
    `moving_variance` written into a torch BN's `running_var` (assignment, `.data =`,
    `.copy_()`). Both layers are resolved to where they were built (names, `self.bn`,
    `model.layers[i]`, `block[1]`, loops over `zip(torch_model.modules(), keras_model.layers)`),
    and their epsilons are the explicit arguments or the frameworks' defaults. Porting idioms
    followed: `get_weights()` unpacked into four names, `keras_bn.moving_variance.assign(...)`,
    `running_var[:] = ...`, `load_state_dict({...})` with entries from Keras arrays, helper
    functions whose layers come from their call sites, and name maps (`getattr(model,
    f"bn{i}")`, `get_layer(f"bn{i}")`). Whole models copied array by array count too:
    `keras_model.set_weights([...torch_model.state_dict().values()...])`,
    `torch_model.load_state_dict(dict(zip(keys, keras_model.get_weights())))`, and a loop over
    `zip(torch_model.state_dict().values(), keras_model.get_weights())` that writes each tensor.
    A Keras BatchNormalization built with PyTorch's statistics as its initial values
    (`moving_variance_initializer=tf.constant_initializer(state["bn1.running_var"])`, or
    `Constant(torch_bn.running_var.numpy())`) counts as a copy too, and so do parity-test
    twins a helper returns as a tuple (`keras_bn, torch_bn = make_pair(64)`) and blocks copied
    pairwise by a helper (`for k, t in zip(keras_net.blocks, torch_net.blocks): copy(k, t)`).

    Darknet (error): the statistics of a YOLO `.weights` file, read as raw arrays (`np.fromfile`,
    `np.frombuffer`, `np.ndarray(..., buffer=f.read(n))`, also through a reader object's method),
    given to a Keras BatchNormalization by `set_weights` or Keras 2's `weights=` argument, or
    copied into a PyTorch BatchNorm's running statistics (`bn.running_var.data.copy_(
    torch.from_numpy(weights[ptr:ptr + n]))`, into the layers a `.cfg` parser builds when the
    layer itself cannot be followed), in a module that names Darknet or YOLO. Darknet has no epsilon setting: it divides by
    `sqrt(variance + .00001f)` (AlexeyAB/darknet `normalize_cpu`; the original pjreddie/darknet by
    `sqrt(variance) + .000001f`), so a Keras layer left at 1e-3 differs for certain
    (qqwweee/keras-yolo3 issue #451 reports the drift). Raw arrays of a file that names no
    Darknet (a project's own exporter) carry no known epsilon and are not reported. A loader that
    picks the receiving layer from the model at run time (`bn = unit.sequential.get_layer(index=1)`,
    the model's layers walked by name) fills the Keras BatchNorm layers of the program it serves:
    those built by the modules linked to it by imports (four steps either way, through the
    converter script that imports both); that is a warning, since which layer it is cannot be seen.

    Checkpoints (warning): statistics read by name from a TensorFlow/Keras checkpoint or `.h5`
    file (`"moving_variance:0"`, `name + "/moving_mean"`) into a PyTorch BatchNorm, directly or
    as `state_dict[...".running_var"]` entries loaded with `load_state_dict`, a PyTorch
    checkpoint's `running_var` entries handed to Keras (also the four arrays of a Keras BN's
    `set_weights` read from a `torch.load(...)` checkpoint by keys bnlint cannot spell), or the layers of a Keras model loaded
    from a file (`keras.models.load_model`) copied into PyTorch BatchNorm layers (also entry by
    entry into `model.state_dict()` from unpacked `get_weights()`, or from a checkpoint reader's
    arrays under keys matched by name). Entries that no `load_state_dict` takes count too: written
    into a torch model's own `state_dict()` and saved, or only `torch.save`d for a PyTorch model
    the code does not build, whose BatchNorm layers are then assumed to keep PyTorch's default
    eps=1e-5 (unless the module reads or sets an epsilon anywhere, or a PyTorch BatchNorm with
    the checkpoint's epsilon is built in the module, in the project modules it imports, in
    the module that calls the converting function, or in a package module of the project that
    loads weights: a converter script is often linked to the network that loads its output only
    by the file). Entries that a `load_state_dict` takes into
    a model bnlint cannot see (its module is missing) say nothing. A name-mapping table that
    renames one framework's statistic to the other's (`("/moving_variance", ".running_var")`, also
    keys put together as `prefix + ".1.running_var"`, in
    a replacement list or dict, `k.replace("running_var", "moving_variance")`) marks a
    checkpoint conversion too: the layers receiving it are the model this module builds (or the
    BatchNorm layers of its graph), when they all belong to the other framework. So is a file of
    bare arrays handed between two scripts of the project: a running variance copied in (or the
    four arrays of a Keras BN's `set_weights`, `arrays[pos:pos + 4]`) in a module that reads a
    pickle, `.npy`/`.npz` or joblib file that another module writes from Keras
    `get_weights()` or PyTorch weights (`state_dict()`, `bn.running_var`), the two tied by the
    file's name written in both, or by the key of a statistic both spell out
    (`arrays[f"block{i}/bn/moving_variance"] = blk.bn.running_var.numpy()` then `np.savez(out,
    **arrays)`, read back as `w[f"block{i}/bn/moving_variance"]` from a path given on the command
    line). The
    checkpoint's epsilon is not in the code, so the source framework's default is assumed
    (Keras/TF 1e-3, PyTorch 1e-5) and the finding is a warning; not when the receiving layers are
    built with an epsilon the port chose (written, and not their framework's default:
    `nn.BatchNorm2d(c, eps=BN_EPS)` with `BN_EPS = 2e-5`).

    Statistics may go through local names on the way (`var = torch_bn.running_var.numpy()`,
    then `keras_bn.moving_variance.assign(var)`).

    Layers built in another module of the project (a `conv_bn()` helper of layers.py filled by
    the Darknet loader of tools/weights.py, a Keras model module filled by a converter script)
    are reported twice: where the statistics are copied, and at each receiving layer whose
    epsilon differs, in its own module, where the epsilon is set and the fix goes. Modules that
    hold `set_weights`, `running_var` or `moving_variance` are the ones searched for such copies.

    ## Why is this bad?
    Inference-mode BatchNorm computes `gamma * (x - mean) / sqrt(var + eps) + beta`. Copying
    `mean` and `var` is not enough for the ported layer to compute the same function: Keras
    defaults to `epsilon=1e-3`, PyTorch to `eps=1e-5`. For channels whose running variance is
    small (common after ReLU, and in late layers) `sqrt(var + 1e-3)` and `sqrt(var + 1e-5)`
    differ by a lot; the port's outputs drift by 1e-3..1e-2 per layer (a reported port) and the
    error compounds through a deep network, which looks like a bug in the conversion of
    convolution weights or padding.

    ## Example
    ```python
    torch_bn = nn.BatchNorm2d(32)                     # eps=1e-5
    keras_bn = tf.keras.layers.BatchNormalization()   # epsilon=1e-3
    keras_bn.set_weights([torch_bn.weight.detach().numpy(), torch_bn.bias.detach().numpy(),
                          torch_bn.running_mean.numpy(), torch_bn.running_var.numpy()])  # BN005
    ```
    Use instead:
    ```python
    keras_bn = tf.keras.layers.BatchNormalization(epsilon=torch_bn.eps)  # or epsilon=1e-5
    ```

    ## Fix
    Build the destination layer with the source layer's epsilon (`epsilon=1e-5` for a layer
    ported from PyTorch, `eps=1e-3` for one ported from Keras), or read it from the source
    (`epsilon=bn.eps`). When either epsilon is not a constant bnlint can read, it says nothing;
    epsilons within 1% of each other (Keras applications' `1.001e-5` against PyTorch's `1e-5`)
    count as equal.

    **Automatic fix (unsafe):** the destination layer gets the source's epsilon (for a checkpoint,
    its framework's default), as a keyword added to the call or in place of the value written
    there. Unsafe: the checkpoint's real epsilon may differ from the default. A layer built in
    another module is rewritten by the finding reported in that module. Layers built by a
    model-zoo builder or through a config are not rewritten, nor a layer
    whose statistics are copied on to another layer too (a PyTorch -> Keras -> PyTorch round
    trip): its epsilon must suit both copies.

    ## Framework versions
    PyTorch (all versions: `eps=1e-5`), Keras 2 / tf.keras and Keras 3 (`epsilon=1e-3`), TF1
    `tf.layers` (`epsilon=1e-3`).

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html (eps=1e-05)
    - https://keras.io/api/layers/normalization_layers/batch_normalization/ (epsilon=1e-3)
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization
    - A reported case: porting a Conv+BN block from PyTorch to Keras with `set_weights`
    - https://github.com/AlexeyAB/darknet/blob/master/src/blas.c (`normalize_cpu`: `sqrt(variance[f]
      + .00001f)`), https://github.com/pjreddie/darknet/blob/master/src/blas.c (`sqrt(variance[f]) +
      .000001f`), and https://github.com/qqwweee/keras-yolo3/issues/451 (Keras's epsilon vs darknet's)
    """

    code = "BN005"
    name = "epsilon-mismatch-across-frameworks"
    severity = "E"
    fix_applicability = "unsafe"
    summary = "BN statistics move between PyTorch and Keras layers whose epsilons differ"
    requires = catalogue.STATISTICS_WORDS
    # a converter elsewhere in the project may copy statistics into the layers this module builds
    requires_in_project = _INCOMING_WORDS
    # (to a module that may build BatchNorm: every way a site is recognised spells "norm" or
    # "bn" in the module, a catalogued class or a factory or wrapper named so, `norm_layer(w)`
    # of a parameter another module fills with `partial(nn.BatchNorm2d, ...)` included)
    requires_in_project_with = ("norm", "Norm", "NORM", "bn", "BN", "Bn")

    def check(self, model):
        for report, _layers in self._copies(model):
            yield report
        yield from self._copied_in_elsewhere(model)

    def _copied_in_elsewhere(self, model):
        """The layers this module builds whose statistics another module of the project copies
        in with a different epsilon (`conv_bn()` of layers.py filled by tools/weights.py's
        Darknet loader): reported at the layer too, where its epsilon is set and a fix can go."""
        project = model.project
        if project is None or not any(s.api.kind == catalogue.BATCH for s in model.norm_sites):
            return
        here = Path(model.path).resolve()
        done = set()
        # (only modules that can reach this one's layers: those that import it or name what it
        # defines, their importers, and the modules these import; a large project has dozens of
        # modules with the words)
        for other in project.modules_with_any_word(_INCOMING_WORDS,
                                                   among=project.modules_naming_this(model.defined_names)):
            # (a layer whose statistics are copied on from there too gets no fix: its epsilon
            # must suit both copies)
            copied_on = {id(site.call) for t in other.transfers.transfers if t.source_ref is not None
                         for site in t.source_ref.sites}
            for report, layers in self._copies(other):
                for site, epsilon in layers:
                    source = getattr(site.call, "source", None)
                    if source is None or Path(source[0].path).resolve() != here:
                        continue
                    local = next((s for s in model.norm_sites if s.call.lineno == source[1].lineno
                                  and s.call.col_offset == source[1].col_offset), None)
                    if local is None or id(local.call) in done:
                        continue
                    done.add(id(local.call))
                    yield self._layer_report(model, local, site, epsilon, project.foreign(report.node, other), report,
                                             fixable=id(site.call) not in copied_on)

    @staticmethod
    def _layer_report(model, local, site, epsilon, copied, report, fixable):
        name = local.api.epsilon
        return Report(
            local.call,
            fit_headline(f"{local.display} gets BN statistics in {copied.bnlint_path}:{copied.lineno} "
                         f"and keeps {name}={site.api.epsilon_default:g}",
                         f"{local.display} gets BN statistics elsewhere with a different epsilon"),
            evidence=[(f"its statistics are copied here: {report.message}", copied)],
            why=report.why,
            fix_title=f"Build {local.display} with {name}={epsilon:g}",
            fix=set_argument(local, name, f"{epsilon:g}", f"Set {name}={epsilon:g} on {local.display}", safe=False)
            if fixable else None,
            severity=report.severity,
        )

    def _copies(self, model):
        """(finding, [(a receiving layer's site, the epsilon it should have), ...]) for each copy
        of statistics this module makes that the rule reports: every receiving layer whose epsilon
        differs, not only the one the finding names."""
        reported = set()  # one finding per pair of layers: the first write of their statistics
        # a layer whose statistics are also copied elsewhere: changing its epsilon would break that
        # other copy (torch -> keras -> torch round trips), so no automatic fix is offered for it
        sources = {id(site.call) for t in model.transfers.transfers if t.source_ref is not None
                   for site in t.source_ref.sites}
        # the epsilon acts on the variance: a pair's variance write is the one reported, its mean
        # write only when nothing else is copied
        for transfer in sorted(model.transfers.transfers,
                               key=lambda t: (_mean_only(model, t), t.node.lineno, t.node.col_offset)):
            if transfer.destination_ref is None:
                finding = self._into_saved_state_dict(model, transfer, reported)
                if finding is not None:
                    yield finding, []
                continue
            if transfer.source_ref is None:
                finding = self._from_checkpoint(model, transfer, reported)
                if finding is not None:
                    yield finding
                continue
            pair = (tuple(id(s.call) for s in transfer.source_ref.sites),
                    tuple(id(s.call) for s in transfer.destination_ref.sites))
            if pair in reported:
                continue
            source_eps = self._epsilons(model, transfer.source_ref.sites)
            destination_eps = self._epsilons(model, transfer.destination_ref.sites)
            if source_eps is None or destination_eps is None:
                continue
            if any(_close(a, b) for a, _ in source_eps for b, _ in destination_eps):
                continue
            reported.add(pair)
            source_site, destination_site = transfer.source_ref.sites[0], transfer.destination_ref.sites[0]
            (s_value, s_written), (d_value, d_written) = source_eps[0], destination_eps[0]
            s_name, d_name = source_site.api.epsilon, destination_site.api.epsilon
            src, dst = model.text(transfer.source, 25), model.text(transfer.destination, 25)
            s_default = "" if s_written else " by default"
            d_default = "" if d_written else " by default"
            source_text = (f"`{model.text(transfer.source, 40)}` ({source_site.display}, "
                           f"{s_name}={s_value:g}{s_default})")
            destination_text = (f"`{model.text(transfer.destination, 40)}` ({destination_site.display}, "
                                f"{d_name}={d_value:g}{d_default})")
            if transfer.how == "shared":
                headline = fit_headline(
                    f"`{src}` and `{dst}` get the same BN statistics but epsilon {s_value:g} vs {d_value:g}",
                    f"Two layers get the same BN statistics but epsilon {s_value:g} vs {d_value:g}")
                what = (f"{source_text} and {destination_text} are loaded with the same running statistics "
                        f"(`set_weights`, and `{model.text(transfer.source, 40)}.running_*` assigned) to compute the "
                        f"same function.")
            else:
                verb = {"set_weights": "`set_weights`", "copy_": "`copy_`", "assignment": "assignment",
                        "assign": "`assign`", "load_state_dict": "`load_state_dict`",
                        "initializer": "`moving_variance_initializer`"}[transfer.how]
                headline = fit_headline(
                    f"BN statistics of `{src}` copied into `{dst}`, whose epsilon differs "
                    f"({s_value:g} vs {d_value:g})",
                    f"BN statistics copied into `{dst}`, whose epsilon differs ({s_value:g} vs {d_value:g})",
                    f"BN statistics copied between layers whose epsilons differ ({s_value:g} vs {d_value:g})")
                what = f"The running statistics of {source_text} are copied into {destination_text} by {verb}."
            framework = "Keras" if transfer.direction != "keras->torch" else "PyTorch"
            yield Report(
                transfer.node,
                headline,
                evidence=[(f"{source_site.display} built here, {s_name}={s_value:g}{s_default}", source_site.call),
                          (f"{destination_site.display} built here, {d_name}={d_value:g}{d_default}",
                           destination_site.call)],
                why=f"{what} Inference-mode BatchNorm divides by sqrt(var + eps): the {framework} layer divides by "
                    f"sqrt(var + {d_value:g}) instead of sqrt(var + {s_value:g}), so its outputs drift from the "
                    f"original.",
                fix_title=f"Build {destination_site.display} with {d_name}={s_value:g}",
                fix=set_argument(destination_site, d_name, f"{s_value:g}",
                                 f"Set {d_name}={s_value:g} on {destination_site.display}", safe=False)
                if id(destination_site.call) not in sources else None,
            ), [(site, s_value) for site, (value, _written) in zip(transfer.destination_ref.sites, destination_eps)
                if not _close(value, s_value)]

    def _from_checkpoint(self, model, transfer, reported):
        """Statistics read by name from the other framework's checkpoint: its layers' epsilon is
        not in the code, so the framework's default is assumed and the finding is a warning."""
        destination = tuple(id(s.call) for s in transfer.destination_ref.sites)
        if destination in reported:
            return None
        destination_eps = self._epsilons(model, transfer.destination_ref.sites)
        if destination_eps is None:
            return None
        into_torch = transfer.direction == "checkpoint->torch"
        darknet = transfer.direction in ("darknet->keras", "darknet->torch")
        assumed = catalogue.KERAS_EPSILON_DEFAULT if into_torch else \
            catalogue.DARKNET_EPSILON if darknet else catalogue.TORCH_EPSILON_DEFAULT
        # entries named as a known network names its layers (keras.applications' `conv1_bn`,
        # NeMo's `mconv`) were saved by one, with its epsilon; other layers of the same checkpoint
        # (a head added to a backbone) may keep the default. The names only clear a layer built
        # with the network's epsilon; they never make a finding of their own.
        named_like = model.transfers.named_checkpoint("keras" if into_torch else "torch")
        # the layers the statistics may go into (a loader helper's parameter, filled by several
        # calls): the first one whose epsilon is not the checkpoint's
        mismatched = [(site, eps) for site, eps in zip(transfer.destination_ref.sites, destination_eps)
                      if not _close(eps[0], assumed) and not (named_like is not None and _close(eps[0], named_like[0]))
                      and (darknet or not _chosen_epsilon(site, eps))]
        if not mismatched:
            return None
        reported.add(destination)
        site, (value, written) = mismatched[0]
        origin = "a TensorFlow/Keras checkpoint" if into_torch else "a PyTorch checkpoint"
        theirs = "TensorFlow/Keras BatchNormalization" if into_torch else "PyTorch BatchNorm"
        read = model.text(transfer.evidence, 40)
        # the layers built here (a renamed checkpoint's destination) are named by their class
        dst = site.display if transfer.destination is site.call else f"`{model.text(transfer.destination, 25)}`"
        name = site.api.epsilon
        default = "" if written else " by default"
        loaded_model = transfer.from_saved_model
        if loaded_model:
            origin = "a Keras model loaded from a file"
        if transfer.unseen_layer:
            origin = ("a Keras layer built where bnlint cannot see it" if into_torch
                      else "a PyTorch layer built where bnlint cannot see it")
        if transfer.handed_by is not None:
            origin = ("weights a Keras script of the project saved" if into_torch
                      else "weights a PyTorch script of the project saved")
        if darknet:
            return self._from_darknet(model, transfer, site, value, written), [(s, assumed) for s, _eps in mismatched]
        if transfer.how == "rename":  # a name-mapping table: the other framework's names become this one's
            read_label = f"the checkpoint's `{read}` renamed to `{model.text(transfer.node, 30)}` here"
        elif loaded_model:
            read_label = f"the Keras model loaded here, by `{model.text(transfer.evidence.func, 30)}`"
        elif transfer.unseen_layer:
            read_label = f"`{read}` read from that layer here"
        elif transfer.handed_by is not None:
            read_label = f"`{read}` reads the file here"
        else:
            read_label = f"`{read}` read from the checkpoint here"
        evidence = [(f"{site.display} built here, {name}={value:g}{default}", site.call),
                    (read_label, transfer.evidence)]
        if transfer.handed_by is not None:
            evidence.append((f"the file written from {'Keras' if into_torch else 'PyTorch'} weights here",
                             transfer.handed_by))
        if transfer.loaded_by is not None:
            evidence.append((f"loaded into the model by `{model.text(transfer.loaded_by.func, 30)}` here",
                             transfer.loaded_by))
        return Report(
            transfer.node,
            fit_headline(f"{dst} ({name}={value:g}) gets BN statistics from {origin}",
                      f"{dst} gets BN statistics from {origin}"),
            evidence=evidence,
            why=f"{theirs} layers use epsilon={assumed:g} by default, and `{model.text(transfer.destination, 40)}` "
                f"({site.display}) uses {name}={value:g}{default}: unless the {'source model' if transfer.unseen_layer else 'checkpoint'} was trained with "
                f"{value:g}, the port divides by sqrt(var + {value:g}) instead of sqrt(var + {assumed:g}) and its "
                f"outputs drift. The {'saved model' if loaded_model else 'source layer' if transfer.unseen_layer else 'checkpoint'}'s epsilon is not in the code, "
                f"so its framework's default is assumed.",
            fix_title=f"Build {site.display} with {name}={assumed:g} (or the checkpoint's epsilon)",
            fix=set_argument(site, name, f"{assumed:g}", f"Set {name}={assumed:g} on {site.display}", safe=False),
            severity="W",
        ), [(s, assumed) for s, _eps in mismatched]

    @staticmethod
    def _from_darknet(model, transfer, site, value, written):
        """Darknet's statistics (a YOLO `.weights` file read as raw arrays) given to a Keras
        BatchNormalization: Darknet has no epsilon setting, so its value is known (about 1e-5)
        and a Keras layer left at 1e-3 is certain to differ (an error)."""
        assumed = catalogue.DARKNET_EPSILON
        name = site.api.epsilon
        default = "" if written else " by default"
        dst = site.display if transfer.destination is site.call else f"`{model.text(transfer.destination, 25)}`"
        return Report(
            transfer.node,
            fit_headline(f"{dst} ({name}={value:g}) gets BN statistics from a Darknet weights file (eps {assumed:g})",
                         f"{dst} gets BN statistics from a Darknet weights file (eps {assumed:g})"),
            evidence=[(f"{site.display} built here, {name}={value:g}{default}", site.call),
                      (f"`{model.text(transfer.evidence, 40)}` reads the Darknet file's raw arrays here",
                       transfer.evidence)]
            + ([(f"`{model.text(transfer.destination, 30)}` is picked from the model at run time; the "
                 f"program's Keras BatchNorm layers are built with {name}={value:g}{default}", transfer.node)]
               if transfer.layer_guessed else []),
            # (a layer picked at run time: which of the program's layers it is, bnlint cannot see)
            severity="W" if transfer.layer_guessed else None,
            why=f"Darknet normalizes with a fixed epsilon of about {assumed:g} (`sqrt(variance + .00001f)`; the "
                f"original darknet divides by `sqrt(variance) + .000001f`), and `{model.text(transfer.destination, 40)}` "
                f"({site.display}) uses {name}={value:g}{default}: the port divides by sqrt(var + {value:g}) instead, "
                f"so channels with a small running variance are scaled differently and detections drift from "
                f"Darknet's.",
            fix_title=f"Build {site.display} with {name}={assumed:g}",
            fix=set_argument(site, name, f"{assumed:g}", f"Set {name}={assumed:g} on {site.display}", safe=False),
        )

    def _into_saved_state_dict(self, model, transfer, reported):
        """Keras statistics written under PyTorch state-dict names and only saved: the PyTorch
        model that will load them is not in the code, so it is assumed to build its BatchNorm
        layers with PyTorch's default epsilon (a warning)."""
        if "saved" in reported:
            return None
        assumed = catalogue.TORCH_EPSILON_DEFAULT
        if transfer.source_ref is not None:
            source_eps = self._epsilons(model, transfer.source_ref.sites)
            if source_eps is None:
                return None
            (value, written), site = source_eps[0], transfer.source_ref.sites[0]
            source_label = f"{site.display}, {site.api.epsilon}={value:g}{'' if written else ' by default'}"
            evidence = [(f"{site.display} built here", site.call)]
        else:
            value = catalogue.KERAS_EPSILON_DEFAULT
            loaded_model = transfer.from_saved_model
            source_label = ("a Keras model loaded from a file" if loaded_model else "a TensorFlow/Keras checkpoint") + \
                f", epsilon={value:g} by default"
            evidence = [((f"the Keras model loaded here, by `{model.text(transfer.evidence.func, 30)}`"
                          if loaded_model else f"`{model.text(transfer.evidence, 40)}` read from the checkpoint here"),
                         transfer.evidence)]
        if _close(value, assumed):
            return None
        reported.add("saved")
        key = model.text(transfer.node, 40)
        if isinstance(transfer.loaded_by, ast.Call):
            evidence.append((f"saved by `{model.text(transfer.loaded_by.func, 30)}` here", transfer.loaded_by))
        else:  # the converting function, called from another module
            evidence.append(("the converted entries are taken by this call", transfer.loaded_by))
        return Report(
            transfer.node,
            fit_headline(f"Keras BN statistics converted as `{key}` for a PyTorch BatchNorm (eps={assumed:g} by "
                         f"default, not {value:g})",
                         f"Keras BN statistics converted for a PyTorch BatchNorm whose default eps is {assumed:g}"),
            evidence=evidence,
            why=f"The running statistics come from {source_label}, and are written under PyTorch state-dict names "
                f"for a model this module does not build. A PyTorch BatchNorm uses eps={assumed:g} unless it is built "
                f"otherwise, and nothing in this module reads or sets an epsilon: the port would divide by "
                f"sqrt(var + {assumed:g}) instead of sqrt(var + {value:g}) and its outputs drift.",
            fix_title=f"Build the PyTorch BatchNorm layers with eps={value:g} (or save the epsilon with the weights)",
            severity="W",
        )

    @staticmethod
    def _epsilons(model, sites):
        values = []
        for site in sites:
            value, written = model.epsilon_of(site)
            if not is_number(value):
                return None
            values.append((float(value), written))
        return values or None


def _mean_only(model, transfer) -> bool:
    """The write copies a mean (`running_mean`, `moving_mean`) and no variance."""
    text = model.text(transfer.node, 400).lower()
    return "mean" in text and "var" not in text


def _chosen_epsilon(site, eps) -> bool:
    """The receiving layer's epsilon is written and is not its framework's default (`nn.BatchNorm2d(c,
    eps=BN_EPS)` with `BN_EPS = 2e-5`): the port chose it, for a checkpoint whose epsilon the code
    does not show; a default (or the default written out) is what a forgotten epsilon looks like.
    A value merely close to the default is chosen too: `eps=1.0009999641624745e-05` is TensorFlow's
    1.001e-5 carried over by a converter, not PyTorch's 1e-5 typed again."""
    value, written = eps
    default = site.api.epsilon_default
    return bool(written) and isinstance(value, (int, float)) and default is not None and value != default


def _close(a: float, b: float) -> bool:
    """Epsilons within 1% of each other compute the same function for any practical purpose
    (Keras applications' 1.001e-5 against PyTorch's 1e-5); the defaults differ 100-fold."""
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))
