"""Which layer feeds straight into which: the edges BN014 and BN016 read.

A *layer construction* is a call of a framework layer class (`Conv2D(...)`, `nn.Linear(...)`,
`BatchNormalization()`) or of a function-form layer (`tf.layers.conv2d(x, ...)`). An edge
(producer, consumer) is recorded when the output of one goes straight into the other:
- consecutive elements of a `Sequential([...])` / `nn.Sequential(...)`, and consecutive
  `model.add(...)` statements in one block;
- functional graphs: `BN()(Conv()(x))`, or `x = Conv(...)(x)` followed in the same block by
  `x = BN()(x)` with no other assignment to `x` between them;
- `forward`/`call` bodies: `self.bn(self.conv(x))`, or `x = self.conv(x)` then `x = self.bn(x)`,
  with `self.conv`/`self.bn` resolved to their single construction in the class;
- Keras merges: each input of `concatenate([x1, x2])` / `Add()([a, b])` feeds the merge (how
  "merge"), and the merge feeds the layer applied to its output.
Anything else in between (an activation, a branch) means no edge.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bnlint import catalogue

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel


@dataclass(eq=False)
class Edge:
    producer: ast.Call  # the producer's construction
    consumer: ast.Call  # the consumer's construction
    where: ast.AST  # where the connection is made (the Sequential element, the call)
    how: str  # "Sequential" | "add()" | "call"


class SequenceAnalysis:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.index = model.index
        self.edges: list[Edge] = []
        self._sequential_lists()
        self._add_chains()
        self._applications()

    def into_batchnorm(self):
        """(edge, the consuming BatchNorm's NormSite) for edges that end in a batch norm, each
        producer once."""
        seen = set()
        for edge in self.edges:
            site = self.model.norm_site(edge.consumer)
            # slim's conv2d(normalizer_fn=...) normalizes its own output: its input is no BN input
            if site is None or site.api.kind != catalogue.BATCH or site.normalizer_of or edge.producer in seen:
                continue
            seen.add(edge.producer)
            yield edge, site

    # ---- what a layer is ----------------------------------------------------------------
    def construction(self, expr: ast.AST, depth: int = 0) -> ast.Call | None:
        """The construction call of the layer `expr` denotes (a call, a name, `self.attr`)."""
        if depth > 4:
            return None
        if isinstance(expr, ast.Call):
            qual = self.model.qualname(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else None
            if qual and (catalogue.lookup(qual) is not None or catalogue.biased_layer(qual) is not None
                         or self._framework_layer(qual)):
                return expr
            return None
        if isinstance(expr, ast.Name):
            bindings = self.index.lookup(expr.id, self.index.scope_of(expr))
            if len(bindings) == 1 and bindings[0].kind in ("assign", "annassign") and bindings[0].value is not None:
                return self.construction(bindings[0].value, depth + 1)
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            cls = self.index.enclosing_class(expr)
            if cls is None:
                return None
            values = self.model.models._self_attribute_values(cls, expr.attr)
            if len(values) == 1:
                return self.construction(values[0][0], depth + 1)
        return None

    @staticmethod
    def _framework_layer(qual: str) -> bool:
        name = catalogue.keras_name(qual)
        return name.startswith(("keras.layers.", "torch.nn.")) and not name.startswith("torch.nn.functional")

    # ---- Sequential -----------------------------------------------------------------------
    def _sequential_lists(self) -> None:
        for call in self.index.calls:
            if self._super_init_of_sequential(call):
                qual = name = "torch.nn.Sequential"  # `class ConvBnAct(nn.Sequential)`
            else:
                qual = self.model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
                if not qual:
                    continue
                name = catalogue.keras_name(qual)
            if name not in catalogue.SEQUENTIAL_CLASSES and qual not in catalogue.SEQUENTIAL_CLASSES:
                continue
            if name.startswith("torch."):
                elements = list(call.args)
                if len(elements) == 1 and isinstance(elements[0], ast.Starred):
                    listed = self._listed(elements[0].value)  # `nn.Sequential(*layers)`
                    elements = listed if listed is not None else elements
            elif call.args and isinstance(call.args[0], (ast.List, ast.Tuple)):
                elements = list(call.args[0].elts)
            elif call.args and self._listed(call.args[0]) is not None:
                elements = self._listed(call.args[0])  # `keras.Sequential(layers)`
            else:
                continue
            self._chain(elements, "Sequential")

    def _super_init_of_sequential(self, call: ast.Call) -> bool:
        """`super().__init__(conv, bn, act)` in a class deriving from torch's nn.Sequential."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "__init__" and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "super"):
            return False
        cls = self.index.enclosing_class(call)
        return cls is not None and any(self.model.qualname(b) == "torch.nn.Sequential" for b in cls.bases)

    def _listed(self, expr: ast.AST) -> list[ast.AST] | None:
        """The elements of a list literal a name is bound to once (later `.append`s only add at
        the end, so the literal's neighbours stay neighbours)."""
        if not isinstance(expr, ast.Name):
            return None
        bindings = self.index.lookup(expr.id, self.index.scope_of(expr))
        if len(bindings) == 1 and bindings[0].kind in ("assign", "annassign") and isinstance(
                bindings[0].value, (ast.List, ast.Tuple)):
            return list(bindings[0].value.elts)
        return None

    def _chain(self, elements: list[ast.AST], how: str) -> None:
        previous = None
        for element in elements:
            if isinstance(element, ast.Starred):
                previous = None
                continue
            current = self.construction(element) if isinstance(element, ast.Call) else None
            if previous is not None and current is not None:
                self.edges.append(Edge(previous, current, element, how))
            previous = current

    def _add_chains(self) -> None:
        blocks: dict[tuple, list[tuple[ast.stmt, ast.AST]]] = {}
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "add" and isinstance(func.value, ast.Name)
                    and len(call.args) == 1):
                continue
            statement = self.index.parents.get(call)
            if not isinstance(statement, ast.Expr):
                continue
            parent = self.index.parents.get(statement)
            body = _block_of(parent, statement)
            if body is None:
                continue
            blocks.setdefault((id(body), func.value.id), []).append((statement, call.args[0]))
        for (_body_id, _name), items in blocks.items():
            items.sort(key=lambda item: item[0].lineno)
            body = _block_of(self.index.parents.get(items[0][0]), items[0][0])
            positions = {id(stmt): i for i, stmt in enumerate(body)}
            for (first, layer_a), (second, layer_b) in zip(items, items[1:]):
                if positions[id(second)] != positions[id(first)] + 1:
                    continue  # something else happens between the two add() calls
                a, b = self.construction(layer_a), self.construction(layer_b)
                if a is not None and b is not None:
                    self.edges.append(Edge(a, b, layer_b, "add()"))

    # ---- functional graphs and forward() ------------------------------------------------------
    def _applications(self) -> None:
        for call in self.index.calls:
            consumer, data = self._application(call)
            if consumer is None or data is None:
                continue
            if isinstance(data, (ast.List, ast.Tuple)) and self._merge(consumer):
                for element in data.elts:  # `concatenate([x1, x2])`: every input feeds the merge
                    producer = self._producer(element, call)
                    if producer is not None:
                        self.edges.append(Edge(producer, consumer, call, "merge"))
                continue
            producer = self._producer(data, call)
            if producer is not None:
                self.edges.append(Edge(producer, consumer, call, "call"))

    def _merge(self, construction: ast.Call) -> bool:
        qual = self.model.qualname(construction.func) if isinstance(construction.func, (ast.Name, ast.Attribute)) else None
        name = catalogue.keras_name(qual) if qual else ""
        return name.startswith("keras.layers.") and name.rpartition(".")[2] in catalogue.KERAS_MERGES

    def _application(self, call: ast.Call) -> tuple[ast.Call | None, ast.AST | None]:
        """(the layer's construction, its input) when `call` applies a layer to a tensor."""
        if not call.args:
            return None, None
        func = call.func
        if isinstance(func, ast.Call):  # Conv2D(...)(x)
            return self.construction(func), call.args[0]
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            return self.construction(func), call.args[0]
        if isinstance(func, (ast.Name, ast.Attribute)):
            qual = self.model.qualname(func)
            if qual:
                api = catalogue.lookup(qual)
                biased = catalogue.biased_layer(qual)
                if (api is not None and api.form == catalogue.FUNCTION) or (biased is not None and biased.form == catalogue.FUNCTION):
                    return call, call.args[0]  # tf.layers.conv2d(x, ...): the call is its own layer
                if api is None and biased is None and self._merge(call):
                    return call, call.args[0]  # `concatenate([x1, x2])`: the call is its own merge layer
                if api is None and biased is None:
                    return (self.construction(func), call.args[0]) if isinstance(func, ast.Name) else (None, None)
        return None, None

    def _producer(self, data: ast.AST, consumer_call: ast.Call) -> ast.Call | None:
        if isinstance(data, ast.Call):
            producer, _input = self._application(data)
            return producer
        if not isinstance(data, ast.Name):
            return None
        statement = _statement_of(consumer_call, self.index)
        if statement is None:
            return None
        body = _block_of(self.index.parents.get(statement), statement)
        if body is None:
            return None
        position = next((i for i, s in enumerate(body) if s is statement), None)
        if not position:
            return None
        previous = body[position - 1]
        # the statement right before must assign the name from a layer application
        if not (isinstance(previous, ast.Assign) and len(previous.targets) == 1
                and isinstance(previous.targets[0], ast.Name) and previous.targets[0].id == data.id
                and isinstance(previous.value, ast.Call)):
            return None
        producer, _input = self._application(previous.value)
        return producer


def _statement_of(node: ast.AST, index) -> ast.stmt | None:
    current = node
    while current is not None and not isinstance(current, ast.stmt):
        current = index.parents.get(current)
    return current


def _block_of(parent: ast.AST | None, statement: ast.stmt) -> list[ast.stmt] | None:
    if parent is None:
        return None
    for field_name in ("body", "orelse", "finalbody"):
        block = getattr(parent, field_name, None)
        if isinstance(block, list) and any(s is statement for s in block):
            return block
    return None
