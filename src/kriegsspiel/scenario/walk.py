"""Walk a validated scenario model, yielding every node with its key path."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from kriegsspiel.scenario.problems import Loc


def walk(node: object, loc: Loc = ()) -> Iterator[tuple[Loc, object]]:
    """Yield ``(loc, node)`` for ``node`` and every model, list item and dict value inside it."""
    yield loc, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk(getattr(node, name), (*loc, name))
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from walk(item, (*loc, i))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*loc, str(key)))
