"""The reference schema validator: the official schemas compiled with ``fastjsonschema``.

:mod:`harness.ocppj.schemas` validates every frame with jsonschema-rs, which is an order of
magnitude faster; this module keeps the previous implementation, which the differential
self-test (``tests/test_validator_differential.py``) runs side by side over the fuzz corpus and
generated messages, and which :func:`harness.ocppj.schemas.check` falls back to for the few values
jsonschema-rs cannot represent (NaN and infinities, which it reads as null).

Schema violations map to the OCPP-J error kinds of Part 4 §4.3 through :data:`RULE_KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema

from harness.ocppj.schema_files import Direction, SchemaViolation, prepared_schema, rule_kind

Validator = Callable[[Any], Any]


def _accept_any(_: object) -> bool:
    return True


@cache
def reference_validator(version: str, action: str, direction: Direction) -> Validator | None:
    """The fastjsonschema validator for an action's request or response; None: no schema."""
    schema = prepared_schema(version, action, direction)
    if schema is None:
        return None
    formats = {"date-time": _accept_any, "uri": _accept_any}
    # use_default=False: validation must never insert schema defaults into the payload (which
    # would change the frame on the wire and the evidence a test sees).
    compiled: Validator = fastjsonschema.compile(schema, formats=formats, use_default=False)
    return compiled


def reference_check(
    version: str, action: str, direction: Direction, payload: dict[str, Any]
) -> SchemaViolation | None:
    """Validate ``payload`` with fastjsonschema; None when it conforms (or has no schema)."""
    compiled = reference_validator(version, action, direction)
    if compiled is None:
        return None
    try:
        compiled(payload)
    except fastjsonschema.JsonSchemaValueException as exc:
        rule = str(exc.rule)
        message = str(exc.message).replace("data", "payload", 1)
        path = tuple(exc.path[1:])
        return SchemaViolation(rule_kind(rule), message, rule, path)
    return None
