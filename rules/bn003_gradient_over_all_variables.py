"""BN003 gradient-over-all-variables."""

from __future__ import annotations

import ast
from pathlib import Path

from bnlint import catalogue
from bnlint.rule import Report, Rule, fit_headline, fix, recognized_as


# the trainable list of each attribute that lists every variable
_TRAINABLE = {"variables": "trainable_variables", "weights": "trainable_weights"}
# words of a module whose training step may take a variable list another module makes
_GRADIENT_WORDS = ("gradient", "gradients", "apply_gradients", "minimize", "compute_gradients")


def _attribute_at(model, place) -> ast.Attribute | None:
    """This module's `x.weights`/`x.variables` at the position of `place` (the same node as read
    by the project's own model of this file)."""
    if not isinstance(place, ast.Attribute) or place.attr not in _TRAINABLE:
        return None
    return next((node for node in model.index.parents if isinstance(node, ast.Attribute)
                 and node.lineno == place.lineno and node.col_offset == place.col_offset
                 and node.attr == place.attr), None)


class GradientOverAllVariables(Rule):
    """
    ## What it does
    Finds `model.variables`, `model.weights`, `model.non_trainable_variables` (and
    `_weights`), or TF1 `tf.global_variables()` (`tf.all_variables()`,
    `tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)`), passed to `tape.gradient`,
    `optimizer.apply_gradients(zip(grads, ...))`, `optimizer.minimize(var_list=...)`,
    `compute_gradients` or TF1 `tf.gradients(ys, xs)`. Names bound to those lists
    (`params = model.variables`, also `self.params` set in `__init__`) and sums of them are
    followed, and so is a helper (of this module or another of the project) that passes one
    of its parameters on as the variable list: `facenet.train(loss, step, ...,
    tf.global_variables())` with `def train(..., update_gradient_vars): grads =
    opt.compute_gradients(loss, update_gradient_vars)` is reported at the call. A list a helper
    returns is followed into the helper, of this module or another (`params = collect([enc,
    dec])` with `for m in networks: weights += m.weights`), to the models the call passes; a list
    of several models is reported once per place, for the one that holds BatchNorm. A list a base
    class of another module binds (`self.params = self.net.weights` in `Engine.__init__`) is
    followed into that module when a subclass here differentiates it. So are the variables made
    since a snapshot (`list(set(tf.global_variables()) - set(old_vars))` around a network's
    layers), an element of the tuple or list a helper returns (`output, gene_vars =
    _generator(...)`), and a property that lists the graph's variables (`critic.vars` with
    `@property def vars(self): return tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES,
    scope=self.name)`, as OpenAI baselines' DDPG models have it). When the helper that lists a
    model's `.weights`/`.variables` is in another module of the project, the error is also
    reported there, at the list (`return [w for w in model.weights if ...]`), where the fix goes.

    - Error: the model contains BatchNormalization (its moving statistics get no gradient), or
      the gradients over `model.variables` are applied zipped with `model.trainable_variables`
      (the two lists differ as soon as the model holds any non-trainable variable).
    - Warning: the model's content is unknown, or it holds no BatchNormalization today. The
      list equals the trainable one for now, and adding BatchNormalization (or freezing a
      layer) later breaks training without any error. TF1 `tf.global_variables()` with no
      batch norm built in the module (the network comes from another module, often picked
      with `importlib`) is a warning too: the list holds the global step and any moving
      averages whatever the network is. A warning is given once per model and function, at
      its first use (the `tape.gradient` call, not again at `apply_gradients`).
    An object that is not a Keras model (a class of the module with its own `weights` list,
    a PyTorch module) is not reported.

    ## Why is this bad?
    `variables`/`weights` include the non-trainable ones, and BatchNormalization's moving
    mean and moving variance are exactly those: they are updated by the layer itself (an
    exponential moving average), not by gradients. The loss does not depend on them in
    training mode, so their gradients are `None`: TensorFlow logs "Gradients do not exist for
    variables ['.../moving_mean:0', '.../moving_variance:0'] when minimizing the loss" on
    every step, code that transforms the gradient list (clipping with `tf.clip_by_norm`,
    scaling, all-reduce, `tf.math.is_finite` checks) fails on the `None` entries, and a
    model with frozen layers has those layers' variables updated by the optimizer against the
    intent of `trainable = False`. A reported custom training loop hit all of it.

    ## Example
    ```python
    grads = tape.gradient(loss, model.variables)                # BN003
    optimizer.apply_gradients(zip(grads, model.variables))      # BN003
    ```
    Use instead:
    ```python
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    ```

    ## Fix
    Use `model.trainable_variables` (TF1: `tf.trainable_variables()`, the default of
    `minimize`). Reading `model.variables` to save, copy or average weights is correct and is
    not reported.

    **Automatic fix (safe):** `.variables` becomes `.trainable_variables`, `.weights` becomes
    `.trainable_weights`, and `tf.global_variables()` becomes `tf.trainable_variables()`, where
    the list is read. A gradient over `.non_trainable_variables` has no mechanical fix.

    ## Framework versions
    TensorFlow 2.x `tf.keras` and Keras 3 (TensorFlow backend), and TF1 graph mode for
    `tf.global_variables()`.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization (moving_mean
      and moving_variance are non-trainable weights)
    - https://www.tensorflow.org/guide/keras/writing_a_training_loop_from_scratch
      (`tape.gradient(loss_value, model.trainable_weights)`)
    - https://github.com/penny4860/tf2-eager-yolo3/issues/17 and
      https://github.com/tensorlayer/SRGAN/issues/210 ("Gradients do not exist for variables
      [...moving_mean:0, ...moving_variance:0]")
    """

    code = "BN003"
    name = "gradient-over-all-variables"
    severity = "E"
    summary = "a model's non-trainable variables (BN moving statistics) are passed to a gradient or optimizer"
    requires = catalogue.ALL_VARIABLE_WORDS + catalogue.VARIABLE_USE_WORDS
    fix_applicability = "safe"

    def check(self, model):
        for report, _source in self._reports(model):
            yield report
        yield from self._listed_here_for_others(model)

    def _listed_here_for_others(self, model):
        """A helper of this module lists a model's variables (`return [w for w in model.weights if
        ...]`) and another module's training step takes them (`grads = tape.gradient(loss,
        finetune_params(model))`): reported here too, at the list, where the fix goes."""
        project = model.project
        if project is None or not any(f".{name}" in model.source for name in _TRAINABLE):
            return
        here = Path(model.path).resolve()
        done = set()
        # (only modules that can call this one's helpers: those that import it or name what it
        # defines, their importers, and the modules these import)
        for other in project.modules_with_any_word(_GRADIENT_WORDS,
                                                   among=project.modules_naming_this(model.defined_names)):
            for report, source in self._reports(other):
                listed = getattr(source.listed_in_helper, "source", None)
                if listed is None or Path(listed[0].path).resolve() != here or report.severity == "W":
                    continue
                node = _attribute_at(model, listed[1])
                if node is None or id(node) in done:
                    continue
                done.add(id(node))
                taken = project.foreign(report.node, other)
                new = _TRAINABLE[node.attr]
                yield Report(
                    node,
                    fit_headline(f"`{model.text(node, 30)}` is handed to a gradient in {taken.bnlint_path}:"
                                 f"{taken.lineno}, BN moving statistics included",
                                 f"`{model.text(node, 30)}` is handed to a gradient, BN moving statistics included"),
                    evidence=[(f"taken here: {report.message}", taken)],
                    why=report.why,
                    fix_title=f"Use `{model.text(node.value, 30)}.{new}`",
                    fix=fix("rename_attribute", node, f"Use `{model.text(node.value, 30)}.{new}`", safe=True, new=new),
                )

    def _reports(self, model):
        """(finding, the variable list it is about) for each gradient or optimizer call of this
        module given non-trainable variables."""
        latent = set()  # (model, function): a latent warning is given once, at its first use there
        for use in model.training.variable_uses:
            # a list of several models' variables (`collect([body, head])`) is reported once per
            # place, for the model that holds BatchNorm when one does
            sources = [(source, self._bn_evidence(model, source)) for source in use.sources
                       if source.includes_non_trainable and not source.from_caller]
            # (a list a caller passes in is reported at that call)
            sources.sort(key=lambda pair: not pair[1])
            reported_at = set()
            for source, found in sources:
                misaligned = self._zipped_with_trainable(model, use, source)
                severity = None
                if not found and not misaligned:
                    if not self._may_be_keras_model(model, source):
                        continue
                    severity = "W"
                    key = (ast.dump(source.owner) if source.owner is not None else None,
                           model.index.enclosing_function(use.call))
                    if key in latent:
                        continue
                    latent.add(key)
                node = source.via if source.via is not None else source.node
                listed = model.text(source.node, 30)
                callee = model.text(use.call.func, 30)
                kind = "the non-trainable variables" if source.kind == "non-trainable" else \
                    "every variable, the non-trainable moving mean and variance included" if found else \
                    "every variable, the non-trainable ones included"
                owner_text = model.text(source.owner, 30) if source.owner is not None else "the graph"
                if source.owner is not None:
                    evidence = [(f"`{owner_text}` contains {name}", n) for name, n in found[:2]]
                else:
                    evidence = [(f"{name} built here", n) for name, n in found[:2]]
                if source.via is not None:
                    evidence.append((f"`{model.text(source.via, 30)}` bound to `{listed}` here", source.node))
                if source.inherited_from is not None:
                    evidence.append((f"a base class sets `{listed}` to the variables of `{owner_text}` here",
                                     source.inherited_from))
                if use.inner is not None:
                    evidence.append((f"`{callee}` passes it on as the variable list of a gradient call here",
                                     use.inner))
                fix_title = (f"Use `{owner_text}.trainable_variables`" if source.owner is not None
                             else "Use `tf.trainable_variables()`")
                if source.via is not None and source.owner is not None:
                    fix_title = f"Bind `{model.text(source.via, 30)}` to `{owner_text}.trainable_variables`"
                if source.inherited_from is not None:
                    fix_title = f"Make the base class set `{listed}` to `{owner_text}.trainable_variables`"
                if source.listed_in_helper is not None:
                    # a helper's call (`params_of(enc, dec)`), or a property (`critic.vars`)
                    called = isinstance(source.node, ast.Call)
                    helper = model.text(source.node.func if called else source.node, 30) + ("()" if called else "")
                    evidence.append((f"`{helper}` lists them here", source.listed_in_helper))
                    fix_title = f"Make `{helper}` list the trainable variables only"
                if found:
                    headline = fit_headline(f"`{listed}` passed to `{callee}` includes BN moving statistics",
                                         f"`{listed}` includes BN moving statistics")
                    holder = f"`{owner_text}` contains" if source.owner is not None else "the graph contains"
                    why = (f"`{listed}` lists {kind}, and {holder} {found[0][0]}. Those statistics are updated by "
                           f"the layer, not by gradients: their gradients are None ('Gradients do not exist for "
                           f"variables ...moving_mean'), and code that transforms the gradient list fails on them.")
                elif misaligned:
                    evidence.append((f"gradients applied to `{model.text(misaligned, 40)}` here", misaligned))
                    headline = fit_headline(f"Gradients over `{listed}` are applied to `{model.text(misaligned, 35)}`",
                                         f"Gradients over `{listed}` are applied to other variables")
                    why = (f"`{listed}` lists {kind}, but the gradients are paired with "
                           f"`{model.text(misaligned, 40)}`: as soon as `{owner_text}` holds a non-trainable "
                           f"variable the two lists no longer line up and gradients are applied to the wrong "
                           f"variables.")
                else:
                    contents = model.models.contents_of(source.owner) if source.owner is not None else None
                    if contents is not None and contents.how and contents.origin is not None:
                        evidence.append((recognized_as(owner_text, contents.how), contents.origin))
                    # (the model may hold no non-trainable variable today: the list is the wrong one,
                    # whether or not it differs yet)
                    headline = fit_headline(f"`{listed}` passed to `{callee}` lists all variables, not the "
                                            f"trainable ones",
                                            f"`{listed}` lists all variables, not the trainable ones")
                    why = (f"`{listed}` lists {kind}. `{owner_text}` holds no BatchNormalization bnlint can see "
                           f"today, but once it holds non-trainable state those variables get no gradient (None) "
                           f"and frozen layers are updated.")
                    if source.owner is None:
                        why = (f"`{listed}` lists every variable of the graph: the global step, moving averages "
                               f"and the moving mean and variance of any batch norm built elsewhere (no "
                               f"batch norm is built in this module). Those variables get no gradient (None), "
                               f"and variables meant to stay frozen are updated.")
                if source.kind == "non-trainable" and not misaligned:
                    headline = fit_headline(f"`{listed}` passed to `{callee}` holds only non-trainable variables",
                                         f"`{listed}` holds only non-trainable variables")
                if id(node) in reported_at:
                    continue
                reported_at.add(id(node))
                yield Report(node, headline, evidence=evidence, severity=severity, why=why, fix_title=fix_title,
                             fix=self._fix(model, source)), source

    @staticmethod
    def _fix(model, source):
        """`.variables`/`.weights` -> their trainable lists; `tf.global_variables()` ->
        `tf.trainable_variables()`. A gradient over non-trainable variables has no mechanical fix."""
        target = source.node
        if source.kind == "all" and isinstance(target, ast.Attribute) and target.attr in _TRAINABLE:
            new = _TRAINABLE[target.attr]
            return fix("rename_attribute", target, f"Use `{model.text(target.value, 30)}.{new}`", safe=True, new=new)
        if (source.kind == "global" and isinstance(target, ast.Call) and target.args
                and isinstance(target.args[0], ast.Attribute) and target.args[0].attr == "GLOBAL_VARIABLES"):
            # `tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)` -> `...TRAINABLE_VARIABLES`
            key = target.args[0]
            return fix("rename_attribute", key, f"Use `{model.text(key.value, 30)}.TRAINABLE_VARIABLES`", safe=True,
                       new="TRAINABLE_VARIABLES")
        if (source.kind == "global" and isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute)
                and not target.args and source.listed_in_helper is None
                and target.func.attr in ("global_variables", "all_variables")):
            # (only `tf.global_variables()` itself: a helper that returns it, `graph.model_variables()`,
            # has no `trainable_variables()` to call instead)
            module = model.text(target.func.value, 30)
            return fix("rename_attribute", target, f"Use `{module}.trainable_variables()`", safe=True,
                       new="trainable_variables")
        return None

    @staticmethod
    def _bn_evidence(model, source):
        if source.owner is None:  # TF1 tf.global_variables(): the graph built in this module
            found = [(site.qualname.rpartition(".")[2], site.call) for site in model.norm_sites
                     if site.api.kind == catalogue.BATCH]
            listed = source.listed_in_helper
            if not found and getattr(listed, "source", None) is not None and model.project is not None:
                # listed by a helper of another module that builds the graph (`gene_vars =
                # list(set(tf.global_variables()) - set(old_vars))` around its layers): that module's
                other = listed.source[0]
                found = [(site.qualname.rpartition(".")[2], model.project.foreign(site.call, other))
                         for site in other.norm_sites if site.api.kind == catalogue.BATCH]
            return found
        contents = model.models.contents_of(source.owner)
        if contents is None or not contents.bn or contents.framework == "torch":
            return []
        return contents.bn_evidence

    @staticmethod
    def _zipped_with_trainable(model, use, source):
        """`tape.gradient(loss, m.variables)` whose gradients are applied with
        `zip(grads, m.trainable_variables)`: the `trainable_variables` expression, or None."""
        if source.owner is None or use.kind != "tape.gradient":
            return None
        owner = ast.dump(source.owner)
        function = model.index.enclosing_function(use.call)
        for other in model.training.variable_uses:
            if other.kind != "apply_gradients" or model.index.enclosing_function(other.call) is not function:
                continue
            for other_source in other.sources:
                if (other_source.kind == "trainable" and other_source.owner is not None
                        and ast.dump(other_source.owner) == owner):
                    return other_source.node
        return None

    @staticmethod
    def _may_be_keras_model(model, source):
        """A Keras model or layer, or an object bnlint cannot see that may be one; not a class of
        this module that is no Keras model (its `weights` attribute is its own list), nor a
        PyTorch model."""
        if source.owner is None:
            # TF1 `tf.global_variables()` with no batch norm built in this module: the graph may
            # be built in another (`importlib.import_module(args.model_def)`), and it holds the
            # global step and any moving averages anyway
            return True
        contents = model.models.contents_of(source.owner)
        if contents is not None:
            return contents.framework != "torch"
        owner = source.owner
        attr = source.node.attr if isinstance(source.node, ast.Attribute) else None
        if isinstance(owner, ast.Name) and owner.id == "self":
            return False  # `self` is not a Keras model/layer (contents would say so): its own attribute
        cls = model.models.instance_class(owner)
        if cls is not None:
            return False
        # an attribute the module assigns itself (`net.weights = [...]`) is a plain list
        return not any(isinstance(t, ast.Attribute) and t.attr == attr and ast.dump(t.value) == ast.dump(owner)
                       for a in model.index.assigns for t in getattr(a, "targets", [getattr(a, "target", None)]))

