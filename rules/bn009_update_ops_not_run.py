"""BN009 update-ops-not-run."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, fix
from bnlint.semantic import UNKNOWN

_TF1_BN_KEYS = {"tf1.layers.batch_normalization", "tf1.contrib.batch_norm"}


# building a train op that applies gradients (compute_gradients alone applies nothing)
_APPLY_OPS = catalogue.TRAIN_OP_METHODS - {"compute_gradients"}


class UpdateOpsNotRun(Rule):
    """
    ## What it does
    Finds TF1 graphs with `tf.layers.batch_normalization` / `tf.compat.v1.layers.batch_normalization`
    or `tf.contrib.layers.batch_norm` (also as `slim.batch_norm`, and as slim's
    `normalizer_fn=` of a layer or an `arg_scope`, with `normalizer_params` as its arguments)
    in training mode, and an optimizer's `minimize(...)`/`apply_gradients(...)` in the same
    module, where the module never refers to `tf.GraphKeys.UPDATE_OPS` (so the train op cannot
    depend on the updates), does not use `create_train_op` or `optimize_loss` (which add them,
    unless given `update_ops=[]`, which is reported), and the contrib layers do not set
    `updates_collections=None` (which updates in place). Python 2 scripts (`print x`) are read
    too. The batch norm may be built by a class or function of another project module the
    script calls (`net = SegNet(images, 2, is_training)` with slim's `batch_norm` in network.py),
    when that module does not run the UPDATE_OPS itself.

    Training mode: `training=`/`is_training=` not known to be False (`True`, a placeholder, a
    parameter), or contrib's default `is_training=True`. `tf.layers.batch_normalization`
    without `training=` is in inference mode and needs no updates. A train op over the variables
    of one `tf.variable_scope` in which no batch norm is built (a GAN's discriminator op, with
    `var_list=tf.get_collection(TRAINABLE_VARIABLES, scope="discriminator")`) is not reported.

    ## Why is this bad?
    These layers compute the moving mean and variance with separate assign ops that they put
    in the `UPDATE_OPS` collection; nothing runs them unless the train op depends on them. The
    model trains normally, but the moving statistics stay at their initial 0 and 1, and in
    inference mode the network normalizes with those: predictions are garbage while training
    accuracy looked fine. The TF documentation of the layer spells it out.

    ## Example
    ```python
    net = tf.layers.batch_normalization(net, training=is_training)
    train_op = tf.train.AdamOptimizer().minimize(loss)     # BN009
    ```
    Use instead:
    ```python
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.AdamOptimizer().minimize(loss)
    ```

    ## Fix
    Build the train op under `tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))`,
    use `slim.learning.create_train_op`, or pass `updates_collections=None` to contrib's batch_norm.

    **Automatic fix (unsafe):** the statement that builds the train op is wrapped in
    `with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):` (using the
    module's own name for TensorFlow). Unsafe: it must come after every batch norm layer is built.

    ## Framework versions
    TensorFlow 1.x graph mode and `tf.compat.v1` in TF 2.x. Keras layers in TF2 eager mode
    update their statistics themselves and are not concerned.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/compat/v1/layers/batch_normalization (note on UPDATE_OPS)
    - https://github.com/tensorflow/tensorflow/blob/r1.15/tensorflow/contrib/layers/python/layers/layers.py (batch_norm: updates_collections)
    """

    code = "BN009"
    name = "update-ops-not-run"
    severity = "E"
    fix_applicability = "unsafe"
    summary = "TF1 batch norm in training mode and the train op does not run the UPDATE_OPS"
    requires = catalogue.minimal_words(catalogue.api_names(catalogue.BATCH))
    # (a training script whose network another module of the project builds: `resnet = ResNet(x,
    # is_training=is_training_tensor)` with slim's batch_norm in that module)
    requires_imported = requires

    def check(self, model):
        if self._update_ops_handled(model):
            return
        sites = [(s, s.call) for s in model.norm_sites if s.api.key in _TF1_BN_KEYS and self._training(model, s)]
        train_ops = [c for c in model.index.calls if isinstance(c.func, ast.Attribute) and c.func.attr in _APPLY_OPS
                     and self._tf_optimizer(model, c)]
        train_ops += [c for c in model.index.calls if _drops_update_ops(c)]
        if not train_ops:
            return
        if not sites:
            sites = self._built_by_project_modules(model)
        if not sites:
            return
        for train_op in train_ops:
            scope = _variable_scope_trained(model, train_op)
            around = [_variable_scopes(model, where) for _site, where in sites if not hasattr(where, "bnlint_path")]
            if scope is not None and around and all(around) and not any(
                    name.startswith(scope) for names in around for name in names):
                # `minimize(loss_d, var_list=tf.get_collection(TRAINABLE_VARIABLES, scope="discriminator"))`
                # with every batch norm in the generator's scope: this op trains no batch norm
                continue
            yield Report(
                train_op,
                f"`{model.text(train_op.func, 40)}` builds a train op that never runs the UPDATE_OPS",
                evidence=[(f"{s.display} in training mode", where) for s, where in sites[:3]],
                why="Batch norm in training mode puts the updates of its moving mean and variance in the "
                    "UPDATE_OPS collection, and this module never runs them: the moving statistics stay at "
                    "0 and 1, so inference normalizes with them.",
                fix_title="Build the train op under "
                          "`tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))`",
                fix=self._fix(model, train_op),
            )

    def _built_by_project_modules(self, model) -> list:
        """TF1 batch norm in training mode inside a network another project module builds for this
        module's graph, when that module does not run the UPDATE_OPS itself."""
        if model.project is None or not model.project.imports_mention(model.source, self.requires_imported):
            return []
        return model.project_norm_sites(
            lambda other, site: site.api.key in _TF1_BN_KEYS and self._training(other, site),
            skip_module=self._update_ops_handled)

    @staticmethod
    def _fix(model, train_op):
        """The statement that builds the train op, wrapped in `with tf.control_dependencies(...)`
        (unsafe: where the train op is built decides which update ops exist by then)."""
        statement = model.index.statement_of(train_op)
        tf = model.index.module_alias("tensorflow.compat.v1", "tensorflow")
        if statement is None or tf is None or not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.Expr)):
            return None
        header = f"{tf}.control_dependencies({tf}.get_collection({tf}.GraphKeys.UPDATE_OPS))"
        return fix("wrap_with", statement, "Build the train op after the UPDATE_OPS", safe=False, header=header)

    @staticmethod
    def _update_ops_handled(model) -> bool:
        """The module collects the UPDATE_OPS (to depend on them) or builds the train op with
        create_train_op, which adds them: it handles them somewhere; no guess about the wiring."""
        for call in model.index.calls:
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in catalogue.TRAIN_OP_BUILDERS and not _drops_update_ops(call):
                return True
            if name in ("get_collection", "get_collection_ref") and call.args:
                key = call.args[0]
                if model.const(key) == "update_ops" or (isinstance(key, ast.Attribute) and key.attr == "UPDATE_OPS"):
                    return True
        return False

    @staticmethod
    def _training(model, site) -> bool:
        if site.api.key == "tf1.contrib.batch_norm":
            updates = site.arg("updates_collections")
            if updates is not None and model.const(updates) in (None, UNKNOWN):
                return False  # None: updated in place; unknown: cannot tell
        if site.opaque:
            return False
        flag = site.arg(site.api.training)
        if flag is None:
            return bool(site.api.training_default)
        return model.const(flag, site.scope) is not False

    @staticmethod
    def _tf_optimizer(model, call) -> bool:
        """A TF1 optimizer (tf.train.*Optimizer), not a Keras/torch one."""
        receiver = call.func.value
        if isinstance(receiver, ast.Call):
            qual = model.qualname(receiver.func) or ""
            return qual.startswith("tensorflow.train.") or qual.startswith("tensorflow.compat.v1.train.")
        if isinstance(receiver, (ast.Name, ast.Attribute)):
            # `opt = tf.train.AdamOptimizer(lr)`, `self.optimizer = tf.compat.v1.train.AdamOptimizer(...)`
            for origin, _scope in model.values.origins(receiver)[:4]:
                if isinstance(origin, ast.Call) and isinstance(origin.func, (ast.Name, ast.Attribute)):
                    qual = model.qualname(origin.func) or ""
                    if qual.startswith("tensorflow.train.") or qual.startswith("tensorflow.compat.v1.train."):
                        return True
        return False


def _drops_update_ops(call: ast.Call) -> bool:
    """`optimize_loss(..., update_ops=[])` / `create_train_op(..., update_ops=[])`: a train op
    builder told to run no update ops (by default both run the UPDATE_OPS collection)."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in catalogue.TRAIN_OP_BUILDERS:
        return False
    given = next((k.value for k in call.keywords if k.arg == "update_ops"), None)
    return isinstance(given, (ast.List, ast.Tuple)) and not given.elts


def _variable_scope_trained(model, train_op: ast.Call) -> str | None:
    """The variable scope a train op's variable list is drawn from: `var_list=tf.get_collection(
    tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")`, `tf.trainable_variables("d")`, or
    `[v for v in tf.trainable_variables() if v.name.startswith("d_")]` (also through a name or an
    attribute it is stored in); None when it is not one scope."""
    given = next((k.value for k in train_op.keywords if k.arg == "var_list"), None)
    if given is None:
        return None
    values = [o for o, _scope in model.values.origins(given)] if isinstance(given, (ast.Name, ast.Attribute)) else [given]
    if len(values) != 1:
        return None
    value = values[0]
    if isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute)):
        name = (model.qualname(value.func) or "").rpartition(".")[2]
        scope = next((k.value for k in value.keywords if k.arg == "scope"), None)
        if scope is None and name == "get_collection" and len(value.args) > 1:
            scope = value.args[1]
        if scope is None and name in ("trainable_variables", "global_variables") and value.args:
            scope = value.args[0]
        text = model.const(scope) if scope is not None else None
        return text if isinstance(text, str) and text else None
    if isinstance(value, ast.ListComp) and value.generators and value.generators[0].ifs:
        test = value.generators[0].ifs[0]
        if (isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "startswith"
                and test.args):
            text = model.const(test.args[0])
            return text if isinstance(text, str) and text else None
    return None


def _variable_scopes(model, node) -> list[str]:
    """The names of the `tf.variable_scope("...")` blocks around `node` in its module."""
    names = []
    for ancestor in model.index.ancestors(node):
        if isinstance(ancestor, ast.With):
            for item in ancestor.items:
                opened = item.context_expr
                if (isinstance(opened, ast.Call) and isinstance(opened.func, (ast.Name, ast.Attribute))
                        and (model.qualname(opened.func) or "").rpartition(".")[2] == "variable_scope" and opened.args):
                    name = model.const(opened.args[0])
                    if isinstance(name, str):
                        names.append(name)
    return names
