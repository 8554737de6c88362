"""Sans-IO OCPP-J core: frames, error codes, schema validation and the RPC session state."""

from harness.ocppj.errors import ErrorKind, error_code, valid_codes
from harness.ocppj.frames import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    Frame,
    FrameError,
    MessageType,
    Send,
    parse_frame,
    serialize,
)
from harness.ocppj.schemas import Direction, SchemaViolation, check, known_actions
from harness.ocppj.session import LocalProtocolError, Received, RpcSession

__all__ = [
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Direction",
    "ErrorKind",
    "Frame",
    "FrameError",
    "LocalProtocolError",
    "MessageType",
    "Received",
    "RpcSession",
    "SchemaViolation",
    "Send",
    "check",
    "error_code",
    "known_actions",
    "parse_frame",
    "serialize",
    "valid_codes",
]
