"""OCPP-J frames: parse and serialise the RPC envelope of OCPP 1.6J, 2.0.1 and 2.1.

OCPP-J 1.6 §4 and OCPP 2.0.1/2.1 Part 4 §4 define the frames ``[2, id, action, payload]`` (CALL),
``[3, id, payload]`` (CALLRESULT) and ``[4, id, code, description, details]`` (CALLERROR). OCPP 2.1
adds ``[5, id, code, description, details]`` (CALLRESULTERROR, the answer to an invalid CALLRESULT)
and ``[6, id, action, payload]`` (SEND, an unconfirmed message).

:func:`parse_frame` never raises anything but :class:`FrameError`, which carries the CALLERROR the
receiver should answer with, so a garbage frame from a SUT is evidence, not a harness crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import orjson

from harness.ocppj.errors import ErrorKind

#: Part 4 §4.1.3: the message id is a string of at most 36 characters.
MAX_UNIQUE_ID_LENGTH = 36
#: The id a CALLERROR carries when the offending frame's id could not be read (Part 4 §4.3).
UNREADABLE_ID = "-1"


class MessageType(IntEnum):
    """The MessageTypeId, the first element of every OCPP-J frame."""

    CALL = 2
    CALLRESULT = 3
    CALLERROR = 4
    CALLRESULTERROR = 5
    SEND = 6


_ALL_TYPES: frozenset[MessageType] = frozenset(MessageType)
_BASE_TYPES: frozenset[MessageType] = frozenset(
    {MessageType.CALL, MessageType.CALLRESULT, MessageType.CALLERROR}
)
#: MessageTypeId value -> member, without the cost of an ``Enum`` call per frame.
_BY_VALUE: dict[int, MessageType] = {int(member): member for member in MessageType}


def message_types(version: str) -> frozenset[MessageType]:
    """MessageTypeIds defined for ``version``: 2-4 for 1.6 and 2.0.1, 2-6 for 2.1."""
    return _ALL_TYPES if version == "2.1" else _BASE_TYPES


@dataclass(frozen=True, slots=True)
class Call:
    """A request: ``[2, unique_id, action, payload]``."""

    unique_id: str
    action: str
    payload: dict[str, Any]
    message_type: MessageType = field(default=MessageType.CALL, init=False)


@dataclass(frozen=True, slots=True)
class Send:
    """An unconfirmed 2.1 message: ``[6, unique_id, action, payload]`` (never answered)."""

    unique_id: str
    action: str
    payload: dict[str, Any]
    message_type: MessageType = field(default=MessageType.SEND, init=False)


@dataclass(frozen=True, slots=True)
class CallResult:
    """A successful response: ``[3, unique_id, payload]``."""

    unique_id: str
    payload: dict[str, Any]
    message_type: MessageType = field(default=MessageType.CALLRESULT, init=False)


@dataclass(frozen=True, slots=True)
class CallError:
    """An error response: ``[4, unique_id, code, description, details]``."""

    unique_id: str
    code: str
    description: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    message_type: MessageType = field(default=MessageType.CALLERROR, init=False)


@dataclass(frozen=True, slots=True)
class CallResultError:
    """2.1: the answer to an invalid CALLRESULT: ``[5, unique_id, code, description, details]``."""

    unique_id: str
    code: str
    description: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    message_type: MessageType = field(default=MessageType.CALLRESULTERROR, init=False)


Frame = Call | Send | CallResult | CallError | CallResultError


class FrameError(Exception):
    """A frame that is not valid OCPP-J; ``kind`` is the CALLERROR it deserves.

    ``unique_id`` is the frame's id when it could be read, else :data:`UNREADABLE_ID`;
    ``message_type`` is the frame's MessageTypeId when it could be read.
    """

    def __init__(
        self,
        kind: ErrorKind,
        reason: str,
        *,
        unique_id: str = UNREADABLE_ID,
        message_type: int | None = None,
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.unique_id = unique_id
        self.message_type = message_type


#: Bytes as digits ("0") or not (" "): a run of 19 digits marks an integer orjson may not hold.
_DIGITS = bytes.maketrans(bytes(range(256)), bytes(48 if 48 <= b <= 57 else 32 for b in range(256)))
_LONG_NUMBER = b"0" * 19


def loads(text: str) -> Any:
    """Parse JSON text exactly as the standard library's ``json.loads`` does, faster.

    orjson parses a frame in about half the time, but differs on a few inputs, which therefore go
    to the standard library (so the frame is read, or rejected with its message, as before):
    NaN, Infinity and numbers beyond the double range (orjson rejects them; the stdlib reads
    them as floats), lone surrogates in strings (rejected; the stdlib keeps them), nesting deeper
    than orjson's limit (the stdlib's own limit then rejects it), and integers outside 64 bits,
    which orjson silently turns into floats: any text with a run of 19 or more digits is read by
    the stdlib. Duplicate keys: both keep the last value.
    """
    try:
        encoded = text.encode()
    except UnicodeEncodeError:  # a lone surrogate in the text itself
        return json.loads(text)
    if _LONG_NUMBER in encoded.translate(_DIGITS):
        return json.loads(text)
    try:
        return orjson.loads(encoded)
    except orjson.JSONDecodeError:
        return json.loads(text)


def parse_frame(raw: str | bytes, version: str) -> Frame:
    """Parse one WebSocket message into a frame, or raise :class:`FrameError`.

    The payload's schema is not checked here (see :mod:`harness.ocppj.schemas`).
    """
    if isinstance(raw, bytes):
        raise FrameError(
            ErrorKind.RPC_FRAMEWORK_ERROR, "binary WebSocket frame: OCPP-J is text only"
        )
    try:
        data = loads(raw)
    except (ValueError, RecursionError) as exc:
        raise FrameError(ErrorKind.RPC_FRAMEWORK_ERROR, f"not valid JSON: {exc}") from None
    if not isinstance(data, list) or not data:
        raise FrameError(ErrorKind.RPC_FRAMEWORK_ERROR, "a frame must be a non-empty JSON array")
    type_id = data[0]
    if not isinstance(type_id, int) or isinstance(type_id, bool):
        raise FrameError(
            ErrorKind.RPC_FRAMEWORK_ERROR, f"MessageTypeId {type_id!r} is not an integer"
        )
    unique_id = _read_unique_id(data)
    if type_id not in message_types(version):
        raise FrameError(
            ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED,
            f"MessageTypeId {type_id} is not defined in OCPP {version}",
            unique_id=unique_id or UNREADABLE_ID,
            message_type=type_id,
        )
    mtype = _BY_VALUE[type_id]
    if unique_id is None:
        raise FrameError(
            ErrorKind.RPC_FRAMEWORK_ERROR,
            f"MessageId {data[1] if len(data) > 1 else '(missing)'!r} is not a string of 1 to "
            f"{MAX_UNIQUE_ID_LENGTH} characters",
            message_type=type_id,
        )
    return _build(mtype, unique_id, data)


def _read_unique_id(data: list[Any]) -> str | None:
    if len(data) < 2:
        return None
    uid = data[1]
    if isinstance(uid, str) and 0 < len(uid) <= MAX_UNIQUE_ID_LENGTH:
        return uid
    return None


_LENGTHS = {
    MessageType.CALL: 4,
    MessageType.SEND: 4,
    MessageType.CALLRESULT: 3,
    MessageType.CALLERROR: 5,
    MessageType.CALLRESULTERROR: 5,
}


def _build(mtype: MessageType, uid: str, data: list[Any]) -> Frame:
    expected = _LENGTHS[mtype]
    if len(data) != expected:
        raise FrameError(
            ErrorKind.RPC_FRAMEWORK_ERROR,
            f"{mtype.name} must have {expected} elements, got {len(data)}",
            unique_id=uid,
            message_type=mtype,
        )
    if mtype in (MessageType.CALL, MessageType.SEND):
        action, payload = data[2], data[3]
        if not isinstance(action, str) or not action:
            raise FrameError(
                ErrorKind.RPC_FRAMEWORK_ERROR,
                f"Action {action!r} is not a non-empty string",
                unique_id=uid,
                message_type=mtype,
            )
        _require_object(payload, "payload", uid, mtype)
        return (
            Call(uid, action, payload) if mtype is MessageType.CALL else Send(uid, action, payload)
        )
    if mtype is MessageType.CALLRESULT:
        _require_object(data[2], "payload", uid, mtype)
        return CallResult(uid, data[2])
    code, description, details = data[2], data[3], data[4]
    if not isinstance(code, str) or not isinstance(description, str):
        raise FrameError(
            ErrorKind.RPC_FRAMEWORK_ERROR,
            "ErrorCode and ErrorDescription must be strings",
            unique_id=uid,
            message_type=mtype,
        )
    _require_object(details, "ErrorDetails", uid, mtype)
    if mtype is MessageType.CALLERROR:
        return CallError(uid, code, description, details)
    return CallResultError(uid, code, description, details)


def _require_object(value: Any, what: str, uid: str, mtype: MessageType) -> None:
    if not isinstance(value, dict):
        raise FrameError(
            ErrorKind.FORMAT_VIOLATION,
            f"{what} must be a JSON object, got {type(value).__name__}",
            unique_id=uid,
            message_type=mtype,
        )


def to_list(frame: Frame) -> list[Any]:
    """The JSON array of ``frame``."""
    if isinstance(frame, (Call, Send)):
        return [int(frame.message_type), frame.unique_id, frame.action, frame.payload]
    if isinstance(frame, CallResult):
        return [int(frame.message_type), frame.unique_id, frame.payload]
    return [int(frame.message_type), frame.unique_id, frame.code, frame.description, frame.details]


#: The reference encoder (``json.dumps`` with arguments builds a new encoder per call). The
#: circular-reference check walks every container of the payload and costs as much as the encoding
#: itself, so it is off; a circular payload still fails in :func:`serialize`, as ``ValueError``.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
#: What the stdlib encoder refuses, orjson must refuse too (it would encode them natively).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(value: Any) -> str:
    """Compact JSON text of ``value``, as the stdlib encoder writes it (UTF-8 kept, not escaped).

    orjson encodes in a tenth of the time; whatever it refuses (integers outside 64 bits, lone
    surrogates, keys that are not strings, circular or very deep payloads, types the stdlib does
    not encode either) and whatever it would write differently (NaN and infinities, which it
    writes as ``null``: any output holding ``null`` is written again) goes to the stdlib encoder.
    Floats may be spelled differently (``1e-07`` vs ``1e-7``): the same number either way.
    """
    try:
        encoded = orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:
        pass
    else:
        if b"null" not in encoded:
            return encoded.decode()
    try:
        return _ENCODER.encode(value)
    except RecursionError:
        raise ValueError(
            "Circular reference detected (or the payload nests too deeply to serialise)"
        ) from None


def serialize(frame: Frame) -> str:
    """The compact JSON text of ``frame`` (UTF-8 characters kept, not escaped)."""
    return dumps(to_list(frame))
