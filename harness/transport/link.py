"""One OCPP-J connection: a receive loop over :class:`~harness.ocppj.session.RpcSession`.

The link records every frame in its current :class:`~harness.trace.Trace`, answers malformed
inbound frames with the CALLERROR the core says they deserve (unless told to stay silent, which the
reference SUTs' faults use), resolves outbound CALLs by unique id and hands every other event to
``on_receive``. Every wait is bounded: :meth:`Link.call` raises :class:`ResponseTimeout` after its
timeout and :class:`LinkClosed` as soon as the connection drops, never after the full timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosed, PayloadTooBig
from websockets.protocol import State

from harness.ocppj.frames import Call, CallError, CallResult, Frame, serialize
from harness.ocppj.session import Received, RpcSession
from harness.trace import Flow, Trace
from harness.transport.direct import (
    can_write_now,
    take_answers_at_once,
    write_text,
    write_text_now,
)
from harness.transport.too_big import too_big_message

Receiver = Callable[["Link", Received], None]
#: Default bound on one send (see :attr:`Link.send_timeout_s`).
SEND_TIMEOUT_S = 10.0


class LinkClosed(Exception):
    """The connection closed while we waited for something on it."""


class ResponseTimeout(Exception):
    """No response to a CALL within its timeout."""


class StrayAnswer(Exception):
    """A CALLRESULT/CALLERROR under another unique id arrived while a CALL was open: the peer
    answered with the wrong id (reported at once, not as "no answer" after the timeout)."""


def _answer_shaped(raw: str | bytes) -> bool:
    """Whether unparseable text still reads as a CALLRESULT/CALLERROR (a JSON array whose first
    element is 3 or 4)."""
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        return False
    return isinstance(data, list) and bool(data) and data[0] in (3, 4) and data[0] is not True


def _expire(waiter: asyncio.Future[Received], action: str, timeout: float) -> None:
    if not waiter.done():
        waiter.set_exception(ResponseTimeout(f"no response to {action} within {timeout:g} s"))


class Link:
    """An OCPP-J connection with its session state, trace and fault switches."""

    def __init__(
        self,
        ws: Connection,
        version: str,
        *,
        identity: str,
        trace: Trace | None = None,
        on_receive: Receiver | None = None,
        offered: tuple[str, ...] = (),
    ) -> None:
        self.ws = ws
        self.version = version
        self.identity = identity
        self.offered_subprotocols = offered
        self.session = RpcSession(version)
        self.trace = trace if trace is not None else Trace(identity)
        self.on_receive = on_receive
        self.closed = asyncio.Event()
        self.close_reason = ""
        #: Fault switches (DESIGN §3 transport): delay every outbound frame; answer nothing
        #: automatically (a SUT that ignores malformed frames).
        self.send_delay_s = 0.0
        self.auto_reply_errors = True
        #: A send waits for the socket's write buffer to drain; a peer that stops reading must
        #: not stall the harness, so a send that may wait (:meth:`_may_block`) gives up (and
        #: drops the link) after this long.
        self.send_timeout_s = SEND_TIMEOUT_S
        #: Exceptions raised while handling received frames (harness bugs; reported as ERROR).
        self.handler_errors: list[str] = []
        #: Sees every received event right after it is recorded, whether or not it resolves a
        #: waiting CALL (the harness peers run the stricter-than-schema checks here).
        self.on_inspect: Receiver | None = None
        #: Decides whether a response under an unknown unique id fails the open CALLs at once
        #: (the harness peers say yes unless the id is one of a deliberately raw frame).
        self.on_stray: Callable[[Link, Received], bool] | None = None
        #: Awaited in the receive loop after a frame was handed to ``on_receive`` and no other
        #: frame is waiting (the harness peers send their default replies here: frames that
        #: arrived together are all read first, as when each reply was a task of its own).
        self.after_receive: Callable[[Link], Awaitable[None]] | None = None
        #: Whether ``after_receive`` has anything to do (None: assume it has): an answer taken
        #: at once (:func:`~harness.transport.direct.take_answers_at_once`) then needs no pass of the receive loop.
        self.after_due: Callable[[], bool] | None = None
        #: Sends what ``after_receive`` would, right after frames taken at once (no pass of the
        #: receive loop), where it can without waiting; returns the rest for the receive loop to
        #: await before its next frame (None: nothing left). None: ``after_receive`` does it all.
        self.answer_now: Callable[[Link], Awaitable[None] | None] | None = None
        #: Told once the connection has closed (after :attr:`close_reason` is set).
        self.on_closed: Callable[[Link], None] | None = None
        #: Set when the peer sent a frame over ``max_size`` (the harness closed with 1009): what
        #: it was, in words (:func:`too_big_message`); it is also the close reason.
        self.too_big: str | None = None
        self._waiting: dict[str, asyncio.Future[Received]] = {}
        self._waiting_actions: dict[str, str] = {}
        #: The transport's write-buffer high-water mark, read at the first send.
        self._high_water: int | None = None
        #: A message parsed at once but left to the receive loop (it needs a reply), and the
        #: ``after_receive`` run that follows an answer taken at once.
        self._parsed: tuple[str, Received] | None = None
        self._after: asyncio.Future[None] | None = None
        #: Replies are due once the data read off the socket is handled (``answer_now``).
        self._answer_at_end = False
        #: An answer was taken at once from the data being handled (its CALLs go to the loop).
        self._answered_in_batch = False
        take_answers_at_once(self)

    @property
    def subprotocol(self) -> str | None:
        return self.ws.subprotocol

    # -- receiving ------------------------------------------------------------------------
    async def run(self) -> None:
        """Read frames until the connection closes; never raises for anything the peer sends."""
        ws = self.ws
        try:
            while True:  # ``ws.recv`` directly: one async-generator layer less per frame
                raw = await ws.recv()
                try:
                    if self._after is not None:  # a reply due after an answer taken at once
                        after, self._after = self._after, None
                        await after
                    await self._handle(raw)
                    if self.after_receive is not None and not self._more_buffered():
                        await self.after_receive(self)
                except (ConnectionClosed, LinkClosed):
                    raise
                except Exception as exc:  # a bug of ours must not silently end the connection
                    self._handler_error(exc)
        except (ConnectionClosed, LinkClosed):
            pass
        finally:
            self._mark_closed()

    def _handler_error(self, exc: Exception) -> None:
        self.handler_errors.append(f"{type(exc).__name__}: {exc}")
        self.trace.event(f"harness error while handling a frame: {type(exc).__name__}: {exc}")

    def _more_buffered(self) -> bool:
        """Whether more frames were read from the socket already (they arrived together)."""
        messages = getattr(self.ws, "recv_messages", None)
        frames = getattr(messages, "frames", None)
        return bool(frames is not None and len(frames))

    async def _handle(self, raw: str | bytes) -> None:
        parsed, self._parsed = self._parsed, None  # parsed already (direct.py)
        taken = parsed is not None and parsed[0] == raw
        event = parsed[1] if parsed is not None and taken else self.session.receive(raw)
        self._note(raw, event)
        if event.reply is not None and self.auto_reply_errors:
            with contextlib.suppress(LinkClosed):  # the loop ends at the next read anyway
                await self.send_frame(event.reply)
        self._route(raw, event)

    def _note(self, raw: str | bytes, event: Received) -> None:
        """Record a received frame and run the checks every frame gets."""
        action = event.request.action if event.request is not None else None
        self.trace.record(Flow.RECEIVED, raw, event.frame, action=action, problem=event.problem)
        if self.on_inspect is not None:
            self.on_inspect(self, event)

    def _route(self, raw: str | bytes, event: Received) -> None:
        """Resolve the CALL an answer belongs to; hand everything else to ``on_receive``."""
        if event.request is not None and (
            event.frame is None or isinstance(event.frame, (CallResult, CallError))
        ):
            waiter = self._waiting.pop(event.request.unique_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(event)
                return
        elif (
            event.request is None
            and isinstance(event.frame, (CallResult, CallError))
            and self._waiting
            and self.on_stray is not None
            and self.on_stray(self, event)
        ):
            self._fail_waiting(event.frame.unique_id)
        elif event.frame is None and self._waiting and _answer_shaped(raw):
            # A malformed CALLRESULT/CALLERROR whose unique id cannot be read still is the
            # answer to the open CALL: it resolves it at once (as malformed), not after the
            # timeout as "no answer".
            unique_id = next(iter(self._waiting))
            waiter = self._waiting.pop(unique_id)
            if not waiter.done():
                waiter.set_result(event)
        if self.on_receive is not None:
            self.on_receive(self, event)

    def _fail_waiting(self, stray_id: str) -> None:
        """Fail every open CALL: the answer came under ``stray_id`` instead of its own id."""
        for unique_id, waiter in list(self._waiting.items()):
            if not waiter.done():
                action = self._waiting_actions.get(unique_id, "CALL")
                waiter.set_exception(
                    StrayAnswer(
                        f"answered with unique id {stray_id!r} to {action} {unique_id!r} "
                        "(a response must carry the unique id of the CALL it answers)"
                    )
                )

    def _mark_closed(self) -> None:
        if self.closed.is_set():
            return
        # ``ws.close_code`` reads 1006 when no close frame arrived: ask the protocol what did.
        protocol = self.ws.protocol
        received = protocol.close_rcvd
        parser_exc = getattr(protocol, "parser_exc", None)
        if isinstance(parser_exc, PayloadTooBig):
            self.too_big = self.close_reason = too_big_message(parser_exc)
            self.trace.event(
                "harness closed the connection (code 1009, message too big)", problem=self.too_big
            )
        elif received is None:
            self.close_reason = "no close frame (connection lost)"
        else:
            self.close_reason = f"code {received.code}"
            if received.reason:
                self.close_reason += f", reason {received.reason!r}"
        self.trace.event(f"connection closed ({self.close_reason})")
        self.closed.set()
        for waiter in self._waiting.values():
            if not waiter.done():
                waiter.set_exception(LinkClosed(self.close_reason))
        self._waiting.clear()
        if self.on_closed is not None:
            self.on_closed(self)

    # -- sending --------------------------------------------------------------------------
    async def send_frame(self, frame: Frame, *, action: str | None = None) -> None:
        """Send one frame and record it."""
        await self.send_raw(serialize(frame), frame=frame, action=action)

    async def send_raw(
        self, raw: str | bytes, *, frame: Frame | None = None, action: str | None = None
    ) -> None:
        """Send text (or a binary frame) exactly as given; raises :class:`LinkClosed`.

        A whole message is written to the socket before ``ws.send`` first yields (it only waits
        for the write buffer to drain), so concurrent sends never interleave and go out in the
        order they were recorded: no lock is needed.
        """
        if self.send_delay_s:
            await asyncio.sleep(self.send_delay_s)
        self.trace.record(Flow.SENT, raw, frame, action=action)
        try:
            if self._may_block(raw):
                async with asyncio.timeout(self.send_timeout_s):
                    await self.ws.send(raw)
            elif isinstance(raw, str) and can_write_now(self.ws):
                await write_text(self.ws, raw)  # it cannot wait: no timer (it costs more)
            else:
                await self.ws.send(raw)
        except ConnectionClosed as exc:
            self._mark_closed()
            raise LinkClosed(self.close_reason) from exc
        except TimeoutError:
            self.trace.event(
                f"send blocked for {self.send_timeout_s:g} s: the peer stopped reading; "
                "connection dropped"
            )
            self.ws.transport.abort()
            self._mark_closed()
            raise LinkClosed(
                f"the peer stopped reading (send blocked {self.send_timeout_s:g} s)"
            ) from None

    def send_now(self, frame: Frame, *, action: str | None = None) -> bool:
        """Send ``frame`` without waiting, if nothing makes it wait (a send delay, the write
        buffer near its high-water mark, a closing connection): recorded and written, True.
        False: nothing was done (send it with :meth:`send_frame`). Raises :class:`LinkClosed`
        when the write fails."""
        if self.send_delay_s or not can_write_now(self.ws):
            return False
        raw = serialize(frame)
        if not isinstance(raw, str) or self._may_block(raw):
            return False
        self.trace.record(Flow.SENT, raw, frame, action=action)
        if write_text_now(self.ws, raw) is not None:
            self._mark_closed()
            raise LinkClosed(self.close_reason)
        return True

    def _may_block(self, raw: str | bytes) -> bool:
        """Whether ``ws.send(raw)`` may wait: the write buffer is (or with this frame would be)
        over its high-water mark, or the connection is not open (websockets then waits for the
        close). Otherwise the frame goes to the socket, or to the buffer, and ``send`` returns
        without waiting."""
        ws = self.ws
        if ws.paused or ws.protocol.state is not State.OPEN:
            return True
        transport = ws.transport
        try:
            if self._high_water is None:
                self._high_water = int(transport.get_write_buffer_limits()[1])
            pending = transport.get_write_buffer_size()
        except (AttributeError, NotImplementedError):
            return True
        # at most 4 UTF-8 bytes per character, and a frame header of at most 14 bytes
        return pending + 4 * len(raw) + 14 > self._high_water

    async def call(
        self,
        action: str,
        payload: dict[str, Any],
        *,
        timeout: float,
        unique_id: str | None = None,
        validate: bool | None = None,
        concurrent: bool = False,
    ) -> Received:
        """Send a CALL and wait for its CALLRESULT or CALLERROR (a :class:`Received` event)."""
        if self.closed.is_set():
            raise LinkClosed(self.close_reason)
        frame = self.session.call(
            action, payload, unique_id=unique_id, validate=validate, concurrent=concurrent
        )
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Received] = loop.create_future()
        self._waiting[frame.unique_id] = waiter
        self._waiting_actions[frame.unique_id] = action
        timer: asyncio.TimerHandle | None = None
        try:
            await self.send_frame(frame)
            # A plain timer on the waiter: cheaper per CALL than an ``asyncio.timeout`` scope.
            timer = loop.call_later(timeout, _expire, waiter, action, timeout)
            return await waiter
        finally:
            if timer is not None:
                timer.cancel()
            if not waiter.done():
                waiter.cancel()
            elif not waiter.cancelled():
                waiter.exception()  # retrieved, even when the send failed first
            self._waiting.pop(frame.unique_id, None)
            self._waiting_actions.pop(frame.unique_id, None)
            self.session.forget(frame.unique_id)

    async def reply(
        self, call: Call, payload: dict[str, Any], *, validate: bool | None = None
    ) -> None:
        """Answer an inbound CALL with a CALLRESULT."""
        frame = self.session.result(call.unique_id, payload, validate=validate)
        await self.send_frame(frame, action=call.action)

    async def reply_error(
        self, call: Call, code: str, description: str = "", details: dict[str, Any] | None = None
    ) -> None:
        """Answer an inbound CALL with a CALLERROR (``code`` as it goes on the wire)."""
        await self.send_frame(self.session.error(call.unique_id, code, description, details))

    # -- closing and network faults -------------------------------------------------------
    async def close(self, code: int = 1000, reason: str = "") -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code, reason)
        self._mark_closed()

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (a network failure)."""
        self.trace.event("harness drops the connection (no close frame)")
        self.ws.transport.abort()

    def stop_reading(self) -> None:
        """Stop reading from the socket (a half-open connection: frames are no longer read)."""
        self.trace.event("harness stops reading (half-open connection)")
        self.ws.transport.pause_reading()

    def resume_reading(self) -> None:
        self.ws.transport.resume_reading()
