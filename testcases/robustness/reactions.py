"""How the robustness cases watch a SUT react: answers, closes, reconnects and "still working".

The SUT's reaction is the subject of these cases, so :func:`begin` tolerates the protocol
violations the harness would otherwise raise at the next step (a CALLERROR under ``-1``, an answer
to a frame it never saw as a CALL...) and every case checks explicitly what it accepts. Every wait
is bounded: an answer the SUT owes gets the profile's ``response_s``; where silence is allowed or
required a case waits :func:`quiet_s` and judges at its end whatever arrived after the window.

"Keeps working" (:func:`require_working`): a CSMS under test answers the harness station's
Heartbeat; a 2.x station under test sends the Heartbeat a TriggerMessage asks for, a 1.6 station
answers GetConfiguration (a Core message; TriggerMessage is optional in 1.6).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NoReturn

from websockets.exceptions import ConnectionClosed

from harness import CsmsPeer, StationPeer
from harness.ocppj import Direction, MessageType, check
from harness.peers import InboundCall
from harness.trace import Flow, TraceEntry
from harness.transport.link import Link
from harness.verdicts import HarnessError, SutFailure

Peer = CsmsPeer | StationPeer
POLL_S = 0.02
LAST_FRAMES = 12
WORKING = "the SUT keeps its connection and keeps working (robustness)"
_ANSWERS = frozenset({MessageType.CALLRESULT, MessageType.CALLERROR, MessageType.CALLRESULTERROR})
_NAMES = {2: "CALL", 3: "CALLRESULT", 4: "CALLERROR", 5: "CALLRESULTERROR", 6: "SEND"}


def quiet_s(peer: Peer) -> float:
    """How long to wait where no answer is expected: a quarter of ``response_s``, 0.3 s to 3 s."""
    return min(max(peer.response_s / 4, 0.3), 3.0)


def new_id(tag: str) -> str:
    """A unique id for a probe frame, recognisable in the trace."""
    return f"{tag}-{uuid.uuid4().hex[:12]}"


def fail(peer: Peer, req: str, expected: str, actual: str) -> NoReturn:
    raise SutFailure(req, expected, actual, peer.trace.render(last=LAST_FRAMES))


def describe(entry: TraceEntry) -> str:
    name = _NAMES.get(entry.message_type or 0, "frame")
    if entry.message_type in (MessageType.CALLERROR, MessageType.CALLRESULTERROR):
        code = (entry.payload or {}).get("errorCode")
        return f"{name} {code} under unique id {entry.unique_id!r}"
    return f"{name} under unique id {entry.unique_id!r}: {entry.raw[:200]}"


# -- the connection -------------------------------------------------------------------------------
async def begin(peer: Peer) -> Link:
    """Start a robustness case: tolerate violations, make sure the SUT is connected (and booted)."""
    peer.tolerate_violations = True
    if isinstance(peer, CsmsPeer):
        return await peer.wait_connected(req="precondition: the station is connected")
    await peer.ensure_ready()
    if peer.link is None:
        raise HarnessError("the harness station has no connection after ensure_ready()")
    return peer.link


def close_code(link: Link) -> int | None:
    """The code of the close frame the SUT sent (None: the connection dropped without one)."""
    received = link.ws.protocol.close_rcvd
    return received.code if received is not None else None


def require_open(peer: Peer, link: Link, req: str = WORKING) -> None:
    """The SUT kept ``link`` open."""
    if link.closed.is_set() or peer.link is not link:
        fail(peer, req, "the connection kept open", f"connection closed ({link.close_reason})")


async def require_recovery(peer: Peer, link: Link, req: str = WORKING) -> None:
    """After the SUT closed ``link``: it is reachable again (a station reconnects, a CSMS accepts
    a new connection) and works."""
    if isinstance(peer, StationPeer):
        if not peer.connected:
            await peer.connect(req=f"{req}: the CSMS accepts a new connection")
        await require_working(peer, req)
        return
    within = peer.action_s + peer.response_s
    deadline = time.monotonic() + within
    while peer.link is link or peer.link is None or peer.link.closed.is_set():
        if time.monotonic() >= deadline:
            fail(
                peer,
                req,
                f"the station connects again within {within:g} s of the close",
                "no new connection",
            )
        await asyncio.sleep(POLL_S)
    await require_working(peer, req)


async def require_working(peer: Peer, req: str = WORKING) -> None:
    """The follow-up exchange every case ends with (see the module docstring)."""
    if isinstance(peer, StationPeer):
        await peer.ensure_ready()
        outcome = await peer.call("Heartbeat", req=req)
        outcome.must(req=req)
        violation = check(peer.version, "Heartbeat", Direction.RESPONSE, outcome.payload)
        if violation is not None:
            fail(peer, req, "a schema-valid HeartbeatResponse", violation.message)
        return
    await peer.wait_connected(req=req)
    if peer.version == "1.6":
        await peer.call("GetConfiguration", key=["HeartbeatInterval"], req=req).must(req=req)
        return
    trigger = peer.call("TriggerMessage", requested_message="Heartbeat", req=req)
    await trigger.must(status="Accepted", req=req)
    beat = await peer.expect("Heartbeat", req=req)
    if beat.held and not beat.replied:
        await beat.reply()


# -- what the SUT sent back -----------------------------------------------------------------------
def mark(peer: Peer) -> int:
    """A position in this case's trace: what arrives later is the SUT's reaction."""
    return len(peer.trace)


def answers(
    peer: Peer, since: int, ids: Collection[str] | None = None, *, until: int | None = None
) -> list[TraceEntry]:
    """CALLRESULT/CALLERROR/CALLRESULTERROR frames received between the marks ``since`` and
    ``until`` (now when None), with one of ``ids`` when given."""
    found = []
    for entry in list(peer.trace)[since:until]:
        if entry.flow is not Flow.RECEIVED or entry.message_type not in _ANSWERS:
            continue
        if ids is None or entry.unique_id in ids:
            found.append(entry)
    return found


@dataclass
class Reaction:
    """What the SUT did after a probe: its answers, or the close of the connection."""

    answers: list[TraceEntry] = field(default_factory=list)
    closed: bool = False
    close_code: int | None = None
    close_reason: str = ""


async def react(
    peer: Peer, link: Link, since: int, within_s: float, ids: Collection[str] | None = None
) -> Reaction:
    """Wait up to ``within_s`` for an answer (with one of ``ids``) or for the connection to close."""
    deadline = time.monotonic() + within_s
    while True:
        found = answers(peer, since, ids)
        if found:
            return Reaction(found)
        if link.closed.is_set():
            return Reaction([], True, close_code(link), link.close_reason)
        if time.monotonic() >= deadline:
            return Reaction()
        await asyncio.sleep(POLL_S)


async def require_answer(
    peer: Peer,
    link: Link,
    since: int,
    *,
    req: str,
    ids: Collection[str] | None = None,
    within_s: float | None = None,
) -> TraceEntry:
    """The SUT answers (the connection staying open); the first answer is returned."""
    timeout = peer.response_s if within_s is None else within_s
    reaction = await react(peer, link, since, timeout, ids)
    if reaction.answers:
        return reaction.answers[0]
    wanted = f" under unique id {' or '.join(repr(i) for i in ids)}" if ids else ""
    if reaction.closed:
        fail(peer, req, f"an answer{wanted}", f"connection closed ({reaction.close_reason})")
    fail(peer, req, f"an answer{wanted} within {timeout:g} s", "no answer")


def require_error(
    peer: Peer,
    entry: TraceEntry,
    *,
    codes: Collection[str],
    ids: Collection[str],
    req: str,
    frame: MessageType = MessageType.CALLERROR,
) -> None:
    """``entry`` is a CALLERROR (or ``frame``) with one of ``codes`` (exact spelling) under one
    of ``ids``."""
    wanted = f"{frame.name} {' or '.join(sorted(codes))} under unique id " + " or ".join(
        repr(i) for i in ids
    )
    if entry.message_type != frame:
        fail(peer, req, wanted, describe(entry))
    code = (entry.payload or {}).get("errorCode")
    if code not in codes or entry.unique_id not in ids:
        fail(peer, req, wanted, describe(entry))


def require_no_answer(
    peer: Peer, since: int, ids: Collection[str], *, req: str, allowed: Collection[int] = ()
) -> None:
    """No answer with one of ``ids`` arrived (except frames of the ``allowed`` message types)."""
    for entry in answers(peer, since, ids):
        if entry.message_type not in allowed:
            fail(peer, req, "no answer at all", describe(entry))


async def held(peer: Peer, action: str, since: int, *, within_s: float, req: str) -> InboundCall:
    """The SUT's next CALL ``action`` (after the mark ``since``), kept unanswered for the script.

    It must arrive while no ``expect`` waits for it: a CALL an ``expect`` claims on arrival gets
    the default reply after a grace period even when its action is held (``peer.hold``).
    """
    deadline = time.monotonic() + within_s
    while not any(
        e.flow is Flow.RECEIVED and e.message_type == MessageType.CALL and e.action == action
        for e in list(peer.trace)[since:]
    ):
        if time.monotonic() >= deadline:
            fail(peer, req, f"{action} within {within_s:g} s", f"no {action}")
        await asyncio.sleep(POLL_S)
    item = await peer.expect(action, within_s=0, req=req)
    if not item.held:
        raise HarnessError(f"{action} was not held: call peer.hold({action!r}) first")
    return item


# -- sending what the harness peers would never send -------------------------------------------------
async def send_message(peer: Peer, link: Link, data: bytes | str, *, text: bool, note: str) -> bool:
    """Send one WebSocket message exactly as given (``text``: as a text frame, whatever the bytes);
    the trace gets ``note`` instead of the content. False when the connection closed under it."""
    peer.trace.event(f"harness sends {note}")
    try:
        await link.ws.send(data, text=text)
    except ConnectionClosed:
        return False
    return True
