"""How the robustness cases watch a SUT react: answers, closes and what each one means.

The SUT's reaction is the subject of these cases, so :func:`begin` tolerates the protocol
violations the harness would otherwise raise at the next step (a CALLERROR under ``-1``, an answer
to a frame it never saw as a CALL...) and every case checks explicitly what it accepts. Every wait
is bounded: an answer the SUT owes gets the profile's ``response_s``; where silence is allowed or
required a case waits :func:`quiet_s` and judges at its end whatever arrived after the window.

An answer the harness cannot parse (a CALLERROR with four elements, an id that is not a string...)
still is the SUT's answer: :func:`answers` returns it and the case fails on it at once as
malformed (a CALLERROR always has five elements, OCPP-J 1.6 §4.2.3 / Part 4 §4.2.3, MUST), instead
of waiting out ``response_s`` and reporting "no answer". A CALLERROR code the version does not
define is named as such, with the version's own spelling when it is one of the codes 1.6 and 2.x
spell differently.

Every check cites its rule with the rule's strength (MUST/SHALL fail, SHOULD/MAY warn: DESIGN §5).
The "keeps working" follow-up is in :mod:`testcases.robustness.follow_up`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NoReturn

from websockets.exceptions import ConnectionClosed

from harness import CsmsPeer, StationPeer
from harness.checks import should
from harness.ocppj import MessageType, error_code, valid_codes
from harness.ocppj.errors import V16_CODES, kind_of
from harness.peers import InboundCall
from harness.trace import Flow, TraceEntry
from harness.transport.link import Link
from harness.verdicts import HarnessError, SutFailure

Peer = CsmsPeer | StationPeer
POLL_S = 0.02
LAST_FRAMES = 12
_ANSWERS = frozenset({MessageType.CALLRESULT, MessageType.CALLERROR, MessageType.CALLRESULTERROR})
_NAMES = {2: "CALL", 3: "CALLRESULT", 4: "CALLERROR", 5: "CALLRESULTERROR", 6: "SEND"}
#: RFC 6455 §7.4.1 (MAY): the close code an endpoint may use; any code is allowed.
CLOSE_CODE_RULE = "RFC 6455 §7.4.1 (MAY)"
#: RFC 6455 §7.1.7 (SHOULD): an endpoint that fails the connection sends a close frame first.
CLOSE_FRAME_REQ = (
    "RFC 6455 §7.1.7 (SHOULD): an endpoint that ends the connection sends a close frame first"
)


def quiet_s(peer: Peer) -> float:
    """How long to wait where no answer is expected: a quarter of ``response_s``, 0.3 s to 3 s."""
    return min(max(peer.response_s / 4, 0.3), 3.0)


def new_id(tag: str) -> str:
    """A unique id for a probe frame, recognisable in the trace."""
    return f"{tag}-{uuid.uuid4().hex[:12]}"


def fail(peer: Peer, req: str, expected: str, actual: str) -> NoReturn:
    raise SutFailure(req, expected, actual, peer.trace.render(last=LAST_FRAMES))


def _lenient(entry: TraceEntry) -> tuple[int | None, str | None]:
    """(MessageTypeId, unique id) as far as they can be read from a frame the core rejected."""
    try:
        data = json.loads(entry.raw)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(data, list) or not data:
        return None, None
    first = data[0]
    mtype = first if isinstance(first, int) and not isinstance(first, bool) else None
    uid = data[1] if len(data) > 1 and isinstance(data[1], str) else None
    return mtype, uid


def malformed(entry: TraceEntry) -> bool:
    """``entry`` is a received frame the OCPP-J core could not parse that is no CALL, SEND or
    unknown MessageTypeId: a malformed answer (or a frame nothing can be read from)."""
    if entry.flow is not Flow.RECEIVED or entry.message_type is not None or not entry.problem:
        return False
    mtype, _ = _lenient(entry)
    return mtype is None or mtype in _ANSWERS


def answer_id(entry: TraceEntry) -> str | None:
    """The unique id of an answer, read leniently from a malformed one (None: unreadable)."""
    return entry.unique_id if entry.message_type is not None else _lenient(entry)[1]


def code_note(code: object, version: str) -> str:
    """Why ``code`` is not a CALLERROR code of ``version`` ("" when it is one): 1.6 spells two
    codes differently and has no RpcFrameworkError/MessageTypeNotSupported (OCPP-J 1.6 §4.2.3
    Table 7, Part 4 §4.3 Table 8; the errata keep the 1.6 spellings)."""
    if not isinstance(code, str) or code in valid_codes(version):
        return ""
    kind = kind_of(code)
    if kind is None:
        return f" (not an error code of OCPP {version}, nor of any OCPP version)"
    other = "1.6" if code in V16_CODES else "2.x"
    return (
        f" (not an error code of OCPP {version}: {code} is an OCPP {other} code; "
        f"OCPP {version} says {error_code(kind, version)})"
    )


def describe(entry: TraceEntry, version: str | None = None) -> str:
    """One line for the Actual of a failure: the frame's type, code and id."""
    if entry.message_type is None:
        mtype, uid = _lenient(entry)
        name = _NAMES.get(mtype or 0, "frame")
        where = f" under unique id {uid!r}" if uid is not None else ""
        return f"a malformed {name}{where} ({entry.problem}): {entry.raw[:200]}"
    name = _NAMES.get(entry.message_type, "frame")
    if entry.message_type in (MessageType.CALLERROR, MessageType.CALLRESULTERROR):
        code = (entry.payload or {}).get("errorCode")
        note = code_note(code, version) if version else ""
        return f"{name} {code} under unique id {entry.unique_id!r}{note}"
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


def require_open(peer: Peer, link: Link, req: str) -> None:
    """The SUT kept ``link`` open."""
    if link.closed.is_set() or peer.link is not link:
        fail(peer, req, "the connection kept open", f"connection closed ({link.close_reason})")


def judge_close(peer: Peer, reaction: Reaction, code: int, why: str) -> None:
    """After the SUT closed the connection: warn (never fail) when it sent no close frame
    (RFC 6455 §7.1.7, SHOULD) or another close code than ``code`` (§7.4.1 only says which code
    an endpoint MAY use; ``why`` names the situation)."""
    if reaction.close_code is None:
        should(
            peer,
            False,
            req=CLOSE_FRAME_REQ,
            expected=f"a close frame (code {code}) before the connection ends",
            actual="the connection dropped without a close frame",
        )
        return
    should(
        peer,
        reaction.close_code == code,
        req=f"{CLOSE_CODE_RULE}: {why} is refused with close code {code}",
        expected=f"close code {code}",
        actual=f"close code {reaction.close_code}",
    )


# -- what the SUT sent back -----------------------------------------------------------------------
def mark(peer: Peer) -> int:
    """A position in this case's trace (the ``seq`` of its last entry; the trace is bounded and
    may let entries go, so not an index): what arrives later is the SUT's reaction."""
    return peer.trace.recorded


def after(peer: Peer, since: int, until: int | None = None) -> list[TraceEntry]:
    """The entries of this case's trace recorded after the mark ``since`` (up to ``until``)."""
    return [e for e in peer.trace if e.seq > since and (until is None or e.seq <= until)]


def answers(
    peer: Peer, since: int, ids: Collection[str] | None = None, *, until: int | None = None
) -> list[TraceEntry]:
    """CALLRESULT/CALLERROR/CALLRESULTERROR frames received between the marks ``since`` and
    ``until`` (now when None), with one of ``ids`` when given. Malformed answers count: under
    one of ``ids``, or when no id can be read from them at all."""
    found = []
    for entry in after(peer, since, until):
        if entry.flow is not Flow.RECEIVED:
            continue
        if entry.message_type in _ANSWERS:
            if ids is None or entry.unique_id in ids:
                found.append(entry)
        elif malformed(entry):
            uid = answer_id(entry)
            if ids is None or uid is None or uid in ids:
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


async def closed_within(link: Link, within_s: float) -> Reaction:
    """Wait up to ``within_s`` for the connection to close, whatever arrives meanwhile."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(within_s):
            await link.closed.wait()
    if link.closed.is_set():
        return Reaction([], True, close_code(link), link.close_reason)
    return Reaction()


async def require_answer(
    peer: Peer,
    link: Link,
    since: int,
    *,
    req: str,
    ids: Collection[str] | None = None,
    within_s: float | None = None,
) -> TraceEntry:
    """The SUT answers (the connection staying open); the first answer is returned, also one
    that arrived before this wait began."""
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
    """``entry`` is a well-formed CALLERROR (or ``frame``) with one of ``codes`` (exact
    spelling) under one of ``ids``."""
    wanted = f"{frame.name} {' or '.join(sorted(codes))} under unique id " + " or ".join(
        repr(i) for i in ids
    )
    if entry.message_type != frame:
        fail(peer, req, wanted, describe(entry, peer.version))
    code = (entry.payload or {}).get("errorCode")
    if code not in codes or entry.unique_id not in ids:
        fail(peer, req, wanted, describe(entry, peer.version))


def require_no_answer(
    peer: Peer, since: int, ids: Collection[str], *, req: str, allowed: Collection[int] = ()
) -> None:
    """No answer with one of ``ids`` arrived (except frames of the ``allowed`` message types)."""
    for entry in answers(peer, since, ids):
        if entry.message_type is None or entry.message_type not in allowed:
            fail(peer, req, "no answer at all", describe(entry, peer.version))


async def held(peer: Peer, action: str, since: int, *, within_s: float, req: str) -> InboundCall:
    """The SUT's next CALL ``action`` (after the mark ``since``), kept unanswered for the script.

    It must arrive while no ``expect`` waits for it: a CALL an ``expect`` claims on arrival gets
    the default reply after a grace period even when its action is held (``peer.hold``).
    """
    deadline = time.monotonic() + within_s
    while not any(
        e.flow is Flow.RECEIVED and e.message_type == MessageType.CALL and e.action == action
        for e in after(peer, since)
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
