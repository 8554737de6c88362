"""The official OCPP JSON schemas shipped in the ``ocpp`` package, and how a violation is named.

``format`` keywords are not enforced: the OCA test tool does not enforce them either, and
stricter checks are reported separately as warnings. ``multipleOf`` (three 1.6 schemas use 0.1
steps) is dropped because binary floats make it reject valid values such as 21.4. Every schema is
read as draft-06 (the 1.6 schemas say draft-04; they use nothing the two drafts read differently).

Schema violations map to the OCPP-J error kinds of Part 4 §4.3: a missing field or too many/few
array items is an OccurrenceConstraintViolation, a wrong JSON type a TypeConstraintViolation, an
unknown property a FormatViolation, anything else (enum, length, range, pattern) a
PropertyConstraintViolation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import ocpp

from harness.ocppj.errors import ErrorKind

_OCPP_DIR = Path(ocpp.__file__).resolve().parent
_SCHEMA_DIRS = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}
DRAFT = "http://json-schema.org/draft-06/schema#"


class Direction(StrEnum):
    """Which half of an exchange a payload is."""

    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """Why a payload does not match its schema, and the CALLERROR kind it deserves.

    ``rule`` is the schema keyword that failed; ``path`` the keys and array indices (as text)
    from the payload to the failing value (for ``required`` and ``additionalProperties``: to the
    object).
    """

    kind: ErrorKind
    message: str
    rule: str
    path: tuple[str, ...] = ()


RULE_KINDS: dict[str, ErrorKind] = {
    "required": ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    "minItems": ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    "maxItems": ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    "type": ErrorKind.TYPE_CONSTRAINT_VIOLATION,
    "additionalProperties": ErrorKind.FORMAT_VIOLATION,
}


def rule_kind(rule: str) -> ErrorKind:
    """The CALLERROR kind a failed schema keyword deserves (Part 4 §4.3)."""
    return RULE_KINDS.get(rule, ErrorKind.PROPERTY_CONSTRAINT_VIOLATION)


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


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k != "multipleOf"}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def prepared_schema(version: str, action: str, direction: Direction) -> dict[str, Any] | None:
    """A fresh copy of the schema as the validators read it (see the module doc); None: none."""
    document = schema_document(version, action, direction)
    if document is None:
        return None
    schema: dict[str, Any] = _strip(document)
    schema.pop("$id", None)
    schema.pop("id", None)  # 1.6 schemas carry a URN id that is not a resolvable base URI
    schema["$schema"] = DRAFT
    return schema
