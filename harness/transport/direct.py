"""The two shortcuts of the frame path through websockets (issue 15): an answer to an open CALL
is handled where websockets parsed it, and a text frame that cannot wait is written without
``ws.send``'s context manager. Both do exactly what the long way does (same checks, same bytes on
the wire, same order of handling); they only save passes of the event loop and generator layers.
Each applies to websockets' asyncio connection only and falls back to the long way otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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
    reply (a CALL, an invalid CALLRESULT in 2.1) goes on to the receive loop, already parsed.
    """
    ws = link.ws
    messages = getattr(ws, "recv_messages", None)
    frames = getattr(messages, "frames", None)
    process = getattr(ws, "process_event", None)
    if process is None or not hasattr(frames, "get_waiter") or not hasattr(frames, "queue"):
        return

    def process_event(event: Any) -> None:
        if (
            link._waiting
            and event.opcode is Opcode.TEXT
            and event.fin
            and _receive_now(link, event.data, messages, frames)
        ):
            return
        process(event)

    ws.process_event = process_event  # type: ignore[method-assign]


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
        if isinstance(event.frame, (Call, Send)) or (
            event.reply is not None and link.auto_reply_errors
        ):
            link._parsed = (raw, event)  # the receive loop takes it from here
            return False
        link._note(raw, event)
        link._route(raw, event)
        after = link.after_receive
        if after is not None and (link.after_due is None or link.after_due()):
            link._after = asyncio.ensure_future(_after_safely(link, after))
    except Exception as exc:  # as in the receive loop: recorded, the connection goes on
        link._handler_error(exc)
    return True


async def _after_safely(link: Link, after: Callable[[Link], Awaitable[None]]) -> None:
    """``after_receive`` for an answer taken at once (the receive loop awaits it before its
    next frame, as it would have run it itself)."""
    from harness.transport.link import LinkClosed  # here: link imports this module

    try:
        await after(link)
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


async def write_text(ws: Any, raw: str) -> None:
    """``await ws.send(raw)`` for a connection :func:`can_write_now` accepts, without its
    generator-based context manager: the frame is built and written, then the write buffer is
    drained if it must be (as ``send_context`` does)."""
    ws.protocol.send_text(raw.encode())
    try:
        ws.send_data()
    except Exception as exc:  # as ``send_context``: terminate the connection, raise its close
        ws.set_connection_exc(exc)
        ws.transport.abort()
        await asyncio.shield(ws.connection_lost_waiter)
        raise ws.close_exc from exc  # the cause websockets gives it too
    if ws.paused or ws.transport.is_closing():
        await ws.drain()
