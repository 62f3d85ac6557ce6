"""The base class every rule derives from, and what a rule hands back to the engine."""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Iterable, Sequence, Union

from bnlint.findings import Evidence

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel

# Evidence as a rule gives it: a note and the node (or line number) it points at, or a
# ready-made Evidence for a place in another file.
EvidenceLike = Union[Evidence, tuple[str, Union[ast.AST, int]]]

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Fix", "Framework versions", "References")


@dataclass
class FixRecipe:
    """A fix as a rule gives it: a transformation of one node of this module, by name. The
    transformations live in bnlint.fixes (libcst, loaded only to show or apply fixes):

    - `add_keyword` (name, value): a call gets `name=value`, or its existing `name=` the value;
    - `rename_keyword` (old, new): a call's keyword `old=` becomes `new=`;
    - `rename_attribute` (new): `x.variables` becomes `x.new` (also the callee of a call);
    - `replace` (code): the expression becomes `code`;
    - `wrap_with` (header): the statement moves into `with header:`;
    - `insert_before` / `insert_after` (code): a statement `code` at the statement's indentation.
    """

    recipe: str
    node: ast.AST
    title: str
    safe: bool
    arguments: dict[str, str] = field(default_factory=dict)


def fit_headline(*candidates: str) -> str:
    """The first candidate that fits on one line of a report (100 characters): rules offer a
    full headline and shorter ones for long names."""
    return next((c for c in candidates if len(c) <= 100), candidates[-1])


def clip(text: str, limit: int = 25) -> str:
    """A name or piece of code cut to fit into a headline."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def layer_kind(layer: str) -> str:
    """A BN layer's name for a headline: `BatchNorm2d`, or BatchNorm for a model-zoo network
    (`torchvision.models.resnet18`) that holds them."""
    return "BatchNorm" if "." in layer or "(" in layer else clip(layer, 20)


def contains_label(name: str, layer: str) -> str:
    """An evidence label: `name` contains the layer, or is a model-zoo network known to hold BN
    (`keras.applications.ResNet50`, `timm.create_model('resnet50')`)."""
    if "." in layer or "(" in layer:
        return f"`{name}` is `{layer}`, which contains BatchNorm"
    return f"`{name}` contains {layer}"


def recognized_as(name: str, how: str) -> str:
    """An evidence label saying how the object `name` was recognized as a model (`how` comes
    from the semantic model's Contents.how)."""
    if how.startswith("class "):
        return f"`{name}` is an instance of {how}"
    if how.endswith(f"passed as `{name}`"):
        return f"{how} here"
    if how.startswith(("a ", "an ", "returned ", "loaded ", "built ")):
        return f"`{name}` is {how}"
    return f"`{name}`: {how}"


def fix(recipe: str, node: ast.AST, title: str, *, safe: bool, **arguments: str) -> FixRecipe:
    return FixRecipe(recipe, node, title, safe, dict(arguments))


def within(node: ast.AST, outer: ast.AST) -> bool:
    """`node` lies inside `outer` in the source."""
    start = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    end = (getattr(node, "end_lineno", 0), getattr(node, "end_col_offset", 0))
    return (outer.lineno, outer.col_offset) <= start and end <= (outer.end_lineno, outer.end_col_offset)


def set_argument(site, param: str | None, code: str, title: str, *, safe: bool) -> FixRecipe | None:
    """A fix giving the layer built at `site` (a NormSite) the argument `param=code`: the
    expression written at the call is replaced (keyword or positional), or the keyword is
    added. None when the value comes from elsewhere (a partial, a `**kwargs` dict, a config:
    changing it there changes every layer that reads it), when `*args`/`**kwargs` may already
    set it, or when the layer is built in another module or by a model-zoo builder."""
    call = site.call
    if param is None or hasattr(call, "bnlint_path") or not site.api.params:
        return None
    expr = site.arg(param)
    if expr is not None:
        if not within(expr, call):
            return None
        return fix("replace", expr, title, safe=safe, code=code)
    if site.opaque or site.partial is not None or site.spread:
        return None
    return fix("add_keyword", call, title, safe=safe, name=param, value=code)


@dataclass
class Report:
    """One finding as a rule sees it: a node in this module, a headline (what is wrong, one
    line, at most 100 characters, no position in it), why it is a bug, what to do, and the
    evidence as (label, node) pairs."""

    node: ast.AST
    message: str  # the headline
    evidence: Sequence[EvidenceLike] = field(default_factory=tuple)
    severity: str | None = None  # None: the rule's default severity
    fix: FixRecipe | None = None
    why: str = ""  # the explanation: what goes wrong at run time
    fix_title: str = ""  # imperative: "Pass `training=True`"; defaults to the fix's title


class Rule:
    """A rule: code, stable kebab-case name, severity, documentation and a check.

    The class docstring is the rule's documentation, in Markdown with the sections of
    DOC_SECTIONS. ``requires`` lists the words a file must contain for the rule to apply
    (any one of them); a file matching no enabled rule is never parsed.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[str] = "E"
    summary: ClassVar[str] = ""  # one line: what the finding means
    requires: ClassVar[tuple[str, ...]] = ()
    # A second group of words, one of which must be there too: what the rule's check itself
    # requires before it looks further (a training step, the framework's name).
    requires_also: ClassVar[tuple[str, ...]] = ()
    # Words that, found in a project module this file imports, make the rule apply too (its
    # evidence may live in an imported helper; the check asks `ProjectView.imports_mention`
    # the same question, so the prefilter drops nothing the check would find).
    requires_imported: ClassVar[tuple[str, ...]] = ()
    # Words that, found (as whole words) in any other module of the project, make the rule apply
    # to a file holding one of `requires_in_project_with` (BN005: a converter script elsewhere
    # copies statistics into the layers this file builds; the check asks
    # `ProjectView.modules_with_any_word` the same question).
    requires_in_project: ClassVar[tuple[str, ...]] = ()
    requires_in_project_with: ClassVar[tuple[str, ...]] = ()
    # The fix the rule offers: "safe" (keeps the program's meaning apart from the bug),
    # "unsafe" (the evidence implies the value, a person should look), or "" (none; the
    # rule's documentation says why).
    fix_applicability: ClassVar[str] = ""
    help_uri_base: ClassVar[str] = "https://github.com/bnlint/bnlint/blob/main/docs/rules.md"

    def check(self, model: "SemanticModel") -> Iterable[Report]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- documentation -------------------------------------------------------------------
    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_section(cls, title: str) -> str:
        doc = cls.documentation()
        match = re.search(r"^## " + re.escape(title) + r"\s*$(.*?)(?=^## |\Z)", doc, re.M | re.S)
        return match.group(1).strip() if match else ""

    @classmethod
    def help_uri(cls) -> str:
        return f"{cls.help_uri_base}#{cls.code.lower()}-{cls.name}"

    @classmethod
    def applies_to(cls, text: str, project=None) -> bool:
        if cls.requires_also and not any(word in text for word in cls.requires_also):
            return False
        if not cls.requires or any(word in text for word in cls.requires):
            return True
        if cls.requires_imported and project is not None and project.imports_mention(text, cls.requires_imported):
            return True
        return bool(cls.requires_in_project) and project is not None and \
            any(word in text for word in cls.requires_in_project_with) and \
            project.others_hold_word(cls.requires_in_project)
