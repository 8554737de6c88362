"""Payload validation against the official OCPP JSON schemas shipped in the ``ocpp`` package.

Each schema is compiled once per (version, action, direction) with ``fastjsonschema`` into Python
code; validating a 2.0.1 TransactionEvent then costs microseconds instead of the ~2.5 ms of a
per-message ``jsonschema`` run. ``format`` keywords are not enforced here: the OCA test tool
does not enforce them either, and stricter checks are reported separately as warnings.
``multipleOf`` (three 1.6 schemas use 0.1 steps) is dropped because binary floats make it reject
valid values such as 21.4.

Schema violations map to the OCPP-J error kinds of Part 4 §4.3: a missing field or too many/few
array items is an OccurrenceConstraintViolation, a wrong JSON type a TypeConstraintViolation, an
unknown property a FormatViolation, anything else (enum, length, range, pattern) a
PropertyConstraintViolation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import ocpp

from harness.ocppj.errors import ErrorKind

_OCPP_DIR = Path(ocpp.__file__).resolve().parent
_SCHEMA_DIRS = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}


class Direction(StrEnum):
    """Which half of an exchange a payload is."""

    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """Why a payload does not match its schema, and the CALLERROR kind it deserves."""

    kind: ErrorKind
    message: str
    rule: str


_RULE_KINDS: dict[str, ErrorKind] = {
    "required": ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    "minItems": ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    "maxItems": ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    "type": ErrorKind.TYPE_CONSTRAINT_VIOLATION,
    "additionalProperties": ErrorKind.FORMAT_VIOLATION,
}

Validator = Callable[[Any], Any]


def _schema_dir(version: str) -> Path:
    try:
        return _OCPP_DIR / _SCHEMA_DIRS[version] / "schemas"
    except KeyError:
        raise ValueError(f"unsupported OCPP version {version!r}") from None


def _file_name(version: str, action: str, direction: Direction) -> str:
    if direction is Direction.RESPONSE:
        return f"{action}Response.json"
    if version == "1.6":
        return f"{action}.json"
    if action == "NotifyPeriodicEventStream":  # the only 2.1 SEND-only message has no suffix
        return f"{action}.json"
    return f"{action}Request.json"


@cache
def known_actions(version: str) -> frozenset[str]:
    """Every action with a request schema in ``version``."""
    names = set()
    for path in _schema_dir(version).glob("*.json"):
        stem = path.stem
        if stem.endswith("Response"):
            continue
        names.add(stem.removesuffix("Request") if version != "1.6" else stem)
    return frozenset(names)


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k != "multipleOf"}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _accept_any(_: object) -> bool:
    return True


@cache
def schema_document(version: str, action: str, direction: Direction) -> dict[str, Any] | None:
    """The official JSON schema of an action's request or response, as shipped (None: no schema).

    The same object is returned on every call: read it, never change it.
    """
    path = _schema_dir(version) / _file_name(version, action, direction)
    if not path.is_file():
        return None
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8-sig"))
    return document


@cache
def validator(version: str, action: str, direction: Direction) -> Validator | None:
    """The compiled validator for an action's request or response; None if no schema exists."""
    path = _schema_dir(version) / _file_name(version, action, direction)
    if not path.is_file():
        return None
    schema = _strip(json.loads(path.read_text(encoding="utf-8-sig")))
    schema.pop("$id", None)
    schema.pop("id", None)  # 1.6 schemas carry a URN id that is not a resolvable base URI
    schema["$schema"] = "http://json-schema.org/draft-06/schema#"
    formats = {"date-time": _accept_any, "uri": _accept_any}
    # use_default=False: validation must never insert schema defaults into the payload (which
    # would change the frame on the wire and the evidence a test sees).
    compiled: Validator = fastjsonschema.compile(schema, formats=formats, use_default=False)
    return compiled


def check(
    version: str, action: str, direction: Direction, payload: dict[str, Any]
) -> SchemaViolation | None:
    """Validate ``payload``; None when it conforms (or when the action has no schema)."""
    compiled = validator(version, action, direction)
    if compiled is None:
        return None
    try:
        compiled(payload)
    except fastjsonschema.JsonSchemaValueException as exc:
        kind = _RULE_KINDS.get(str(exc.rule), ErrorKind.PROPERTY_CONSTRAINT_VIOLATION)
        message = str(exc.message).replace("data", "payload", 1)
        return SchemaViolation(kind, message, str(exc.rule))
    return None
