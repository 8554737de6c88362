"""Sans-IO OCPP-J session: frames in, events out; no sockets, no clocks.

One :class:`RpcSession` is one side of one WebSocket connection. It correlates responses with
requests by unique id (OCPP-J 1.6 §4.1.1, Part 4 §4.1.3), enforces one open CALL per direction
(a side SHOULD NOT, OCPP-J 1.6 §4.1.1, and SHALL NOT, 2.x Part 4 §4.1.1, send a CALL while one
of its CALLs is unanswered; the harness peers grade an inbound one accordingly), validates
payloads against the official schemas, and says which CALLERROR (or 2.1 CALLRESULTERROR) the
receiver owes for a bad frame. Blame is encoded in the types: a :class:`LocalProtocolError` is
raised for something *we* tried to send wrongly; the remote side's mistakes come back as a
:class:`Received` event with ``problem`` set, never as an exception.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

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
)
from harness.ocppj.schemas import Direction, check, known_actions


class LocalProtocolError(Exception):
    """We were about to break OCPP-J (a bug in a test script or in a reference SUT)."""


@dataclass(frozen=True, slots=True)
class Received:
    """What one inbound WebSocket message turned out to be.

    ``frame`` is None when the text could not be parsed. ``request`` is the CALL a response
    answers (None if its id is unknown). ``problem`` says what the remote side did wrong (None
    when the frame conforms) and ``kind`` classifies it; ``reply`` is the frame the receiver must
    send back because of it (a CALLERROR, or a 2.1 CALLRESULTERROR), if any.
    """

    raw: str | bytes
    frame: Frame | None
    request: Call | None = None
    problem: str | None = None
    kind: ErrorKind | None = None
    reply: Frame | None = None
    #: A deviation the peer grades itself (a second CALL while an earlier one is unanswered:
    #: OCPP-J 1.6 §4.1.1 SHOULD NOT, 2.x Part 4 §4.1.1 SHALL NOT).
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(slots=True)
class RpcSession:
    """State of one side of an OCPP-J connection for ``version`` ("1.6", "2.0.1" or "2.1")."""

    version: str
    validate: bool = True
    _outbound: dict[str, Call] = field(default_factory=dict)
    _inbound: dict[str, Call] = field(default_factory=dict)
    _prefix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- outbound -------------------------------------------------------------------------
    def new_id(self) -> str:
        """A fresh unique id (at most 36 characters, Part 4 §4.1.3)."""
        return f"{self._prefix}-{next(self._counter)}"

    def call(
        self,
        action: str,
        payload: dict[str, Any],
        *,
        unique_id: str | None = None,
        validate: bool | None = None,
        concurrent: bool = False,
    ) -> Call:
        """Open a CALL; a second open CALL only with ``concurrent`` (a deliberate violation)."""
        if self._outbound and not concurrent:
            pending = next(iter(self._outbound.values()))
            raise LocalProtocolError(
                f"cannot send {action}: {pending.action} ({pending.unique_id}) is still unanswered"
            )
        if validate if validate is not None else self.validate:
            self._check_outbound(action, Direction.REQUEST, payload)
        frame = Call(unique_id or self.new_id(), action, payload)
        self._outbound[frame.unique_id] = frame
        return frame

    def send(self, action: str, payload: dict[str, Any], *, validate: bool | None = None) -> Send:
        """A 2.1 SEND (unconfirmed message); nothing is left open."""
        if self.version != "2.1":
            raise LocalProtocolError(f"SEND does not exist in OCPP {self.version}")
        if validate if validate is not None else self.validate:
            self._check_outbound(action, Direction.REQUEST, payload)
        return Send(self.new_id(), action, payload)

    def result(
        self, unique_id: str, payload: dict[str, Any], *, validate: bool | None = None
    ) -> CallResult:
        """Answer the open inbound CALL ``unique_id``."""
        request = self._inbound.pop(unique_id, None)
        if request is not None and (validate if validate is not None else self.validate):
            try:
                self._check_outbound(request.action, Direction.RESPONSE, payload)
            except LocalProtocolError:
                self._inbound[unique_id] = request
                raise
        return CallResult(unique_id, payload)

    def error(
        self,
        unique_id: str,
        code: ErrorKind | str,
        description: str = "",
        details: dict[str, Any] | None = None,
    ) -> CallError:
        """Answer the inbound CALL ``unique_id`` with a CALLERROR in this version's spelling."""
        self._inbound.pop(unique_id, None)
        wire = error_code(code, self.version) if isinstance(code, ErrorKind) else code
        return CallError(unique_id, wire, description, details or {})

    def forget(self, unique_id: str) -> Call | None:
        """Give up on an outbound CALL (its response timed out); a late answer is then unknown."""
        return self._outbound.pop(unique_id, None)

    @property
    def open_outbound(self) -> tuple[Call, ...]:
        return tuple(self._outbound.values())

    @property
    def open_inbound(self) -> tuple[Call, ...]:
        return tuple(self._inbound.values())

    def _check_outbound(self, action: str, direction: Direction, payload: dict[str, Any]) -> None:
        violation = check(self.version, action, direction, payload)
        if violation is not None:
            raise LocalProtocolError(
                f"{action} {direction.value} is not schema-valid: {violation.message}"
            )

    # -- inbound --------------------------------------------------------------------------
    def receive(self, raw: str | bytes) -> Received:
        """Classify one inbound message and update the correlation state."""
        try:
            frame = parse_frame(raw, self.version)
        except FrameError as exc:
            return self._reject_unparsed(raw, exc)
        if isinstance(frame, Call):
            return self._receive_call(raw, frame)
        if isinstance(frame, Send):
            return self._receive_send(raw, frame)
        if isinstance(frame, CallResult):
            return self._receive_result(raw, frame)
        return self._receive_error(raw, frame)

    def _reject_unparsed(self, raw: str | bytes, exc: FrameError) -> Received:
        if exc.kind is ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED:
            # OCPP-J 1.6 §4.1.3 and 2.1 Part 4 §4.1.3: a message with an unknown MessageTypeId is
            # ignored (2.1 dropped MessageTypeNotSupported); 2.0.1 still answers with that code.
            answers_call = self.version == "2.0.1"
        else:
            answers_call = exc.message_type in (None, MessageType.CALL)
        reply: Frame | None = None
        request: Call | None = None
        if answers_call:
            reply = CallError(exc.unique_id, error_code(exc.kind, self.version), exc.reason, {})
        elif exc.message_type in (MessageType.CALLRESULT, MessageType.CALLERROR):
            # a malformed answer still answers (and closes) the CALL it names
            request = self._outbound.pop(exc.unique_id, None)
        return Received(raw, None, request, problem=exc.reason, kind=exc.kind, reply=reply)

    def _receive_call(self, raw: str | bytes, call: Call) -> Received:
        problem: str | None = None
        warning: str | None = None
        if call.unique_id in self._inbound:
            problem = (
                f"duplicate unique id {call.unique_id!r}: a CALL with that id is still unanswered"
            )
        elif self._inbound:
            warning = (
                f"a second CALL ({call.action}) arrived while an earlier one "
                f"({', '.join(c.action for c in self._inbound.values())}) was still unanswered"
            )
        self._inbound[call.unique_id] = call
        if call.action not in known_actions(self.version):
            return self._refuse(
                raw, call, ErrorKind.NOT_IMPLEMENTED, f"unknown action {call.action!r}"
            )
        if self.validate:
            violation = check(self.version, call.action, Direction.REQUEST, call.payload)
            if violation is not None:
                return self._refuse(raw, call, violation.kind, violation.message)
        return Received(
            raw,
            call,
            problem=problem,
            kind=ErrorKind.PROTOCOL_ERROR if problem else None,
            warning=warning,
        )

    def _refuse(self, raw: str | bytes, call: Call, kind: ErrorKind, reason: str) -> Received:
        reply = self.error(call.unique_id, kind, reason)
        return Received(raw, call, problem=reason, kind=kind, reply=reply)

    def _receive_send(self, raw: str | bytes, send: Send) -> Received:
        if send.action not in known_actions(self.version):
            return Received(
                raw, send, problem=f"unknown action {send.action!r}", kind=ErrorKind.NOT_IMPLEMENTED
            )
        violation = (
            check(self.version, send.action, Direction.REQUEST, send.payload)
            if self.validate
            else None
        )
        if violation is not None:
            return Received(raw, send, problem=violation.message, kind=violation.kind)
        return Received(raw, send)

    def _receive_result(self, raw: str | bytes, result: CallResult) -> Received:
        request = self._outbound.pop(result.unique_id, None)
        if request is None:
            return Received(
                raw,
                result,
                problem=f"CALLRESULT for unknown unique id {result.unique_id!r}",
                kind=ErrorKind.PROTOCOL_ERROR,
            )
        violation = (
            check(self.version, request.action, Direction.RESPONSE, result.payload)
            if self.validate
            else None
        )
        if violation is None:
            return Received(raw, result, request)
        reply: Frame | None = None
        if self.version == "2.1":
            code = error_code(violation.kind, self.version)
            reply = CallResultError(result.unique_id, code, violation.message, {})
        return Received(raw, result, request, violation.message, violation.kind, reply)

    def _receive_error(self, raw: str | bytes, error: CallError | CallResultError) -> Received:
        if isinstance(error, CallResultError):
            return Received(raw, error)
        request = self._outbound.pop(error.unique_id, None)
        problem: str | None = None
        if request is None:
            problem = f"CALLERROR for unknown unique id {error.unique_id!r}"
        elif error.code not in valid_codes(self.version):
            problem = f"error code {error.code!r} is not defined in OCPP {self.version}"
        return Received(raw, error, request, problem, ErrorKind.PROTOCOL_ERROR if problem else None)
