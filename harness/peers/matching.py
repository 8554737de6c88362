"""Subset matching of OCPP payloads, as EVerest's ocpp_tests do it, with a readable diff.

Test scripts write fields in snake_case (``connector_status="Available"``); payloads are camelCase
on the wire. A nested dict matches when its own fields match (a subset); a callable value is a
predicate; anything else must be equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

_FIRST_CAP = re.compile(r"_([a-z0-9])")

#: snake_case names whose camelCase form is irregular in the OCPP schemas.
_IRREGULAR = {"evse_id": "evseId", "id_tag": "idTag", "id_token": "idToken"}


def camel(name: str) -> str:
    """``connector_status`` -> ``connectorStatus``; names without ``_`` are kept."""
    return _IRREGULAR.get(name) or _FIRST_CAP.sub(lambda m: m.group(1).upper(), name)


def camel_keys(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a test script's keyword arguments into a wire payload (recursively for dicts)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, Mapping):
            value = camel_keys(value)
        elif isinstance(value, list):
            value = [camel_keys(v) if isinstance(v, Mapping) else v for v in value]
        out[camel(key)] = value
    return out


def mismatches(
    payload: Mapping[str, Any], expected: Mapping[str, Any], path: str = ""
) -> list[str]:
    """Human-readable differences between ``payload`` and the ``expected`` subset (empty: match)."""
    problems: list[str] = []
    for key, want in expected.items():
        where = f"{path}.{key}" if path else key
        if key not in payload:
            problems.append(f"{where} is missing")
            continue
        have = payload[key]
        if callable(want) and not isinstance(want, type):
            check: Callable[[Any], bool] = want
            if not check(have):
                name = getattr(want, "__doc__", None) or getattr(want, "__name__", "predicate")
                problems.append(f"{where}={have!r} does not satisfy {name}")
        elif isinstance(want, Mapping) and isinstance(have, Mapping):
            problems.extend(mismatches(have, want, where))
        elif have != want:
            problems.append(f"{where}={have!r}, wanted {want!r}")
    return problems


def describe(expected: Mapping[str, Any]) -> str:
    """The expected subset as text, predicates shown by name."""
    parts = []
    for key, want in expected.items():
        if callable(want) and not isinstance(want, type):
            shown = getattr(want, "__doc__", None) or getattr(want, "__name__", "predicate")
        elif isinstance(want, Mapping):
            shown = "{" + describe(want) + "}"
        else:
            shown = repr(want)
        parts.append(f"{key}={shown}")
    return ", ".join(parts)


def one_of(*values: Any) -> Callable[[Any], bool]:
    """A predicate: the field equals one of ``values``."""

    def check(value: Any) -> bool:
        return value in values

    check.__doc__ = "one of " + ", ".join(repr(v) for v in values)
    return check


def present(value: Any) -> bool:
    """present"""
    return value is not None
