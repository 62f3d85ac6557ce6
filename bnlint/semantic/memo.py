"""Memoized recursive queries that may meet themselves, across the modules of a project.

A query that meets itself (a model built by a helper whose caller is analysed through the
helper's module; an import cycle between two summaries) gets a guard value, and what is
computed from it is a partial answer. Partial answers are kept while the outermost query runs,
so a cycle is not explored again and again, and dropped when it returns: kept for good, they
would make a module's findings depend on which module was checked first.
"""

from __future__ import annotations


class _Recursion:
    in_progress: set = set()  # (id(cache), key) of the queries running
    cuts = 0  # how many times a query met itself (or a cycle was cut elsewhere)
    depth = 0
    partial: list = []  # (cache, key) of answers computed across a cut


def cycle_cut() -> None:
    """A cycle was cut short outside `memoized` (an import cycle between module summaries): the
    answers being computed now are partial."""
    _Recursion.cuts += 1


def memoized(cache: dict, key, guard, compute):
    """`cache[key]`, computed once by `compute()`; `guard` while it runs."""
    marker = (id(cache), key)
    if key in cache:
        if marker in _Recursion.in_progress:
            _Recursion.cuts += 1
        return cache[key]
    cache[key] = guard
    _Recursion.in_progress.add(marker)
    cuts = _Recursion.cuts
    _Recursion.depth += 1
    try:
        result = compute()
    except BaseException:
        cache.pop(key, None)
        raise
    finally:
        _Recursion.depth -= 1
        _Recursion.in_progress.discard(marker)
    cache[key] = result
    if _Recursion.cuts != cuts:
        _Recursion.partial.append((cache, key))
    if _Recursion.depth == 0 and _Recursion.partial:
        for partial_cache, partial_key in _Recursion.partial:
            partial_cache.pop(partial_key, None)
        _Recursion.partial.clear()
    return result
