"""Payload validation against the official OCPP JSON schemas shipped in the ``ocpp`` package.

Each schema is compiled once per (version, action, direction) with jsonschema-rs; a valid 2.0.1
TransactionEvent then costs about 2 µs (fastjsonschema: about 40 µs, a per-message ``jsonschema``
run about 2.5 ms). The schemas are read as :mod:`harness.ocppj.schema_files` says (``format`` not
enforced, ``multipleOf`` dropped).

An invalid payload is named exactly as the reference validator
(:mod:`harness.ocppj.reference_validator`, fastjsonschema) names it: fastjsonschema stops at the
first failing keyword of a depth-first walk (per schema node: ``type``, ``enum``, lengths,
``pattern``, bounds, ``minItems``/``maxItems``, ``items`` in index order, ``required``,
``properties`` in the schema's order, ``additionalProperties``), so of every error jsonschema-rs
finds, the first in that order is the one reported, with the same rule, path and OCPP-J error kind
(Part 4 §4.3, see :func:`harness.ocppj.schema_files.rule_kind`). ``tests/test_validator_differential.py``
holds the two to the same verdicts. Values jsonschema-rs cannot represent (NaN and infinities,
which it reads as null) go to the reference validator.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from typing import Any

import jsonschema_rs

from harness.ocppj.reference_validator import reference_check
from harness.ocppj.schema_files import (
    Direction,
    SchemaViolation,
    known_actions,
    prepared_schema,
    rule_kind,
    schema_document,
)

__all__ = [
    "Direction",
    "SchemaViolation",
    "check",
    "known_actions",
    "schema_document",
    "validator",
]

#: fastjsonschema's order of keywords within one schema node (draft-04 list, then draft-06's).
_ORDER = [
    "type",
    "enum",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "items",
    "minProperties",
    "maxProperties",
    "required",
    "dependencies",
    "properties",
    "patternProperties",
    "additionalProperties",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "propertyNames",
    "contains",
    "const",
]
_RANK = {keyword: rank for rank, keyword in enumerate(_ORDER)}
_UNKNOWN_RANK = len(_ORDER)


class _Compiled:
    """One schema compiled with jsonschema-rs, and the schema itself (to order its errors)."""

    __slots__ = ("is_valid", "schema", "validator")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.validator = jsonschema_rs.Draft6Validator(schema, validate_formats=False)
        self.is_valid = self.validator.is_valid


@cache
def _compiled(version: str, action: str, direction: Direction) -> _Compiled | None:
    schema = prepared_schema(version, action, direction)
    return None if schema is None else _Compiled(schema)


def validator(version: str, action: str, direction: Direction) -> Any:
    """The compiled jsonschema-rs validator of an action's request or response; None if no
    schema exists."""
    compiled = _compiled(version, action, direction)
    return None if compiled is None else compiled.validator


def check(
    version: str, action: str, direction: Direction, payload: dict[str, Any]
) -> SchemaViolation | None:
    """Validate ``payload``; None when it conforms (or when the action has no schema)."""
    compiled = _compiled(version, action, direction)
    if compiled is None:
        return None
    try:
        if compiled.is_valid(payload):
            return None
        if _has_non_finite(payload):
            return reference_check(version, action, direction, payload)
        errors = list(compiled.validator.iter_errors(payload))
    except (ValueError, TypeError, OverflowError):  # a value jsonschema-rs cannot take in
        return reference_check(version, action, direction, payload)
    if not errors:  # cannot happen; the reference validator has the last word
        return reference_check(version, action, direction, payload)
    first = min(errors, key=lambda e: _order(compiled.schema, e.instance_path, e.schema_path))
    rule = str(first.schema_path[-1]) if first.schema_path else "type"
    path = tuple(str(p) for p in first.instance_path)
    node = _node_at(compiled.schema, first.instance_path)
    message = _message(rule, path, node, first, payload)
    return SchemaViolation(rule_kind(rule), message, rule, path)


def _has_non_finite(value: Any) -> bool:
    """Whether a NaN or an infinity is anywhere in ``value`` (iterative: no recursion)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, float):
            if not math.isfinite(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    """``node`` with its ``$ref`` chain followed (the OCPP schemas use ``#/definitions/X``)."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        ref = str(node["$ref"])
        target: Any = schema
        for part in ref.removeprefix("#/").split("/"):
            if part and isinstance(target, dict):
                target = target.get(part, {})
        node = target
        seen += 1
    return node


def _steps(schema: dict[str, Any], instance_path: Iterable[Any]) -> Iterable[tuple[int, int, Any]]:
    """Walk the schema along ``instance_path``: per step the keyword rank, the position within
    it (a property's place in the schema, an item's index) and the schema node reached."""
    node = _resolve(schema, schema)
    for token in instance_path:
        if isinstance(token, int):
            child = node.get("items", {}) if isinstance(node, dict) else {}
            yield _RANK["items"], token, child
        else:
            props = node.get("properties", {}) if isinstance(node, dict) else {}
            if token in props:
                yield _RANK["properties"], list(props).index(token), props[token]
                child = props[token]
            else:
                child = node.get("additionalProperties", {}) if isinstance(node, dict) else {}
                yield _RANK["additionalProperties"], 0, child
        node = _resolve(schema, child)


def _order(schema: dict[str, Any], instance_path: Any, schema_path: Any) -> tuple[Any, ...]:
    """Where fastjsonschema's depth-first walk meets this error (smaller: met first)."""
    key: list[tuple[int, int]] = [(rank, at) for rank, at, _ in _steps(schema, instance_path)]
    keyword = str(schema_path[-1]) if schema_path else "type"
    key.append((_RANK.get(keyword, _UNKNOWN_RANK), -1))
    return tuple(key)


def _node_at(schema: dict[str, Any], instance_path: Any) -> dict[str, Any]:
    node: Any = _resolve(schema, schema)
    for _, _, child in _steps(schema, instance_path):
        node = _resolve(schema, child)
    return node if isinstance(node, dict) else {}


def _value_at(payload: Any, instance_path: Any) -> dict[str, Any]:
    """The object at ``instance_path`` in ``payload`` ({} when it is not an object)."""
    value = payload
    for token in instance_path:
        value = value[token]
    return value if isinstance(value, dict) else {}


def _name(path: tuple[str, ...], instance_path: Any) -> str:
    """The failing value's name as fastjsonschema spells it: ``payload.a[0].b``."""
    text = "payload"
    for token, raw in zip(path, instance_path, strict=True):
        text += f"[{token}]" if isinstance(raw, int) else f".{token}"
    return text


def _message(
    rule: str, path: tuple[str, ...], node: dict[str, Any], error: Any, payload: Any
) -> str:
    """The violation in fastjsonschema's words (the reference's, so reports read the same)."""
    name = _name(path, error.instance_path)
    value = node.get(rule)
    if rule == "type":
        types = value if isinstance(value, list) else [value]
        return f"{name} must be {' or '.join(str(t) for t in types)}"
    if rule == "required":
        instance = _value_at(payload, error.instance_path)
        missing = sorted(set(value or ()) - instance.keys())
        return f"{name} must contain {missing} properties"
    if rule == "additionalProperties":
        instance = _value_at(payload, error.instance_path)
        extra = [k for k in instance if k not in node.get("properties", {})]
        return f"{name} must not contain {set(extra)} properties"
    templates = {
        "enum": "must be one of {}",
        "minLength": "must be longer than or equal to {} characters",
        "maxLength": "must be shorter than or equal to {} characters",
        "pattern": "must match pattern {}",
        "minimum": "must be bigger than or equal to {}",
        "maximum": "must be smaller than or equal to {}",
        "exclusiveMinimum": "must be bigger than {}",
        "exclusiveMaximum": "must be smaller than {}",
        "minItems": "must contain at least {} items",
        "maxItems": "must contain less than or equal to {} items",
        "const": "must be same as const definition: {}",
    }
    if rule in templates:
        return f"{name} {templates[rule].format(value)}"
    return f"{name}: {error.message}"
