"""Finds the rules: every Rule subclass defined in a module of bnlint.rules, by discovery."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

from bnlint.diagnostics import TOOL_DIAGNOSTICS
from bnlint.rule import Rule

CODE_RE = re.compile(r"^BN\d{3}$")


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """The rule classes that check code (BN001...), sorted by code."""
    import bnlint.rules as package

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                if value.code in found:
                    raise RuntimeError(f"rule code {value.code} is defined twice")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def catalogue() -> tuple[type[Rule], ...]:
    """Every code bnlint can report: the rules and the tool diagnostics (BN9xx)."""
    return all_rules() + TOOL_DIAGNOSTICS


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in catalogue()}


def expand_codes(selectors: list[str] | tuple[str, ...], *, source: str) -> set[str]:
    """Turn codes and prefixes (BN00, BN0, BN) into full codes; unknown ones raise ValueError."""
    codes = set(by_code())
    result: set[str] = set()
    unknown = []
    for raw in selectors:
        selector = raw.strip().upper()
        if not selector:
            continue
        if selector == "ALL":
            result |= codes
            continue
        matched = {code for code in codes if code.startswith(selector)}
        if not matched or not selector.startswith("BN"):
            unknown.append(raw.strip())
        result |= matched
    if unknown:
        raise ValueError(f"unknown rule code(s) in {source}: {', '.join(unknown)}")
    return result
