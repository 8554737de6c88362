"""OCPP-J RPC error codes, per protocol version.

OCPP-J 1.6 §4.2.3 and OCPP 2.0.1/2.1 Part 4 §4.3 define the CALLERROR codes. The 1.6 table spells
two codes differently from 2.x (``FormationViolation``, ``OccurenceConstraintViolation``) and lacks
``RpcFrameworkError`` and ``MessageTypeNotSupported``; :func:`error_code` maps a semantic
:class:`ErrorKind` to the spelling the version's peers expect on the wire.

Unlike the ``ocpp`` library, ``NOT_IMPLEMENTED`` means *the action is not known to the receiver* and
``NOT_SUPPORTED`` means *known but not supported*, exactly as the spec tables say.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """Version-independent meaning of a CALLERROR code."""

    NOT_IMPLEMENTED = "NotImplemented"
    NOT_SUPPORTED = "NotSupported"
    INTERNAL_ERROR = "InternalError"
    PROTOCOL_ERROR = "ProtocolError"
    SECURITY_ERROR = "SecurityError"
    FORMAT_VIOLATION = "FormatViolation"
    PROPERTY_CONSTRAINT_VIOLATION = "PropertyConstraintViolation"
    OCCURRENCE_CONSTRAINT_VIOLATION = "OccurrenceConstraintViolation"
    TYPE_CONSTRAINT_VIOLATION = "TypeConstraintViolation"
    GENERIC_ERROR = "GenericError"
    RPC_FRAMEWORK_ERROR = "RpcFrameworkError"
    MESSAGE_TYPE_NOT_SUPPORTED = "MessageTypeNotSupported"


_V16_SPELLING: dict[ErrorKind, str] = {
    ErrorKind.FORMAT_VIOLATION: "FormationViolation",
    ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurenceConstraintViolation",
    # 1.6 has no RPC-framework codes: the nearest 1.6 meaning is a malformed PDU.
    ErrorKind.RPC_FRAMEWORK_ERROR: "FormationViolation",
    ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED: "NotImplemented",
}

V16_CODES: frozenset[str] = frozenset(
    _V16_SPELLING.get(kind, kind.value)
    for kind in ErrorKind
    if kind not in (ErrorKind.RPC_FRAMEWORK_ERROR, ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED)
)
V2_CODES: frozenset[str] = frozenset(kind.value for kind in ErrorKind)


def error_code(kind: ErrorKind, version: str) -> str:
    """The wire spelling of ``kind`` for OCPP ``version`` ("1.6", "2.0.1" or "2.1")."""
    if version == "1.6":
        return _V16_SPELLING.get(kind, kind.value)
    return kind.value


def valid_codes(version: str) -> frozenset[str]:
    """Every error code a CALLERROR may carry in ``version``."""
    return V16_CODES if version == "1.6" else V2_CODES


def kind_of(code: str) -> ErrorKind | None:
    """The semantic kind of a wire code of any version, or None for an unknown code."""
    for kind in ErrorKind:  # declaration order: 1.6 spellings resolve to their own kind first
        if code in (kind.value, _V16_SPELLING.get(kind)):
            return kind
    return None
