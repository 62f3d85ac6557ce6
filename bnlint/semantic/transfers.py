"""Weight transfers between frameworks: where a BatchNorm's statistics are copied from a
PyTorch layer into a Keras one, or back.

Recognized:
- `keras_layer.set_weights([...])` whose list reads a torch BN's `running_mean`/`running_var`
  (also through `.detach().cpu().numpy()`, `np.array(...)`, a name bound to the list, or a
  `state_dict()[...running_var]` of a torch model);
- `torch_bn.running_var.data = ...`, `torch_bn.running_mean.copy_(...)` (and `= ...`) fed from a
  Keras BN's `get_weights()` (directly or through a name) or its `moving_mean`/`moving_variance`.
- Checkpoints: statistics read from a TensorFlow/Keras checkpoint or `.h5` file by name
  (`f[...]["moving_variance:0"]`, `reader.get_tensor(name + "/moving_variance")`) written into
  a torch BN, directly or as `state_dict[...".running_var"]` entries loaded with
  `model.load_state_dict(...)`; and a torch checkpoint's `[..."running_var"]` entries handed to
  a Keras layer's `set_weights`. The checkpoint's own epsilon is not in the code: the source
  framework's default is assumed (`source_ref` is None).

The layers on both sides are resolved with `layer_ref` (names, `self.bn`, `model.layers[i]`,
`block[1]`, unpacking, loops over `zip(torch_model.modules(), keras_model.layers)`), so every
transfer knows the construction sites, and so the epsilons, of both layers.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bnlint import catalogue
from bnlint.semantic.models import LayerRef, layer_ref

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import NormSite, SemanticModel

_DARKNET_NAMED = re.compile(r"darknet|yolo|\.weights['\"]", re.IGNORECASE)
TORCH_STATISTICS = {"running_mean", "running_var"}
KERAS_STATISTICS = {"moving_mean", "moving_variance"}
KERAS_FRAMEWORKS = {"keras", "tf.keras", "tf1"}
TORCH_FRAMEWORKS = {"torch", "torchvision"}


@dataclass(eq=False)
class Transfer:
    node: ast.AST  # where the statistics are written
    how: str  # "set_weights" | "copy_" | "assignment"
    source: ast.AST  # the expression naming the layer read from
    source_ref: LayerRef | None
    destination: ast.AST  # the expression naming the layer written to
    destination_ref: LayerRef | None  # None: entries saved for a torch model the code does not build
    # "torch->keras" | "keras->torch" | "twins" | "checkpoint->torch" | "checkpoint->keras" |
    # "darknet->keras" | "darknet->torch"
    direction: str
    evidence: ast.AST | None = None  # for checkpoints: where the statistic is read by name
    loaded_by: ast.Call | None = None  # for state_dict entries: the load_state_dict (or torch.save) call
    from_saved_model: bool = False  # for checkpoints: `evidence` is a Keras model loaded from a file
    # for checkpoints: the source is a layer of the other framework built where bnlint cannot see it
    # (another repository, a model read from a file by a helper): `evidence` is where it is read
    unseen_layer: bool = False
    # for checkpoints: the file's arrays were written by another module of the project, from a
    # model of the other framework (`pickle.dump(model.get_weights(), f)`): where (a place there)
    handed_by: object = None
    # the receiving layer is picked from the model at run time (a Darknet loader walking its
    # layers): `destination_ref` holds the BatchNorm layers of the program it serves
    layer_guessed: bool = False


# Files that carry bare arrays between two scripts, and the calls that write and read them.
_HANDOFF_SUFFIXES = (".pkl", ".pickle", ".npz", ".npy", ".joblib")
_FILE_READS = ("pickle.load", "numpy.load", "joblib.load")
_FILE_DUMPS = ("pickle.dump", "numpy.save", "numpy.savez", "numpy.savez_compressed", "joblib.dump")
# what the writing script's code holds when the arrays are a framework's weights
_WEIGHTS_OF = {"keras": ("get_weights(", ".moving_variance"), "torch": ("state_dict(", ".running_var")}
# a BatchNorm statistic's name inside a key (`"block3/bn/moving_variance"`, `f"{name}.running_var"`)
_STATISTIC_KEY = re.compile(r"(moving|running)_(var|variance|mean)\b")


def _family(sites: list["NormSite"]) -> str | None:
    frameworks = {site.api.framework for site in sites if site.api.kind == catalogue.BATCH}
    if not frameworks or len(frameworks) != len({site.api.framework for site in sites}):
        return None
    if frameworks <= KERAS_FRAMEWORKS:
        return "keras"
    if frameworks <= TORCH_FRAMEWORKS:
        return "torch"
    return None


class TransferAnalysis:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.index = model.index
        self.transfers: list[Transfer] = []
        self._torch_writes: list[tuple[ast.AST, ast.AST, ast.AST]] = []  # (node, owner, value)
        self._keras_sets: list[tuple[ast.Call, ast.AST]] = []  # (set_weights call, weights)
        self._find_set_weights()
        self._find_initialized_statistics()
        self._find_torch_writes()
        self._find_shared_statistics()
        self._find_state_dict_entries()
        self._find_whole_model_copies()
        self._find_rename_tables()

    def named_checkpoint(self, framework: str) -> tuple[float, ast.Constant] | None:
        """(epsilon, the string) when a string of the module names checkpoint entries the way
        a known network of `framework` names its BatchNorm layers (keras.applications' ResNet
        and DenseNet: `"conv2_block1_0_bn/moving_variance:0"`, epsilon 1.001e-5; NeMo's Jasper
        blocks: `"encoder.0.mconv.2.running_var"`, 1e-3): the checkpoint was saved by one of
        them, whose epsilon is not the framework's default."""
        cache = self.__dict__.setdefault("_named_checkpoints", {})
        if framework not in cache:
            cache[framework] = None
            strings = [node for node in ast.walk(self.index.tree) if isinstance(node, ast.Constant)
                       and isinstance(node.value, str) and len(node.value) < 200]
            for pattern, owner, epsilon in catalogue.NAMED_CHECKPOINTS:
                if owner != framework:
                    continue
                compiled = re.compile(pattern)
                found = next((node for node in strings if compiled.search(node.value)), None)
                if found is not None:
                    cache[framework] = (epsilon, found)
                    break
        return cache[framework]

    def _ref(self, expr: ast.AST, family: str) -> LayerRef | None:
        ref = layer_ref(self.model.models, expr)
        if ref is None or not ref.sites or _family(ref.sites) != family:
            return None
        return ref

    def _resolved(self, expr: ast.AST, depth: int = 0) -> ast.AST:
        """A name bound once to a list/call stands for that expression."""
        if isinstance(expr, ast.Name) and depth < 4:
            binding = self.model.values.binding_of(expr)  # the one that reaches this use
            if binding is not None and binding.kind in ("assign", "annassign") and binding.value is not None:
                return self._resolved(binding.value, depth + 1)
            if (binding is not None and binding.kind == "unpack" and isinstance(binding.value, (ast.Tuple, ast.List))
                    and binding.index is not None and binding.index < len(binding.value.elts)
                    and not any(isinstance(e, ast.Starred) for e in binding.value.elts)):
                # `mean, var = bn.running_mean.numpy(), bn.running_var.numpy()`
                return self._resolved(binding.value.elts[binding.index], depth + 1)
        return expr

    # ---- torch -> keras ------------------------------------------------------------------
    def _find_set_weights(self) -> None:
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "set_weights" and len(call.args) == 1):
                continue
            destination = self._ref(func.value, "keras") or self._whole_keras_model(func.value)
            weights = self._resolved(call.args[0])
            guessed = False
            if destination is None and self._darknet_read(weights) is not None:
                # `bn = yolo_conv2d.sequential.get_layer(index=1); bn.set_weights(bn_weights)` in a
                # Darknet loader that walks the model's layers at run time: the Keras BatchNorm
                # layers of the program it serves
                destination, guessed = self._program_keras_norms(), True
            if destination is None:
                continue
            self._keras_sets.append((call, weights))
            for owner, whole_model in self._torch_statistics_owners(weights) or [
                    found for part in self.model.values.list_elements(call.args[0]) or [] for found in self._torch_statistics_owners(part)]:
                source = self._model_ref(owner) if whole_model else self._ref(owner, "torch")
                if source is not None:
                    self.transfers.append(Transfer(call, "set_weights", owner, source, func.value, destination,
                                                   "torch->keras"))
                    break
            else:
                named = self._names_statistic(weights, TORCH_STATISTICS) or self._torch_checkpoint_read(weights)
                if named is not None:
                    self.transfers.append(Transfer(call, "set_weights", named, None, func.value, destination,
                                                   "checkpoint->keras", evidence=named))
                    continue
                read = self._darknet_read(weights)
                if read is not None:
                    self.transfers.append(Transfer(call, "set_weights", read, None, func.value, destination,
                                                   "darknet->keras", evidence=read, layer_guessed=guessed))
                    continue
                handed = self._handed_over("torch") if self._bn_arrays(call.args[0]) else None
                if handed is not None:
                    # arrays a PyTorch script of the project saved (`np.savez(path, **state_dict)`)
                    self.transfers.append(Transfer(call, "set_weights", handed[0], None, func.value, destination,
                                                   "checkpoint->keras", evidence=handed[0], handed_by=handed[1]))

    def _darknet_read(self, weights: ast.AST) -> ast.AST | None:
        """The raw read of a Darknet `.weights` file that the arrays `weights` lists come from
        (`np.fromfile(wf, np.float32, count=4 * filters)`, `np.ndarray(shape, buffer=f.read(n))`,
        a reader object's `self.all_weights = np.frombuffer(...)` sliced by its `read_bytes`), in
        a module that names Darknet or YOLO (raw arrays of another origin carry no known epsilon).
        None otherwise."""
        if not self._names_darknet():
            return None
        if isinstance(weights, (ast.List, ast.Tuple)) and len(weights.elts) != 4:
            return None  # (a BatchNorm's list holds gamma, beta, mean and variance; a kernel's does not)
        return self._raw_array_read(weights, 0)

    def _instance_method(self, call: ast.Call):
        """`reader.read_bytes(n)` with `reader = WeightReader(path)` of a class of this module:
        that method; None otherwise."""
        from bnlint.semantic.models import instance_class

        if not isinstance(call.func, ast.Attribute):
            return None
        owner = instance_class(self.model.models, call.func.value)
        if owner is None or owner[0] is not self.model.models:
            return None
        return next((stmt for stmt in owner[1].body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and stmt.name == call.func.attr), None)

    def _foreign_instance_method(self, call: ast.Call):
        """(the semantic model of its module, the method) for `reader.read_bytes(n)` with `reader`
        an instance of a class another module of the project defines; None otherwise."""
        from bnlint.semantic.models import instance_class

        if not isinstance(call.func, ast.Attribute) or self.model.project is None:
            return None
        owner = instance_class(self.model.models, call.func.value)
        if owner is None or owner[0] is self.model.models:
            return None
        method = next((stmt for stmt in owner[1].body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and stmt.name == call.func.attr), None)
        return (owner[0].model, method) if method is not None else None

    def _names_darknet(self) -> bool:
        cached = self.__dict__.get("_darknet_named")
        if cached is None:
            # (the words, or a `.weights` file named in a string: not `model.weights`)
            cached = self._darknet_named = bool(_DARKNET_NAMED.search(self.model.source))
        return cached

    def _raw_array_read(self, expr: ast.AST, depth: int) -> ast.AST | None:
        if depth > 8:
            return None
        if isinstance(expr, (ast.List, ast.Tuple)):
            return next((r for r in (self._raw_array_read(e, depth + 1) for e in expr.elts) if r is not None), None)
        if isinstance(expr, ast.Subscript):
            return self._raw_array_read(expr.value, depth + 1)
        if isinstance(expr, ast.Name):
            for binding in (self.model.values.reaching_bindings(expr) or [])[:4]:
                value = binding.value
                if binding.kind == "unpack" and binding.index is not None:
                    # `beta, gamma, mean, var = (reader.take(n) for _ in range(4))`
                    value = value.elt if isinstance(value, (ast.GeneratorExp, ast.ListComp)) else \
                        value.elts[binding.index] if isinstance(value, (ast.Tuple, ast.List)) and \
                        binding.index < len(value.elts) else None
                elif binding.kind not in ("assign", "annassign"):
                    value = None
                found = self._raw_array_read(value, depth + 1) if value is not None else None
                if found is not None:
                    return found
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            for origin, _scope in self.model.values.origins(expr)[:4]:
                if origin is not expr:
                    found = self._raw_array_read(origin, depth + 1)
                    if found is not None:
                        return found
            return None
        if not isinstance(expr, ast.Call):
            return None
        qual = self.model.qualname(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else None
        if qual in catalogue.RAW_ARRAY_READERS:
            return expr
        if qual == "numpy.ndarray" and any(k.arg == "buffer" for k in expr.keywords):
            return expr
        if qual in ("numpy.transpose", "numpy.reshape", "numpy.array", "numpy.asarray", "numpy.squeeze",
                    "torch.from_numpy", "torch.tensor", "torch.Tensor", "torch.as_tensor",
                    "torch.FloatTensor") and expr.args:
            return self._raw_array_read(expr.args[0], depth + 1)
        if isinstance(expr.func, ast.Attribute) and expr.func.attr in ("reshape", "transpose", "astype", "copy",
                                                                        "squeeze", "flatten", "view", "view_as",
                                                                        "float", "clone"):
            return self._raw_array_read(expr.func.value, depth + 1)
        # a reader's method or a helper of this module that returns the arrays
        callee = self.index.local_callee(expr)
        function = callee[0] if callee is not None else self._instance_method(expr)
        if function is None:
            # a reader class of another module (`reader = WeightReader(path)` from utils.py): its
            # method's raw read, as a place of that module
            foreign = self._foreign_instance_method(expr)
            if foreign is not None:
                home, method = foreign
                for node in ast.walk(method):
                    if isinstance(node, ast.Return) and node.value is not None \
                            and home.index.enclosing_function(node) is method:
                        found = home.transfers._raw_array_read(node.value, depth + 1)
                        if found is not None:
                            return self.model.project.foreign(found, home)
            return None
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None \
                    and self.index.enclosing_function(node) is function:
                found = self._raw_array_read(node.value, depth + 1)
                if found is not None:
                    return found
        return None

    def _find_initialized_statistics(self) -> None:
        """A Keras BatchNormalization built with PyTorch's statistics as its initial values:
        `BatchNormalization(moving_variance_initializer=tf.constant_initializer(
        weights["bn1.running_var"]))`, or `Constant(torch_bn.running_var.numpy())`."""
        from bnlint.semantic.models import LayerRef

        for site in self.model.norm_sites:
            if site.api.kind != catalogue.BATCH or _family([site]) != "keras":
                continue
            given = next((k.value for k in site.call.keywords if k.arg == "moving_variance_initializer"), None)
            initial = next((k.value for k in site.call.keywords if k.arg == "weights"), None)
            if given is None and initial is None:
                continue
            destination = LayerRef([site], "built here", origin=site.call)
            # (named for messages by what it is bound to: `keras_bn = BatchNormalization(...)`)
            statement = self.index.parents.get(site.call)
            named_as = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], (ast.Name, ast.Attribute)) else site.call
            if given is None:
                # Keras 2's `BatchNormalization(weights=bn_weight_list)`: initial arrays, here the
                # raw ones of a Darknet file
                read = self._darknet_read(self._resolved(initial))
                if read is not None:
                    self.transfers.append(Transfer(initial, "initializer", read, None, named_as, destination,
                                                   "darknet->keras", evidence=read))
                continue
            for owner, whole_model in self._torch_statistics_owners(given):
                source = self._model_ref(owner) if whole_model else self._ref(owner, "torch")
                if source is not None:
                    self.transfers.append(Transfer(given, "initializer", owner, source, named_as, destination,
                                                   "torch->keras"))
                    break
            else:
                named = self._names_statistic(given, TORCH_STATISTICS)
                if named is not None:
                    self.transfers.append(Transfer(given, "initializer", named, None, named_as, destination,
                                                   "checkpoint->keras", evidence=named))

    def _torch_checkpoint_read(self, weights: ast.AST) -> ast.Call | None:
        """The `torch.load(...)` whose entries `weights` reads (`[convert(sd[f"{name}.{s}"]) for s in
        order]` with `sd = torch.load(path)`, also `sd = sd.get("state_dict", sd)` or
        `ckpt["model"]`): a PyTorch checkpoint's arrays, whatever their keys are called."""
        if isinstance(weights, (ast.List, ast.Tuple)) and len(weights.elts) not in (2, 4):
            return None  # (a BatchNorm's list holds gamma, beta, mean and variance; a kernel's does not)
        for node in ast.walk(weights):
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                loaded = self._torch_load_behind(node.value)
                if loaded is not None:
                    return loaded
        return None

    def _torch_load_behind(self, expr: ast.AST, depth: int = 0) -> ast.Call | None:
        if depth > 5:
            return None
        if isinstance(expr, ast.Name):
            binding = self.model.values.reaching_binding(expr)
            if binding is None or binding.kind not in ("assign", "annassign") or binding.value is None:
                return None
            return self._torch_load_behind(binding.value, depth + 1)
        if isinstance(expr, ast.Call) and isinstance(expr.func, (ast.Name, ast.Attribute)):
            if self.model.qualname(expr.func) == "torch.load":
                return expr
            if isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
                return self._torch_load_behind(expr.func.value, depth + 1)  # `sd.get("state_dict", sd)`
            return None
        if isinstance(expr, ast.Subscript) and isinstance(self.model.const(expr.slice), str):
            return self._torch_load_behind(expr.value, depth + 1)  # `ckpt["model"]`
        return None

    def _whole_keras_model(self, expr: ast.AST) -> LayerRef | None:
        """Every BatchNormalization of a Keras model given all its arrays at once
        (`tf_model.set_weights(arrays)`)."""
        from bnlint.semantic.models import _owner_layers

        contents = self.model.models.contents_of(expr)
        if contents is None or contents.framework != "keras":
            return None
        ref = _owner_layers(self.model.models, expr)
        return ref if ref is not None and ref.sites and _family(ref.sites) == "keras" else None

    def _model_ref(self, expr: ast.AST) -> LayerRef | None:
        """Every BN layer of a torch model (for `model.state_dict()[...running_var]`)."""
        from bnlint.semantic.models import _collection_ref

        ref = _collection_ref(self.model.models, expr, 0, indexed=True)
        if ref is None or not ref.sites or _family(ref.sites) != "torch":
            return None
        return ref

    def _torch_statistics_owners(self, weights: ast.AST, depth: int = 0) -> list[tuple[ast.AST, bool]]:
        """(layer expression, whether it is a whole model) for each torch statistic read, also
        through names bound to it (`var = torch_bn.running_var.numpy()`, then `.assign(var)`)."""
        owners = []
        for node in ast.walk(weights):
            if isinstance(node, ast.Name) and depth < 3:
                resolved = self._resolved(node)
                if resolved is not node:
                    owners.extend(self._torch_statistics_owners(resolved, depth + 1))
            if isinstance(node, ast.Attribute) and node.attr in TORCH_STATISTICS:
                owners.append((node.value, False))
            elif isinstance(node, ast.Subscript):
                key = self.model.const(node.slice)
                value = self._resolved(node.value)  # `sd = model.state_dict()`
                # a written key (`"bn1.running_var"`), or one built from names that spell a
                # statistic (`"1." + name` for `name in [..., "running_var"]`)
                statistic = (key.rsplit(".", 1)[-1] in TORCH_STATISTICS if isinstance(key, str)
                             else self._names_statistic(node.slice, TORCH_STATISTICS) is not None)
                if (statistic and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                        and value.func.attr == "state_dict"):
                    owners.append((value.func.value, True))  # every BN of that model
        return owners

    # ---- keras -> torch ------------------------------------------------------------------
    def _find_torch_writes(self) -> None:
        for node in self.index.assigns:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    owner = _statistic_owner(target)
                    if owner is not None:
                        self._torch_write(node, "assignment", owner, node.value)
                    elif (isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                          and len(target.elts) == len(node.value.elts)):
                        # `bn.running_mean.data, bn.running_var.data = mean, var`
                        for element, value in zip(target.elts, node.value.elts):
                            owner = _statistic_owner(element)
                            if owner is not None:
                                self._torch_write(node, "assignment", owner, value)
        for call in self.index.calls:
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr == "copy_" and len(call.args) == 1:
                owner = _statistic_owner(func.value)
                if owner is not None:
                    self._torch_write(call, "copy_", owner, call.args[0])
                for owner, value in self._zipped_statistics(func.value):
                    self._torch_write(call, "copy_", owner, value)
            if (isinstance(func, ast.Attribute) and func.attr == "assign" and len(call.args) == 1
                    and isinstance(func.value, ast.Attribute) and func.value.attr in KERAS_STATISTICS):
                self._keras_assign(call, func.value.value, call.args[0])

    def _zipped_statistics(self, target: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
        """`for dst, src in zip((bn.weight, bn.bias, bn.running_mean, bn.running_var), (gamma, beta,
        mean, var)): dst.copy_(...)`: (the layer, the value paired with its statistic) for the
        statistics the loop's tuple lists."""
        if isinstance(target, ast.Attribute) and target.attr == "data":
            target = target.value
        binding = self.model.values.binding_of(target) if isinstance(target, ast.Name) else None
        if binding is None or binding.kind != "for" or binding.index is None:
            return []
        iterable = binding.value
        if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "zip"
                and len(iterable.args) == 2 and binding.index < 2):
            return []
        listed, paired = iterable.args[binding.index], iterable.args[1 - binding.index]
        if not isinstance(listed, (ast.Tuple, ast.List)):
            return []
        found = []
        for position, element in enumerate(listed.elts):
            owner = _statistic_owner(element)
            if owner is None or not (isinstance(element, ast.Attribute) and element.attr == "running_var"):
                continue
            value = paired.elts[position] if isinstance(paired, (ast.Tuple, ast.List)) and position < len(paired.elts) \
                else paired
            found.append((owner, value))
        return found

    def _keras_assign(self, call: ast.Call, owner: ast.AST, value: ast.AST) -> None:
        """`keras_bn.moving_variance.assign(torch_bn.running_var.numpy())`."""
        destination = self._ref(owner, "keras")
        if destination is None:
            return
        owners = self._torch_statistics_owners(value)
        for torch_owner, whole_model in owners:
            source = self._model_ref(torch_owner) if whole_model else self._ref(torch_owner, "torch")
            if source is not None:
                self.transfers.append(Transfer(call, "assign", torch_owner, source, owner, destination,
                                               "torch->keras"))
                return
        named = self._names_statistic(value, TORCH_STATISTICS)
        if named is not None:
            self.transfers.append(Transfer(call, "assign", named, None, owner, destination, "checkpoint->keras",
                                           evidence=named))
            return
        read = next((node for node in ast.walk(self._resolved(value)) if isinstance(node, ast.Attribute)
                     and node.attr in TORCH_STATISTICS), None)
        if owners and read is not None:
            # `bnorm.running_var` of a PyTorch layer bnlint cannot see (a model read from a file, a
            # custom BatchNorm class): like a checkpoint, its epsilon is PyTorch's default unless the
            # code says otherwise
            self.transfers.append(Transfer(call, "assign", owners[0][0], None, owner, destination,
                                           "checkpoint->keras", evidence=read, unseen_layer=True))

    def _torch_write(self, node: ast.AST, how: str, owner: ast.AST, value: ast.AST) -> None:
        destination = self._ref(owner, "torch")
        # the raw read of a Darknet `.weights` file the value comes from, if any (a single array)
        read = self._darknet_read(value) if not isinstance(value, (ast.List, ast.Tuple)) else None
        if destination is None and read is not None:
            # `bn = module[1]` of the `nn.Sequential`s a cfg parser filled with `add_module`: the
            # Darknet file's statistics go into the PyTorch BatchNorm layers this module builds
            sites = [site for site in self.model.norm_sites if site.api.kind == catalogue.BATCH]
            if sites and _family(sites) == "torch":
                destination = LayerRef(sites, "the BatchNorm layers built here")
        if destination is None:
            return
        self._torch_writes.append((node, owner, value))
        for keras_owner in self._keras_statistics_owners(value):
            source = self._ref(keras_owner, "keras")
            if source is not None:
                self.transfers.append(Transfer(node, how, keras_owner, source, owner, destination, "keras->torch"))
                return
        named = self._names_statistic(value, KERAS_STATISTICS)
        if named is not None:
            self.transfers.append(Transfer(node, how, named, None, owner, destination, "checkpoint->torch",
                                           evidence=named))
            return
        if read is not None:
            # `bn.running_var.data.copy_(torch.from_numpy(weights[ptr:ptr + nb]).view_as(bn.running_var))`
            # with `weights = np.fromfile(f, dtype=np.float32)` of a YOLO `.weights` file
            self.transfers.append(Transfer(node, how, read, None, owner, destination, "darknet->torch",
                                           evidence=read))
            return
        keras_owners = self._keras_statistics_owners(value)
        for keras_owner in keras_owners:
            loaded = self._loaded_keras_model(keras_owner)
            if loaded is not None:
                # a layer of a Keras model loaded from a file: like a checkpoint, its epsilon is
                # whatever the file holds
                self.transfers.append(Transfer(node, how, keras_owner, None, owner, destination,
                                               "checkpoint->torch", evidence=loaded, from_saved_model=True))
                return
        if keras_owners:
            # `keras_layers[k].get_weights()[3]` of a Keras model another module (or another
            # repository) builds: its epsilon is Keras's default unless the code says otherwise
            self.transfers.append(Transfer(node, how, keras_owners[0], None, owner, destination,
                                           "checkpoint->torch", evidence=value, unseen_layer=True))
            return
        handed = self._handed_over("keras")
        if handed is not None and _writes_variance(owner, node):
            # `m.running_var.copy_(torch.from_numpy(next(it)))` over the arrays a Keras script of the
            # project pickled (`pickle.dump({"weights": model.get_weights()}, f)`)
            self.transfers.append(Transfer(node, how, handed[0], None, owner, destination, "checkpoint->torch",
                                           evidence=handed[0], handed_by=handed[1]))

    def _program_keras_norms(self) -> LayerRef | None:
        """The BatchNorm layers that this module and the modules linked to it by imports (four
        steps either way) build, when they are all Keras layers; None otherwise."""
        cached = self.__dict__.get("_program_norms", False)
        if cached is not False:
            return cached
        self._program_norms = None
        view = getattr(self.model, "project", None)
        if view is None:
            return None
        sites = [site for site in self.model.norm_sites if site.api.kind == catalogue.BATCH]
        for path in sorted(view.connected_modules()):
            if "BatchNorm" not in (view.project.text(path) or ""):
                continue
            other = view.project.semantic_model(path)
            if other is None:
                continue
            view.dependencies.add(path)
            sites += [view.foreign_site(site, other) for site in other.norm_sites if site.api.kind == catalogue.BATCH]
        if sites and _family(sites) == "keras":
            self._program_norms = LayerRef(sites, "a Keras BatchNorm layer of the model the loader fills")
        return self._program_norms

    def _bn_arrays(self, weights: ast.AST) -> bool:
        """`set_weights` given four arrays (gamma, beta, mean, variance), as a list literal or a
        slice of four (`enc_weights[i: i + 4]`)."""
        if isinstance(weights, (ast.List, ast.Tuple)):
            return len(weights.elts) == 4 and not any(isinstance(e, ast.Starred) for e in weights.elts)
        if isinstance(weights, ast.Subscript) and isinstance(weights.slice, ast.Slice):
            lower, upper = weights.slice.lower, weights.slice.upper
            return (isinstance(upper, ast.BinOp) and isinstance(upper.op, ast.Add) and lower is not None
                    and ast.dump(upper.left) == ast.dump(lower) and self.model.const(upper.right) == 4)
        return False

    def _handed_over(self, framework: str):
        """(the call reading the file here, the place another module writes it) when this module
        reads arrays from a file (pickle, `.npy`/`.npz`, joblib) that another module of the
        project writes from `framework`'s weights (Keras `get_weights()`, a PyTorch `state_dict()`
        or `bn.running_var`), the two tied by what both spell out: the file's name
        (`pickle.dump({"weights": model.get_weights()}, f)` in keras_train.py, `pickle.load(f)` of
        the same `churn_weights.pkl` in serve_torch.py), or the keys of the statistics
        (`arrays[f"block{i}/bn/moving_variance"] = blk.bn.running_var.numpy(); np.savez(out,
        **arrays)` in export_weights.py, `w[f"block{i}/bn/moving_variance"]` read here from a path
        given on the command line). None otherwise."""
        cache = self.__dict__.setdefault("_handed", {})
        if framework in cache:
            return cache[framework]
        cache[framework] = None
        view = getattr(self.model, "project", None)
        reads = [c for c in self.index.calls if isinstance(c.func, (ast.Name, ast.Attribute))
                 and self.index.qualname(c.func) in _FILE_READS]
        if view is None or not reads:
            return None
        strings = [n.value for n in ast.walk(self.index.module_scope.node)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        # (a file's name, and a statistic's key as written: `f"block{i}/bn/moving_variance"` holds
        # the fragment "/bn/moving_variance")
        spelled = {Path(text).name: re.findall(r"\w+", Path(text).name.rsplit(".", 1)[0])
                   for text in strings if text.endswith(_HANDOFF_SUFFIXES)}
        spelled.update({text: [_STATISTIC_KEY.search(text).group(0)]
                        for text in strings if len(text) >= 8 and _STATISTIC_KEY.search(text)})
        here = Path(self.model.path).resolve()
        markers = _WEIGHTS_OF[framework]
        for fragment, words in sorted(spelled.items()):
            if not words:
                continue
            for path in view.nearest_first(view.project.files_with_token(max(words, key=len)))[:20]:
                text = view.project.text(path) or ""
                if path == here or fragment not in text or not any(marker in text for marker in markers):
                    continue
                other = view.project.semantic_model(path)
                if other is None:
                    continue
                dump = next((c for c in other.index.calls if isinstance(c.func, (ast.Name, ast.Attribute))
                             and other.index.qualname(c.func) in _FILE_DUMPS
                             and any(marker in _function_text(other, c) for marker in markers)), None)
                if dump is not None:
                    view.dependencies.add(path)
                    cache[framework] = (reads[0], view.foreign(dump, other))
                    return cache[framework]
        return None

    def _loaded_keras_model(self, layer: ast.AST, _depth: int = 0) -> ast.Call | None:
        """The `keras.models.load_model(...)` call that made the model `layer` is one of the
        layers of (`for k, t in zip(keras_bns, torch_bns)` with `keras_bns = [l for l in
        loaded.layers if isinstance(l, BatchNormalization)]`, `loaded.layers[i]`,
        `loaded.get_layer(name)`), or None."""
        from bnlint.semantic.models import _collection_expression

        expr = layer
        for _ in range(6):
            if isinstance(expr, ast.Name):
                binding = self.model.values.binding_of(expr)
                if binding is None:
                    return None
                if binding.kind == "param" and _depth < 3:
                    # `def transfer_bn(torch_bn, keras_layer)`: the layers its calls pass
                    for _call, argument, _scope in self.model.values.parameter_arguments(binding) or []:
                        found = self._loaded_keras_model(argument, _depth + 1) if argument is not None else None
                        if found is not None:
                            return found
                    return None
                if binding.kind == "for" and binding.value is not None:
                    iterable = binding.value
                    if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name)
                            and iterable.func.id in ("zip", "enumerate") and binding.index is not None):
                        position = binding.index if iterable.func.id == "zip" else 0
                        iterable = iterable.args[position] if position < len(iterable.args) else None
                    expr = _collection_expression(self.model.models, iterable, 0) if iterable is not None else None
                elif binding.kind in ("assign", "annassign") and binding.value is not None:
                    expr = binding.value
                else:
                    return None
            elif isinstance(expr, ast.Subscript):
                expr = _collection_expression(self.model.models, expr.value, 0)
            elif isinstance(expr, ast.Attribute) and expr.attr == "layers":
                expr = expr.value
                break
            elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get_layer":
                expr = expr.func.value
                break
            else:
                return None
        else:
            return None
        for origin, _scope in self.model.values.origins(expr) if isinstance(expr, ast.Name) else [(expr, None)]:
            if isinstance(origin, ast.Call):
                qual = self.model.qualname(origin.func) or ""
                if qual.rpartition(".")[2] == "load_model" and qual.startswith(("tensorflow.", "keras.", "tf_keras.")):
                    return origin
        return None

    # ---- whole models copied array by array ---------------------------------------------------
    def _find_whole_model_copies(self) -> None:
        """Every array of one model copied into the other in order, BN statistics included:
        `keras_model.set_weights([v.numpy() for v in torch_model.state_dict().values()])`,
        `torch_model.load_state_dict(dict(zip(sd.keys(), map(torch.tensor, keras_model.get_weights()))))`
        and `for t, w in zip(torch_model.state_dict().values(), keras_model.get_weights()): t.copy_(...)`."""
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and len(call.args) == 1):
                continue
            if func.attr == "set_weights":
                self._whole_copy(call, func.value, "keras", self._resolved(call.args[0]), "torch", "set_weights")
            elif func.attr == "load_state_dict":
                self._whole_copy(call, func.value, "torch", self._resolved(call.args[0]), "keras", "load_state_dict")
        for loop in self.index.loops:
            if not isinstance(loop, (ast.For, ast.AsyncFor)) or not isinstance(loop.target, ast.Tuple):
                continue
            iterable = loop.iter
            if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "zip"
                    and len(iterable.args) == 2 and len(loop.target.elts) == 2):
                continue
            sides = [self._whole_model_arrays(arg) for arg in iterable.args]
            if None in sides or {side[1] for side in sides} != {"torch", "keras"}:
                continue
            position = next(i for i, side in enumerate(sides) if side[1] == "torch")
            variable = loop.target.elts[position]
            write = self._write_to(loop, variable)
            if write is None:
                continue
            torch_owner, keras_owner = sides[position][0], sides[1 - position][0]
            self._add_whole_copy(write, "copy_", keras_owner, torch_owner, "keras->torch")

    def _whole_copy(self, call, destination, destination_family, weights, source_family, how) -> None:
        for candidate in self._array_sources(call.args[0]):
            found = self._whole_model_arrays(candidate)
            if found is not None and found[1] == source_family:
                if self._add_whole_copy(call, how, found[0], destination, f"{source_family}->{destination_family}"):
                    return

    def _array_sources(self, expr: ast.AST, depth: int = 0) -> list[ast.AST]:
        """The expressions the arrays in `expr` come from: its own nodes, what its names are
        bound to, what a list named there is filled with (`weights.append(arr)`), and what a
        loop variable iterates (`for tensor in torch_model.state_dict().values()`)."""
        found = []
        for node in ast.walk(expr):
            found.append(node)
            if not isinstance(node, ast.Name) or depth >= 4:
                continue
            for binding in self.model.values.reaching_bindings(node)[:6]:
                if binding.value is None:
                    continue
                if binding.kind in ("assign", "annassign"):  # `arr = tensor.numpy()`, `arr = arr.T`
                    found.extend(self._array_sources(binding.value, depth + 1))
                elif binding.kind in ("for", "comp"):
                    found.append(binding.value)
            for appended in self.model.values.list_elements(node) or []:
                found.extend(self._array_sources(appended, depth + 1))
        return found

    def _add_whole_copy(self, node, how, source_owner, destination_owner, direction) -> bool:
        from bnlint.semantic.models import _owner_layers

        source = _owner_layers(self.model.models, source_owner)
        destination = _owner_layers(self.model.models, destination_owner)
        family = {"keras->torch": ("keras", "torch"), "torch->keras": ("torch", "keras")}[direction]
        if (source is None or destination is None or not source.sites or not destination.sites
                or _family(source.sites) != family[0] or _family(destination.sites) != family[1]):
            return False
        self.transfers.append(Transfer(node, how, source_owner, source, destination_owner, destination, direction))
        return True

    def _whole_model_arrays(self, expr: ast.AST) -> tuple[ast.AST, str] | None:
        """(model, framework) when `expr` lists every array of a model in order:
        `torch_model.state_dict()` (`.values()`, `.items()`), `keras_model.get_weights()`,
        `keras_model.weights`/`.variables`."""
        node = expr
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("values", "items") \
                and not node.args:
            node = self._resolved(node.func.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
            if node.func.attr == "state_dict":
                return node.func.value, "torch"
            if node.func.attr == "get_weights":
                return node.func.value, "keras"
        if isinstance(node, ast.Attribute) and node.attr in ("weights", "variables"):
            return node.value, "keras"
        return None

    def _write_to(self, loop: ast.AST, variable: ast.AST) -> ast.AST | None:
        """A statement of the loop body that writes into the tensor `variable` names:
        `t.copy_(...)`, `t.data = ...`, `t[...] = ...`, `t.data.copy_(...)`."""
        if not isinstance(variable, ast.Name):
            return None
        for node in ast.walk(loop):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "copy_":
                base = node.func.value
                base = base.value if isinstance(base, ast.Attribute) and base.attr == "data" else base
                if isinstance(base, ast.Name) and base.id == variable.id:
                    return node
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    base = target.value if isinstance(target, (ast.Attribute, ast.Subscript)) else None
                    if isinstance(base, ast.Name) and base.id == variable.id and (
                            isinstance(target, ast.Subscript) or target.attr == "data"):
                        return node
        return None

    # ---- checkpoints read by name -----------------------------------------------------------
    def _names_statistic(self, value: ast.AST, names: set[str], depth: int = 0) -> ast.AST | None:
        """The string in `value` (or in what its names are bound to) that names a BN statistic
        of the other framework: `"moving_variance:0"`, `name + "/moving_mean"`, `f"{p}.running_var"`."""
        if depth > 5:
            return None
        # (memoized: every subscript write of a module asks, and the names and helpers they
        # follow are the same few)
        key = (id(value), frozenset(names), depth)
        cache = self.__dict__.setdefault("_named_statistics", {})
        if key not in cache:
            cache[key] = self._find_named_statistic(value, names, depth)
        return cache[key]

    def _find_named_statistic(self, value: ast.AST, names: set[str], depth: int) -> ast.AST | None:
        for node in ast.walk(value):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and any(
                    n in node.value for n in names):
                return node
            if isinstance(node, ast.Name) and depth < 5:
                # any binding of the name: `dataset_name = "moving_variance:0"` in one branch of
                # several, `for key in ["bn1.running_mean", "bn1.running_var"]`
                for binding in self.index.lookup(node.id, self.index.scope_of(node))[:8]:
                    if binding.kind in ("assign", "annassign", "unpack", "for", "comp") and binding.value is not None:
                        found = self._names_statistic(binding.value, names, depth + 1)
                        if found is not None:
                            return found
                    if binding.kind == "import" and binding.qualname and self.model.project is not None:
                        # `BN_SUFFIXES` imported from a table module that spells the statistics:
                        # the name here stands for them
                        elsewhere = self.model.project.module_value(binding.qualname)
                        if elsewhere is not None and elsewhere[0].transfers._names_statistic(
                                elsewhere[1].value, names, depth + 1) is not None:
                            return node
            if isinstance(node, ast.Call) and depth < 3:
                callee = self.index.local_callee(node)  # `mean, var, beta = get_bn_params(sess, name)`
                if callee is not None:
                    found = self._names_statistic(callee[0], names, depth + 1)
                    if found is not None:
                        return found
        return None

    def _find_state_dict_entries(self) -> None:
        """`sd[prefix + ".running_var"] = <read from a TF checkpoint>` somewhere in the module, and
        `model.load_state_dict(...)` of a torch model with BatchNorm."""
        entry = None
        writes = [(t, node.value) for node in self.index.assigns if isinstance(node, ast.Assign)
                  for t in node.targets]
        # `state_dict[name].copy_(value)` writes an entry in place
        writes += [(call.func.value, call.args[0]) for call in self.index.calls
                   if isinstance(call.func, ast.Attribute) and call.func.attr == "copy_" and len(call.args) == 1]
        renamed = None
        if "running_var" in self.model.source and "moving_var" in self.model.source:
            renamed = self._statistic_rename_pair()
        for target, value in writes:
            if not isinstance(target, ast.Subscript):
                continue
            if self._names_statistic(target.slice, TORCH_STATISTICS) is None:
                # `for k in state_dict: state_dict[k] = tf_values.pop(0)`: every entry of a torch
                # model's state dict, BatchNorm statistics included, filled in order from the
                # variables of a TensorFlow graph or checkpoint
                # (a module with a rename table is reported at the table, below)
                if not renamed and self._every_state_dict_entry(target):
                    named = self._checkpoint_read(value)
                    if named is not None and entry is None:
                        entry = (target, named)
                continue
            named = self._names_statistic(value, KERAS_STATISTICS)
            if named is None and not renamed:
                # `state_dict[pt_name] = reader.get_tensor(tf_name)`: a TF checkpoint's array
                # under a key that names a torch statistic (a module with a rename table is
                # reported at the table, below)
                named = self._checkpoint_read(value)
            if named is None:
                # `if "moving_variance" in tf_name: out[key + ".running_var"] = w`: the write (or
                # the binding of its key) is guarded by a test on the source's name
                named = self._guarding_statistic_name(target)
                for name in (n for n in ast.walk(target.slice) if isinstance(n, ast.Name)):
                    if named is not None:
                        break
                    for binding in self.model.values.reaching_bindings(name)[:8]:
                        if binding.kind in ("assign", "annassign") and binding.node is not None:
                            named = self._guarding_statistic_name(binding.node, TORCH_STATISTICS, binding.value)
                            if named is not None:
                                break
            if named is None and self._keras_statistics_owners(value):
                # `sd["bn1.running_var"] = torch.tensor(var)` with `gamma, beta, mean, var =
                # keras_model.layers[2].get_weights()`
                named = value
            if named is not None and (entry is None or (
                    self._names_statistic(entry[0].slice, {"running_var"}) is None
                    and self._names_statistic(target.slice, {"running_var"}) is not None)):
                entry = (target, named)  # the first variance entry, else the first entry: epsilon acts on the variance
        literal = self._state_dict_literals()
        if entry is None and not literal:
            return
        taken = False  # a load_state_dict in the module takes the entries
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "load_state_dict" and call.args):
                continue
            found = literal.get(id(call), entry)
            if found is None:
                continue
            taken = True  # (into a model bnlint may not see: its epsilon is unknown, nothing is said)
            destination = self._torch_model_layers(func.value)
            if destination is None:
                continue
            target, named = found
            keras_owners = self._keras_statistics_owners(named) if not isinstance(named, ast.Constant) else []
            source = next((r for r in (self._ref(o, "keras") for o in keras_owners) if r is not None), None)
            if source is not None:
                self.transfers.append(Transfer(target, "load_state_dict", keras_owners[0], source, func.value,
                                               destination, "keras->torch"))
            else:
                # a layer of a Keras model loaded from a file: the loading call is the evidence
                loaded = next((m for m in map(self._loaded_keras_model, keras_owners) if m is not None), None)
                self.transfers.append(Transfer(target, "load_state_dict", named, None, func.value, destination,
                                               "checkpoint->torch", evidence=loaded or named, loaded_by=call,
                                               from_saved_model=loaded is not None))
        if entry is not None and not taken:
            self._unloaded_state_dict_entry(*entry)

    def _every_state_dict_entry(self, target: ast.Subscript) -> bool:
        """`target` is `sd[k]` in a loop whose `k` runs over every key of `sd`, a torch model's
        `state_dict()` (`for k, v in sd.items()`, `for k in sd.keys()`, `for k in sd`)."""
        if not isinstance(target.slice, ast.Name):
            return False
        owner = self._resolved(target.value)
        if not (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute) and owner.func.attr == "state_dict"):
            return False
        for ancestor in self.index.ancestors(target):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return False
            if not isinstance(ancestor, ast.For):
                continue
            iterated = ancestor.iter
            if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute) \
                    and iterated.func.attr in ("items", "keys") and not iterated.args:
                iterated = iterated.func.value
            key = ancestor.target.elts[0] if isinstance(ancestor.target, ast.Tuple) and ancestor.target.elts \
                else ancestor.target
            if isinstance(key, ast.Name) and key.id == target.slice.id and ast.dump(iterated) == ast.dump(target.value):
                return True
        return False

    def _guarding_statistic_name(self, node: ast.AST, also: set | None = None, value: ast.AST | None = None):
        """The string naming a Keras statistic in the test of an `if` that encloses `node`
        (`if "moving_variance" in name:`), in the same function; with `also`, only when `value`
        (the key bound there) names one of those statistics too (`... + ".running_var"`)."""
        if also is not None and (value is None or self._names_statistic(value, also) is None):
            return None
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return None
            if isinstance(ancestor, ast.If) and any(node is n for stmt in ancestor.body for n in ast.walk(stmt)):
                for part in ast.walk(ancestor.test):
                    if (isinstance(part, ast.Constant) and isinstance(part.value, str)
                            and any(k in part.value for k in KERAS_STATISTICS)):
                        return part
        return None

    def _checkpoint_read(self, value: ast.AST, depth: int = 0) -> ast.AST | None:
        """The call in `value` (or in what its names are bound to, or in the local function it
        calls) that reads an array from a TensorFlow/Keras checkpoint: `tf.train.load_variable(...)`,
        `reader.get_tensor(...)`, `h5py.File(...)`."""
        if depth > 3:
            return None
        for node in ast.walk(value):
            if isinstance(node, ast.Call):
                qualname = self.model.qualname(node.func)
                if qualname is not None and catalogue.canonical(qualname) in catalogue.TF_CHECKPOINT_READERS:
                    return node
                if isinstance(node.func, ast.Attribute) and node.func.attr in catalogue.TF_CHECKPOINT_READ_METHODS \
                        and self._checkpoint_read(node.func.value, depth + 1) is not None:
                    return node
                callee = self.index.local_callee(node)  # `weights = load_tf_weights()`
                if callee is not None and depth < 3:
                    found = self._checkpoint_read(callee[0], depth + 1)
                    if found is not None:
                        return found
            if isinstance(node, ast.Name) and depth < 3:
                for binding in self.index.lookup(node.id, self.index.scope_of(node))[:8]:
                    if binding.kind in ("assign", "annassign", "unpack", "for", "with") and binding.value is not None:
                        found = self._checkpoint_read(binding.value, depth + 1)
                        if found is not None:
                            return found
        return None

    def _unloaded_state_dict_entry(self, target: ast.Subscript, named: ast.AST) -> None:
        """Converted entries that no `load_state_dict` in the module takes: written into a torch
        model's own `model.state_dict()` (that model's layers receive them when the dict is
        saved and loaded), or only `torch.save`d for a model the code does not build: then the
        destination is a PyTorch BatchNorm with its default epsilon (`destination_ref` None,
        `loaded_by` the save) unless the module reads or sets an epsilon anywhere."""
        owner = self._resolved(target.value)
        destination = None
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute) and owner.func.attr == "state_dict":
            destination = self._torch_model_layers(owner.func.value)
        saved = None
        if destination is None:
            saved = next((call for call in self.index.calls if self.model.qualname(call.func) == "torch.save"), None)
            if saved is None:
                saved = self._converter_used_elsewhere(target)
            if saved is None or self._mentions_epsilon() or self._neighbours_build_torch_bn_with(
                    catalogue.KERAS_EPSILON_DEFAULT, saved):
                return
        keras_owners = self._keras_statistics_owners(named) if not isinstance(named, ast.Constant) else []
        loaded_keras = next((m for m in map(self._loaded_keras_model, keras_owners) if m is not None), None)
        source = next((r for r in (self._ref(o, "keras") for o in keras_owners) if r is not None), None)
        destination_expr = owner.func.value if destination is not None else target.value
        if source is not None:
            self.transfers.append(Transfer(target, "assignment", keras_owners[0], source, destination_expr,
                                           destination, "keras->torch", loaded_by=saved))
        else:
            self.transfers.append(Transfer(target, "assignment", named, None, destination_expr, destination,
                                           "checkpoint->torch", evidence=loaded_keras or named, loaded_by=saved,
                                           from_saved_model=loaded_keras is not None))

    def _converter_used_elsewhere(self, target: ast.Subscript):
        """`def tf2pytorch(path): ...; output["bn.running_var"] = ...; return output` (or a list
        the dicts are appended to), called from another module of the project: that call, as
        a place in the other module, else None."""
        function = self.index.enclosing_function(target)
        project = self.model.project
        if function is None or project is None or not isinstance(target.value, ast.Name):
            return None
        if self.index.enclosing_function(function) is not None or self.index.enclosing_class(function) is not None:
            return None  # only a module-level function can be imported
        returned = {target.value.id}
        for node in ast.walk(function):  # `outputs.append(output)`
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                    and isinstance(node.func.value, ast.Name) and len(node.args) == 1
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == target.value.id):
                returned.add(node.func.value.id)
        if not any(isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id in returned
                   for node in ast.walk(function)):
            return None
        for other, call, _bound in project.external_calls(function.name):
            return project.foreign(call, other)
        return None

    def _torch_model_layers(self, expr: ast.AST) -> LayerRef | None:
        """Every BatchNorm layer of the torch model `expr` names."""
        destination = self._model_ref(expr)
        if destination is not None:
            return destination
        contents = self.model.models.contents_of(expr)
        if contents is None or not contents.bn:
            return None
        sites = [self.model.norm_site(n) for _label, n in contents.bn_evidence]
        sites = [site for site in sites if site is not None]
        if not sites or _family(sites) != "torch":
            return None
        return LayerRef(sites, f"the BatchNorm layers of `{self.model.text(expr)}`")

    def _neighbours_build_torch_bn_with(self, epsilon: float, taken_by) -> bool:
        """A PyTorch BatchNorm built with `epsilon` (`nn.BatchNorm2d(c, eps=1e-3)` in the port's
        network module) in this module, a project module it imports, or the module that calls
        the converter (`taken_by` there) and the modules that one imports, or else in a package
        module of the project that loads weights (a converter script that only writes the file
        the package's network loads):
        the port knows the convention, and the entries may well be loaded into those layers."""
        models = [self.model]
        project = self.model.project
        if project is not None:
            caller = None
            if hasattr(taken_by, "bnlint_path"):
                where = Path(taken_by.bnlint_path)
                caller = project.project.semantic_model(where if where.is_absolute() else project.project.root / where)
            for source in [self.model] + ([caller] if caller is not None else []):
                if source is not self.model:
                    models.append(source)
                models.extend(self._imported_project_models(source))
        if any(self._builds_torch_bn_with(model, epsilon) for model in models):
            return True
        # a network that loads weights (`self.load_state_dict(...)`) beside the converter or in a
        # package of the project: a converter script is often linked to it only by the file it writes
        if project is None:
            return False
        here = Path(self.model.path).resolve().parent
        for model in project.modules_mentioning(("BatchNorm", "eps", "load_state_dict")):
            if model in models:
                continue
            where = Path(model.path).resolve()
            if _package_beside(where, here) and self._builds_torch_bn_with(model, epsilon):
                return True
            # a PyTorch network module beside it (`model.py` next to `convert_from_keras.py`, no
            # TensorFlow/Keras of its own) whose BatchNorm layers all take the checkpoint's
            # epsilon: a network written for it (not another converter of the same folder)
            if where.parent == here and not _reads_other_framework(model) \
                    and self._builds_torch_bn_with(model, epsilon, every=True):
                return True
        return False

    @staticmethod
    def _builds_torch_bn_with(model, epsilon: float, every: bool = False) -> bool:
        """A PyTorch BatchNorm of `model` is built with `epsilon` (with `every`: there is one, and
        all of them are)."""
        matches = []
        for site in model.norm_sites:
            if site.api.kind != catalogue.BATCH or site.api.framework not in TORCH_FRAMEWORKS:
                continue
            value, _written = model.epsilon_of(site)
            matches.append(isinstance(value, (int, float)) and abs(value - epsilon) <= 0.01 * epsilon)
        return bool(matches) and (all(matches) if every else any(matches))

    def _imported_project_models(self, source) -> list:
        """The semantic models of the project modules `source` imports (anywhere in it)."""
        project = self.model.project
        found = []
        for scope in source.index.scopes.values():
            for bindings in scope.bindings.values():
                for binding in bindings:
                    if binding.kind != "import" or not binding.qualname:
                        continue
                    for module in (binding.qualname, binding.qualname.rpartition(".")[0]):
                        path = project.project.resolve_module(module, source.path) if module else None
                        if path is not None:
                            other = project.project.semantic_model(path)
                            if other is not None:
                                project.dependencies.add(path)
                                found.append(other)
                            break
        return found

    def _mentions_epsilon(self) -> bool:
        """The module reads or sets an epsilon (`eps=1e-3`, `bn.eps`, `layer.epsilon`): the
        conversion takes the convention into account somewhere bnlint may not follow."""
        for node in ast.walk(self.index.tree):
            if isinstance(node, ast.keyword) and node.arg in ("eps", "epsilon"):
                return True
            if isinstance(node, ast.Attribute) and node.attr in ("eps", "epsilon"):
                return True
        return False

    # ---- name-mapping tables ----------------------------------------------------------------
    def _find_rename_tables(self) -> None:
        """A table that renames one framework's statistic to the other's: `("/moving_variance",
        ".running_var")` in a replacement list or dict, or `k.replace("running_var",
        "moving_variance")`. The checkpoint it renames is the other framework's, so its epsilon
        is that framework's default; the layers receiving it are this module's (or the model it
        builds) of the one framework that has any. Reported at the name of the destination's
        statistic, once."""
        if self.transfers or "running_var" not in self.model.source or "moving_var" not in self.model.source:
            return
        imported = {b.qualname.partition(".")[0] for bindings in self.index.module_scope.bindings.values()
                    for b in bindings if b.kind == "import" and b.qualname}
        if "tensorflow" not in imported and "keras" not in imported and "h5py" not in imported:
            return  # MindSpore and Paddle name their statistics moving_* too, with PyTorch's epsilon
        if imported & {"mindspore", "paddle", "mxnet"}:
            return
        pair = self._statistic_rename_pair()
        if pair is None:
            return
        torch_name, keras_name, renamed_from = pair
        if renamed_from == "torch":
            # `name.replace(".running_var", "/moving_variance:0")`: PyTorch's statistics go into
            # the Keras layers this module builds
            keras_sites = [site for site in self.model.norm_sites if site.api.kind == catalogue.BATCH
                           and _family([site]) == "keras"]
            if keras_sites:
                self.transfers.append(Transfer(keras_name, "rename", torch_name, None, keras_sites[0].call,
                                               LayerRef(keras_sites, "the BatchNorm layers built here"),
                                               "checkpoint->keras", evidence=torch_name))
            return
        torch_ref = self._built_torch_model()
        keras_sites = [site for site in self.model.norm_sites if site.api.kind == catalogue.BATCH]
        keras_ref = LayerRef(keras_sites, "the BatchNorm layers built here") if keras_sites and \
            _family(keras_sites) == "keras" and renamed_from is None else None
        if torch_ref is not None and keras_ref is None:
            model_expr, ref = torch_ref
            self.transfers.append(Transfer(torch_name, "rename", keras_name, None, model_expr, ref,
                                           "checkpoint->torch", evidence=keras_name))
        elif keras_ref is not None and torch_ref is None and not any(
                site.api.kind == catalogue.BATCH and _family([site]) == "torch" for site in self.model.norm_sites):
            self.transfers.append(Transfer(keras_name, "rename", torch_name, None, keras_sites[0].call, keras_ref,
                                           "checkpoint->keras", evidence=torch_name))
        elif torch_ref is None and keras_ref is None:
            # the renamed checkpoint is only `torch.save`d, for a PyTorch model this module does not
            # build: its BatchNorm layers are assumed to keep PyTorch's default epsilon
            saved = next((call for call in self.index.calls if self.model.qualname(call.func) == "torch.save"), None)
            if saved is not None and not self._mentions_epsilon() and not self._neighbours_build_torch_bn_with(
                    catalogue.KERAS_EPSILON_DEFAULT, saved):
                self.transfers.append(Transfer(torch_name, "rename", keras_name, None, torch_name, None,
                                               "checkpoint->torch", evidence=keras_name, loaded_by=saved))

    def _statistic_rename_pair(self) -> tuple[ast.Constant, ast.Constant, str | None] | None:
        """(the torch name, the Keras name, the framework renamed from when the code says it)
        of the first pair of strings that map a moving variance onto a running variance.
        `name.replace(old, new)` says which is renamed into which; a table does not."""
        def strings(elements):
            # a key put together (`prefix + str(i) + ".bn.running_var"`, an f-string) ends in its name
            tails = (_string_tail(e) for e in elements)
            return [e for e in tails if e is not None]

        def as_pair(a, b, ordered=False):
            for torch_side, keras_side in ((a, b), (b, a)):
                if "running_var" in torch_side.value and "moving_var" in keras_side.value:
                    source = ("torch" if torch_side is a else "keras") if ordered else None
                    return torch_side, keras_side, source
            return None

        for node in ast.walk(self.index.tree):
            candidates = []
            if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
                candidates = strings(node.elts)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    both = strings([key, value]) if key is not None else []
                    if len(both) == 2 and as_pair(*both):
                        return as_pair(*both)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace"
                  and len(node.args) >= 2):
                replaced = strings(node.args[:2])
                if len(replaced) == 2 and as_pair(*replaced, ordered=True):
                    torch_side, keras_side, renamed = as_pair(*replaced, ordered=True)
                    if self._reads_by_renamed_key(node):
                        # `key = name.replace("running_var", "moving_variance")` then `weights[key]`:
                        # the PyTorch name finds the TF array to read, so the data is TF's
                        renamed = "keras" if renamed == "torch" else "torch"
                    return torch_side, keras_side, renamed
            if len(candidates) == 2 and as_pair(*candidates):
                return as_pair(*candidates)
        return None

    def _reads_by_renamed_key(self, replace_call: ast.Call) -> bool:
        """The renamed string is bound to a name that then looks an array up (`weights[key]`,
        `reader.get_tensor(key)`): the rename turns this side's name into the other side's key."""
        top = replace_call
        parent = self.index.parents.get(top)
        while isinstance(parent, (ast.Attribute, ast.Call)) and (
                isinstance(parent, ast.Attribute) and parent.value is top or isinstance(parent, ast.Call)
                and parent.func is top):
            top, parent = parent, self.index.parents.get(parent)
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
            return False
        name = parent.targets[0].id
        function = self.index.enclosing_function(parent) or self.index.tree
        for node in ast.walk(function):
            if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and isinstance(node.slice, ast.Name)
                    and node.slice.id == name):
                return True
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("get_tensor", "get_variable_value", "get") and node.args
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == name):
                return True
        return False

    def _built_torch_model(self) -> tuple[ast.AST, LayerRef] | None:
        """The one PyTorch model with BatchNorm this module builds (`model = Deeplab()`)."""
        found = {}
        for node in self.index.assigns:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Call)):
                continue
            contents = self.model.models.contents_of(node.value)
            if contents is None or contents.framework != "torch" or not contents.bn:
                continue
            ref = self._model_ref(node.targets[0])
            if ref is not None:
                # (`module = MobileNet()` in the converter and `model = MobileNet()` in its check:
                # one model, whatever the names)
                layers = tuple(sorted((getattr(site.call, "bnlint_path", ""), site.call.lineno, site.call.col_offset)
                                      for site in ref.sites))
                found.setdefault(layers, (node.targets[0], ref))
        return next(iter(found.values())) if len(found) == 1 else None

    def _state_dict_literals(self) -> dict:
        """`model.load_state_dict({"bn.running_var": <from Keras>, ...})` (a dict literal, also
        through a name bound to one): {id(load call): (entry value, the Keras-side expression)}."""
        found = {}
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "load_state_dict" and call.args):
                continue
            literal = self._resolved(call.args[0])
            if not isinstance(literal, ast.Dict):
                continue
            for key, value in zip(literal.keys, literal.values):
                if key is None or self._names_statistic(key, TORCH_STATISTICS) is None:
                    continue
                owners = self._keras_statistics_owners(value)
                if owners:
                    found[id(call)] = (value, value)
                    break
                named = self._names_statistic(value, KERAS_STATISTICS)
                if named is not None:
                    found[id(call)] = (value, named)
                    break
        return found

    # ---- twin layers given the same statistics ----------------------------------------------
    def _find_shared_statistics(self) -> None:
        """A torch BN and a Keras BN loaded with the same arrays, to be compared (seed 001:
        `ym.bn.running_var = torch.from_numpy(bv1)` and `km.layers[7].set_weights([.., bv1])`)."""
        if not self._torch_writes or not self._keras_sets:
            return
        already = {id(t.node) for t in self.transfers}
        for call, weights in self._keras_sets:
            if id(call) in already:
                continue
            names = {n.id for n in ast.walk(weights) if isinstance(n, ast.Name)}
            destination = self._ref(call.func.value, "keras")  # type: ignore[union-attr]
            if destination is None:
                continue
            for _node, owner, value in self._torch_writes:
                shared = [n for n in ast.walk(value) if isinstance(n, ast.Name) and n.id in names
                          and self.index.scope_of(n) is self.index.scope_of(call)]
                if shared:
                    source = self._ref(owner, "torch")
                    self.transfers.append(Transfer(call, "shared", owner, source, call.func.value,  # type: ignore
                                                   destination, "twins"))
                    break

    def _keras_statistics_owners(self, value: ast.AST) -> list[ast.AST]:
        owners = []
        for node in ast.walk(value):
            if isinstance(node, ast.Name):
                resolved = self._resolved(node)
                if resolved is not node:
                    owners.extend(self._get_weights_owner(resolved))
                binding = self.model.values.binding_of(node)
                if binding is not None and binding.kind == "unpack" and binding.value is not None:
                    # `gamma, beta, mean, var = keras_bn.get_weights()`
                    owners.extend(self._get_weights_owner(self._resolved(binding.value)))
                owners.extend(self._helper_dict_owners(binding))
            owners.extend(self._get_weights_owner(node))
            if isinstance(node, ast.Attribute) and node.attr in KERAS_STATISTICS:
                owners.append(node.value)
        return owners

    def _helper_dict_owners(self, binding) -> list[ast.AST]:
        """`for suffix, array in to_tensors(keras_layer).items()` with `def to_tensors(layer): w =
        layer.get_weights(); return dict(zip(SUFFIXES, w))`: the layers whose arrays the module's
        helper returns, as named in the helper (its parameter, followed to the call by the caller)."""
        if binding is None or binding.kind != "for" or binding.index != 1 or not isinstance(binding.value, ast.Call):
            return []
        func = binding.value.func
        if not (isinstance(func, ast.Attribute) and func.attr in ("items", "values")):
            return []
        made = self._resolved(func.value)
        callee = self.index.local_callee(made) if isinstance(made, ast.Call) else None
        if callee is None:
            return []
        owners = []
        for node in ast.walk(callee[0]):
            if isinstance(node, ast.Return) and node.value is not None and \
                    self.index.enclosing_function(node) is callee[0]:
                for value in ast.walk(node.value):
                    if isinstance(value, ast.Name):
                        owners.extend(self._get_weights_owner(self._resolved(value)))
                    owners.extend(self._get_weights_owner(value))
        return owners

    @staticmethod
    def _get_weights_owner(node: ast.AST) -> list[ast.AST]:
        for _ in range(3):
            # the arrays converted one by one: `[torch.as_tensor(a) for a in layer.get_weights()]`,
            # `map(torch.tensor, layer.get_weights())`, `list(...)` of these
            if isinstance(node, (ast.ListComp, ast.GeneratorExp)) and len(node.generators) == 1:
                node = node.generators[0].iter
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "map"
                  and len(node.args) == 2):
                node = node.args[1]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple")
                  and len(node.args) == 1):
                node = node.args[0]
            else:
                break
        if isinstance(node, ast.Subscript):  # `var = layer.get_weights()[3]`
            node = node.value
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_weights"
                and not node.args):
            return [node.func.value]
        return []


def _string_tail(expr: ast.AST) -> ast.Constant | None:
    """The string constant a string expression ends with: itself, the last operand of a `+`
    concatenation, or the last literal part of an f-string."""
    for _ in range(8):
        if isinstance(expr, ast.Constant):
            return expr if isinstance(expr.value, str) else None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            expr = expr.right
        elif isinstance(expr, ast.JoinedStr) and expr.values:
            expr = expr.values[-1]
        else:
            return None
    return None


def _statistic_owner(target: ast.AST) -> ast.AST | None:
    """`bn` of `bn.running_var`, `bn.running_var.data`, `bn.running_var[:]`; None for anything else."""
    if isinstance(target, ast.Subscript):
        target = target.value
    if isinstance(target, ast.Attribute) and target.attr == "data":
        target = target.value
    if isinstance(target, ast.Attribute) and target.attr in TORCH_STATISTICS:
        return target.value
    return None


def _reads_other_framework(model) -> bool:
    """The module imports TensorFlow, Keras or h5py: it is a converter or a twin, not the
    PyTorch network alone."""
    return any(b.kind == "import" and (b.qualname or "").partition(".")[0] in ("tensorflow", "keras", "h5py", "tf_keras")
               for bindings in model.index.module_scope.bindings.values() for b in bindings)


def _package_beside(module: Path, here: Path) -> bool:
    """`module` is in a package (its folder has an `__init__.py`) whose folder sits in `here` or
    in one of its parents: `torch_fidelity/` beside the `utils/` of a converter script."""
    package = module.parent
    return (package / "__init__.py").is_file() and (package.parent == here or package.parent in here.parents)


def _writes_variance(owner: ast.AST, node: ast.AST) -> bool:
    """The write is of the running variance (the statistic epsilon acts on): `m.running_var.copy_(...)`,
    `bn.running_var = ...`, `bn.running_var.data = ...`."""
    for target in ast.walk(node):
        if isinstance(target, ast.Attribute) and target.attr == "running_var" and ast.dump(target.value) == ast.dump(owner):
            return True
    return False


def _function_text(model, node: ast.AST) -> str:
    """The source of the function `node` is in (the module's, at its top level)."""
    function = model.index.enclosing_function(node)
    return (ast.get_source_segment(model.source, function) or "") if function is not None else model.source
