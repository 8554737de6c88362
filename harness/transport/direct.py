"""The shortcuts of the frame path through websockets (issue 15): an answer to an open CALL, and
a CALL the link's owner answers at once (:attr:`~harness.transport.link.Link.answer_now`), are
handled where websockets parsed them, and a text frame that cannot wait is written without
``ws.send``'s context manager. They do exactly what the long way does (same checks, same bytes on
the wire, same order of handling: the frames read together are all handled before any reply goes
out); they only save passes of the event loop and generator layers. Each applies to websockets'
asyncio connection only and falls back to the long way otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed
from websockets.frames import Opcode
from websockets.protocol import State

from harness.ocppj.frames import Call, Send

if TYPE_CHECKING:
    from harness.transport.link import Link


def take_answers_at_once(link: Link) -> None:
    """Handle an answer to an open CALL of ``link`` as soon as it is read off the socket.

    Through ``ws.recv`` a frame first wakes the receive loop, which then wakes the caller: one
    pass of the event loop more per round trip than needed. While a CALL of ours is open, the
    receive loop idles and nothing is queued before the message, a complete text message is
    handled right where websockets parsed it (``process_event``): same session, trace, checks
    and hooks, in the same order; the caller wakes one pass earlier. What needs an answer or a
    reply (an invalid CALLRESULT in 2.1; a CALL unless the link has ``answer_now``, or when it
    was read together with an answer) goes on to the receive loop, already parsed. Replies due
    after the frames taken at once go out when the data read off the socket has been handled,
    through ``answer_now`` (or ``after_receive``).
    """
    ws = link.ws
    messages = getattr(ws, "recv_messages", None)
    frames = getattr(messages, "frames", None)
    process = getattr(ws, "process_event", None)
    if process is None or not hasattr(frames, "get_waiter") or not hasattr(frames, "queue"):
        return

    def process_event(event: Any) -> None:
        if (
            (link._waiting or link.answer_now is not None)
            and event.opcode is Opcode.TEXT
            and event.fin
            and _receive_now(link, event.data, messages, frames)
        ):
            return
        process(event)

    ws.process_event = process_event  # type: ignore[method-assign]
    received = ws.data_received

    def data_received(data: bytes) -> None:
        received(data)  # every message in ``data``: handled at once or queued for the loop
        link._answered_in_batch = False
        if link._answer_at_end:
            link._answer_at_end = False
            _answer_now(link, messages, frames)

    ws.data_received = data_received  # type: ignore[method-assign]


def _receive_now(link: Link, data: bytes, messages: Any, frames: Any) -> bool:
    """Handle the message ``data`` now (True) or leave it to the receive loop (False)."""
    idle = frames.get_waiter
    if (
        messages.closed
        or frames.queue
        or idle is None
        or idle.done()
        or link._after is not None
        or link._parsed is not None
    ):
        return False
    try:
        raw = data.decode()
    except UnicodeDecodeError:
        return False  # ``recv`` closes the connection with 1007
    try:
        event = link.session.receive(raw)
        inbound = isinstance(event.frame, (Call, Send))
        if (event.reply is not None and link.auto_reply_errors) or (
            inbound and (link.answer_now is None or link._answered_in_batch)
        ):
            link._parsed = (raw, event)  # the receive loop takes it from here
            return False
        link._note(raw, event)
        link._route(raw, event)
        # A CALL read with an answer goes to the receive loop: the script that waited for the
        # answer resumes first, and a wait it starts then ("no StartTransaction may come")
        # still sees that CALL, as when each came in a read of its own.
        if not inbound:
            link._answered_in_batch = True
        after = link.after_receive
        if after is not None and (link.after_due is None or link.after_due()):
            if link.answer_now is not None:
                link._answer_at_end = True  # once every frame read together is handled
            else:
                link._after = asyncio.ensure_future(_after_safely(link, after(link)))
    except Exception as exc:  # as in the receive loop: recorded, the connection goes on
        link._handler_error(exc)
    return True


def _answer_now(link: Link, messages: Any, frames: Any) -> None:
    """The replies due after frames taken at once: written now by ``answer_now`` where they
    cannot wait; what must wait runs before the receive loop's next frame. A frame queued for
    the receive loop meanwhile leaves them to its ``after_receive``, after that frame."""
    answer_now = link.answer_now
    if answer_now is None or frames.queue or messages.closed or link._parsed is not None:
        return
    try:
        rest = answer_now(link)
    except Exception as exc:  # as in the receive loop: recorded, the connection goes on
        link._handler_error(exc)
        return
    if rest is not None:
        link._after = asyncio.ensure_future(_after_safely(link, rest))


async def _after_safely(link: Link, after: Awaitable[None]) -> None:
    """What is due after frames taken at once (the receive loop awaits it before its next
    frame, as it would have run it itself)."""
    from harness.transport.link import LinkClosed  # here: link imports this module

    try:
        await after
    except (ConnectionClosed, LinkClosed):
        pass  # the receive loop ends at its next read
    except Exception as exc:
        link._handler_error(exc)


def can_write_now(ws: Any) -> bool:
    """Whether :func:`write_text` applies: websockets' asyncio connection, open, no fragmented
    message on its way."""
    return (
        getattr(ws, "send_in_progress", True) is None
        and ws.protocol.state is State.OPEN
        and hasattr(ws, "send_data")
    )


def write_text_now(ws: Any, raw: str) -> Exception | None:
    """Build the text frame ``raw`` and hand it to the transport, for a connection
    :func:`can_write_now` accepts; what the write raised (the connection is then aborted, as
    ``send_context`` does), else None."""
    ws.protocol.send_text(raw.encode())
    try:
        ws.send_data()
    except Exception as exc:
        ws.set_connection_exc(exc)
        ws.transport.abort()
        return exc
    return None


async def write_text(ws: Any, raw: str) -> None:
    """``await ws.send(raw)`` for a connection :func:`can_write_now` accepts, without its
    generator-based context manager: the frame is built and written, then the write buffer is
    drained if it must be (as ``send_context`` does)."""
    failed = write_text_now(ws, raw)
    if failed is not None:  # as ``send_context``: the connection is terminated; raise its close
        await asyncio.shield(ws.connection_lost_waiter)
        raise ws.close_exc from failed  # the cause websockets gives it too
    if ws.paused or ws.transport.is_closing():
        await ws.drain()
