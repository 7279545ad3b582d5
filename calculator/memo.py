"""One memo for read-only objects that many results share (a date's next steps, a programme's clauses): the value derived from each is computed once."""

from __future__ import annotations

KEPT_BY_IDENTITY = 1024  # objects whose derived value kept_by_identity() holds, per cache


def kept_by_identity(cache: dict, obj, make):
    """make(obj) for a read-only object that many results share (a date's next steps of a programme),
    computed once: kept by identity, with the object itself, so that its id cannot be reused by another
    object while the value is kept. The cache is emptied past KEPT_BY_IDENTITY objects."""
    found = cache.get(id(obj))
    if found is None or found[0] is not obj:
        if len(cache) >= KEPT_BY_IDENTITY:
            cache.clear()
        found = cache[id(obj)] = (obj, make(obj))
    return found[1]
