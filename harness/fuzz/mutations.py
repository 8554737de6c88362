"""Near-valid payloads: a valid payload with exactly one schema violation.

:func:`mutations` lists every single-step way to break a given valid payload against its schema —
drop a required field, give a field another JSON type, add a property the schema forbids, use a
value outside the enumeration (a member in the wrong case when there is one), make a string one
character too long, a number fall outside its minimum/maximum, an array too short or too long — and
keeps only those the schema validation really rejects. Each :class:`Mutation` names what it broke
(``dropped required field evse.id``) so a failing example explains itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from harness.ocppj.schemas import Direction, check, schema_document

Path = tuple[str | int, ...]

#: Values of the wrong JSON type, by the type the schema asks for.
_WRONG_TYPE: dict[str, Any] = {
    "string": 42,
    "integer": "42",
    "number": "4.2",
    "boolean": "true",
    "object": "an object",
    "array": {"not": "an array"},
}
_UNKNOWN_PROPERTY = "unexpectedField"


@dataclass(frozen=True, slots=True)
class Mutation:
    """One schema violation: ``kind`` at ``path``, and the value put there (None: removed)."""

    kind: str
    path: Path
    value: Any = None
    remove: bool = False

    @property
    def where(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text or "(payload)"

    def describe(self) -> str:
        if self.remove:
            return f"{self.kind}: {self.where} removed"
        shown = repr(self.value)
        return f"{self.kind}: {self.where} = {shown if len(shown) <= 40 else shown[:37] + '...'}"

    def apply(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A mutated copy of ``payload`` (only the containers on the path are copied)."""
        out = dict(payload)
        parent: Any = out
        for part in self.path[:-1]:
            child = parent[part]
            child = dict(child) if isinstance(child, dict) else list(child)
            parent[part] = child
            parent = child
        last = self.path[-1]
        if self.remove:
            del parent[last]
        else:
            parent[last] = self.value
        return out


class _Walker:
    def __init__(self, definitions: dict[str, Any]) -> None:
        self.definitions = definitions

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str):
            resolved: dict[str, Any] = self.definitions[ref.rsplit("/", 1)[1]]
            return resolved
        return node

    def sites(self, node: dict[str, Any], value: Any, path: Path) -> Iterator[Mutation]:
        node = self.resolve(node)
        kind = node.get("type")
        if path and kind in _WRONG_TYPE:
            yield Mutation("wrong type", path, _WRONG_TYPE[kind])
        if "enum" in node and isinstance(value, str):
            yield Mutation("not in enumeration", path, _off_enum(node["enum"], value))
        if kind == "string" and "maxLength" in node and path:
            yield Mutation("too long", path, "x" * (int(node["maxLength"]) + 1))
        if kind in ("integer", "number") and path:
            if "minimum" in node:
                yield Mutation("below minimum", path, node["minimum"] - 1)
            if "maximum" in node:
                yield Mutation("above maximum", path, node["maximum"] + 1)
        if kind == "object" and isinstance(value, dict):
            yield from self.object_sites(node, value, path)
        if kind == "array" and isinstance(value, list):
            yield from self.array_sites(node, value, path)

    def object_sites(
        self, node: dict[str, Any], value: dict[str, Any], path: Path
    ) -> Iterator[Mutation]:
        properties = node.get("properties", {})
        for key in node.get("required", []):
            if key in value:
                yield Mutation("missing required field", (*path, key), remove=True)
        if node.get("additionalProperties", True) is False:
            yield Mutation("unknown property", (*path, _UNKNOWN_PROPERTY), 1)
        for key, sub in properties.items():
            if key in value:
                yield from self.sites(sub, value[key], (*path, key))

    def array_sites(self, node: dict[str, Any], value: list[Any], path: Path) -> Iterator[Mutation]:
        low = int(node.get("minItems", 0))
        if low and len(value) == low:
            yield Mutation("too few items", path, value[: low - 1])
        high = node.get("maxItems")
        if high is not None and value and int(high) <= 16:
            yield Mutation("too many items", path, [value[0]] * (int(high) + 1))
        for index, item in enumerate(value):
            yield from self.sites(node.get("items", {}), item, (*path, index))


def _off_enum(members: list[Any], value: str) -> str:
    for candidate in (value.lower(), value.upper(), value.swapcase()):
        if candidate not in members:
            return candidate
    return value + "X"


def candidates(
    version: str,
    action: str,
    payload: dict[str, Any],
    direction: Direction = Direction.REQUEST,
) -> list[Mutation]:
    """Every single mutation of ``payload`` worth trying, in a stable order (not yet checked:
    a few may still satisfy the schema)."""
    schema = schema_document(version, action, direction)
    if schema is None:
        return []
    return list(_Walker(schema.get("definitions", {})).sites(schema, payload, ()))


def breaks(
    version: str,
    action: str,
    payload: dict[str, Any],
    mutation: Mutation,
    direction: Direction = Direction.REQUEST,
) -> dict[str, Any] | None:
    """``payload`` with ``mutation`` applied when the schema rejects the result, else None."""
    mutated = mutation.apply(payload)
    return mutated if check(version, action, direction, mutated) is not None else None


def mutations(
    version: str,
    action: str,
    payload: dict[str, Any],
    direction: Direction = Direction.REQUEST,
) -> list[Mutation]:
    """Every single mutation of ``payload`` that its schema rejects (in a stable order)."""
    return [
        m
        for m in candidates(version, action, payload, direction)
        if breaks(version, action, payload, m, direction) is not None
    ]
