"""RPC-framework faults of both reference SUTs: how a faulty OCPP-J stack reacts to bad input.

The healthy reference SUTs answer malformed and unexpected frames exactly as the OCPP-J core says
(:mod:`harness.ocppj.session`). A seeded fault bends that verdict, one rule per fault: the reference
station's faults are named ``rpc-<rule>``, the reference CSMS's ``csms-rpc-<rule>``, and both SUTs
call :func:`install` on every new connection, which swaps the link's session for a
:class:`FaultySession` when any of them is active. :func:`crashed` tells a SUT whether the way a
connection ended should take it down for good, and :func:`call_timeout` how long it waits for the
answer to its own CALLs.

The rules (``<rule>`` part of the names):

* ``closes-on-invalid-json``: closes the connection (1002) instead of answering text that is not JSON;
* ``closes-on-unknown-message-type``: closes the connection on an unknown MessageTypeId;
* ``wrong-error-code``: GenericError for frames it cannot parse, NotSupported for unknown actions,
  NotImplemented for known but unsupported ones, FormatViolation for every schema violation;
* ``silent-on-malformed``: no CALLERROR at all for a CALL it rejects;
* ``wrong-id-in-error``: its CALLERRORs carry a fresh unique id, not the CALL's (nor ``-1``);
* ``closes-on-duplicate-id``: closes the connection when a CALL reuses a unique id;
* ``errors-unknown-result``: answers a CALLRESULT for an id it never sent with a CALLERROR;
* ``drops-concurrent-call``: never answers a CALL that arrives while another is unanswered;
* ``drops-on-binary``: drops the TCP connection (no close frame) on a binary message;
* ``crashes-on-invalid-utf8`` / ``crashes-on-oversized``: once it has failed a connection over
  text that is not UTF-8 (1007) / a message above 1 MiB (1009) it stops: the station never
  reconnects, the CSMS accepts no connection;
* ``rejects-late-response``: gives up on its CALL after :data:`IMPATIENT_S` and sends the next one;
* ``answers-send`` (2.1): answers a SEND with a CALLRESULT;
* ``no-callresulterror`` (2.1): answers an invalid CALLRESULT with a CALLERROR, not a CALLRESULTERROR;
* ``answers-callresulterror`` (2.1): answers a CALLRESULTERROR (never answered) with a CALLERROR.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Callable
from typing import Any

from harness.ocppj.errors import ErrorKind, error_code, kind_of
from harness.ocppj.frames import Call, CallError, CallResult, CallResultError, Send
from harness.ocppj.session import Received, RpcSession
from harness.transport.link import Link

log = logging.getLogger(__name__)

#: How long a SUT with ``rejects-late-response`` waits for the answer to its CALL.
IMPATIENT_S = 0.3
#: The close code (RFC 6455 §7.4.1) after which a SUT with each crash rule stops.
CRASH_CODES = {"crashes-on-invalid-utf8": 1007, "crashes-on-oversized": 1009}
_SCHEMA_KINDS = frozenset(
    {
        ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
        ErrorKind.TYPE_CONSTRAINT_VIOLATION,
        ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,
    }
)
_UNPARSED_KINDS = frozenset({ErrorKind.RPC_FRAMEWORK_ERROR, ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED})

#: Closes the connection: a close code, or None to drop it without a close frame.
Closer = Callable[[int | None, str], None]


def rules(faults: frozenset[str]) -> frozenset[str]:
    """The RPC rules ``faults`` break, without the SUT prefix (``csms-rpc-x``, ``rpc-x`` -> ``x``)."""
    return frozenset(
        name.removeprefix("csms-").removeprefix("rpc-")
        for name in faults
        if name.startswith(("rpc-", "csms-rpc-"))
    )


def _not_json(raw: str | bytes) -> bool:
    if isinstance(raw, bytes):
        return False
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return True
    return False


def _wrong_kind(kind: ErrorKind) -> ErrorKind:
    if kind is ErrorKind.NOT_IMPLEMENTED:
        return ErrorKind.NOT_SUPPORTED
    if kind is ErrorKind.NOT_SUPPORTED:
        return ErrorKind.NOT_IMPLEMENTED
    if kind in _SCHEMA_KINDS:
        return ErrorKind.FORMAT_VIOLATION
    return kind


class FaultySession(RpcSession):
    """An :class:`RpcSession` whose verdicts on inbound frames break the given ``rules``."""

    def __init__(self, version: str, broken: frozenset[str], close: Closer) -> None:
        super().__init__(version)
        self.broken = broken
        self._close = close
        self._seen: set[str] = set()

    def receive(self, raw: str | bytes) -> Received:
        had_open = bool(self.open_inbound)
        event = super().receive(raw)
        broken, frame = self.broken, event.frame
        if "drops-on-binary" in broken and isinstance(raw, bytes):
            return self._closing(event, None, "binary message")
        if "closes-on-invalid-json" in broken and _not_json(raw):
            return self._closing(event, 1002, "invalid JSON")
        if (
            "closes-on-unknown-message-type" in broken
            and event.kind is ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED
        ):
            return self._closing(event, 1002, "unknown message type")
        if isinstance(frame, Call):
            if "closes-on-duplicate-id" in broken and frame.unique_id in self._seen:
                return self._closing(event, 1002, "duplicate unique id")
            self._seen.add(frame.unique_id)
            if "drops-concurrent-call" in broken and had_open and event.reply is None:
                self._inbound.pop(frame.unique_id, None)  # left unanswered for good
                return Received(raw, None, problem="a second open CALL, dropped (seeded fault)")
        unknown_result = isinstance(frame, CallResult) and event.request is None
        if unknown_result and frame is not None and "errors-unknown-result" in broken:
            code = error_code(ErrorKind.PROTOCOL_ERROR, self.version)
            reply = CallError(frame.unique_id, code, "no CALL with this unique id is open")
            return dataclasses.replace(event, reply=reply)
        if isinstance(frame, Send) and "answers-send" in broken:
            return dataclasses.replace(event, reply=CallResult(frame.unique_id, {}))
        if isinstance(frame, CallResultError) and "answers-callresulterror" in broken:
            code = error_code(ErrorKind.PROTOCOL_ERROR, self.version)
            reply = CallError(frame.unique_id, code, "unexpected CALLRESULTERROR")
            return dataclasses.replace(event, reply=reply)
        return dataclasses.replace(event, reply=self._bent(event))

    def _bent(self, event: Received) -> CallError | CallResultError | None:
        reply = event.reply
        if isinstance(reply, CallResultError) and "no-callresulterror" in self.broken:
            return CallError(reply.unique_id, reply.code, reply.description, reply.details)
        if not isinstance(reply, CallError):
            return reply if isinstance(reply, CallResultError) else None
        if "silent-on-malformed" in self.broken:
            return None
        if "wrong-error-code" in self.broken and event.kind in _UNPARSED_KINDS:
            reply = dataclasses.replace(
                reply, code=error_code(ErrorKind.GENERIC_ERROR, self.version)
            )
        if "wrong-id-in-error" in self.broken:
            reply = dataclasses.replace(reply, unique_id=self.new_id())
        return reply

    def error(
        self,
        unique_id: str,
        code: ErrorKind | str,
        description: str = "",
        details: dict[str, Any] | None = None,
    ) -> CallError:
        if "wrong-error-code" in self.broken:
            kind = code if isinstance(code, ErrorKind) else kind_of(code)
            if kind is not None:
                code = _wrong_kind(kind)
        return super().error(unique_id, code, description, details)

    def _closing(self, event: Received, code: int | None, why: str) -> Received:
        self._close(code, f"{why} (seeded fault)")
        return dataclasses.replace(event, reply=None)


def install(link: Link, faults: frozenset[str]) -> None:
    """Give ``link`` a :class:`FaultySession` when ``faults`` break any RPC rule (before it runs)."""
    broken = rules(faults)
    if not broken:
        return
    tasks: set[asyncio.Task[None]] = set()

    def close(code: int | None, reason: str) -> None:
        log.info("reference SUT closes %s: %s", link.identity, reason)
        if code is None:
            link.abort()
            return
        task = asyncio.ensure_future(link.close(code, reason))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    link.session = FaultySession(link.version, broken, close)


def crashed(link: Link, faults: frozenset[str]) -> bool:
    """Whether the way ``link`` ended takes the SUT down (the ``crashes-on-*`` rules)."""
    sent = link.ws.protocol.close_sent
    if sent is None:
        return False
    return any(CRASH_CODES.get(rule) == sent.code for rule in rules(faults))


def call_timeout(faults: frozenset[str], normal_s: float) -> float:
    """How long the SUT waits for the answer to its own CALL (shorter under a seeded fault)."""
    return IMPATIENT_S if "rejects-late-response" in rules(faults) else normal_s
