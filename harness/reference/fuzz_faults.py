"""Faults of both reference SUTs that schema fuzzing (RB_FUZZ_01/02) must find.

* ``drops-on-long-string`` (station) / ``csms-fails-on-long-string`` (CSMS): a fixed-size buffer
  somewhere: a CALL carrying a string longer than :data:`LONG_STRING` characters drops the
  station's connection (no close frame), or gets an InternalError from the CSMS — although the
  schema allows much longer strings (``vendorId`` 255, ``customData`` anything);
* ``accepts-invalid-payload`` / ``csms-accepts-invalid-payload``: no schema validation of inbound
  CALLs, so a payload that breaks its schema is handled as if it were valid (a CALLRESULT, or an
  InternalError when a handler trips over it) instead of getting a validation CALLERROR.

Both SUTs call :func:`install` on every new connection and :func:`trips` on every inbound CALL.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.frames import Call, Frame
from harness.transport.link import Link

#: Longest string the ``*-long-string`` faults cope with.
LONG_STRING = 64


def longest_string(value: Any) -> int:
    """The length of the longest string anywhere in ``value`` (keys included)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((max(len(k), longest_string(v)) for k, v in value.items()), default=0)
    if isinstance(value, list):
        return max((longest_string(v) for v in value), default=0)
    return 0


def install(link: Link, faults: frozenset[str], *, csms: bool) -> None:
    """Switch off inbound payload validation on ``link`` under ``[csms-]accepts-invalid-payload``."""
    if ("csms-accepts-invalid-payload" if csms else "accepts-invalid-payload") in faults:
        link.session.validate = False


def trips(faults: frozenset[str], frame: Frame | None, *, csms: bool) -> bool:
    """True when ``frame`` is a CALL the ``*-long-string`` fault of this SUT cannot handle."""
    name = "csms-fails-on-long-string" if csms else "drops-on-long-string"
    return (
        name in faults and isinstance(frame, Call) and longest_string(frame.payload) > LONG_STRING
    )
