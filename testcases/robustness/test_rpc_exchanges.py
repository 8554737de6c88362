"""Robustness RB_11-RB_13 and RB_17: exchanges out of the ordinary, both roles, 1.6/2.0.1/2.1.

Our own cases beyond the OCA catalogue (profile ``robustness``). OCPP-J correlates answers by
unique id and allows one open CALL per direction (OCPP-J 1.6 §4.1.1; OCPP 2.0.1/2.1 Part 4
§4.1.1, Part 2 §3 FR.01). What a receiver does when the *sender* breaks that is not prescribed,
so these cases accept what the spec allows and fail what it cannot mean:

* a second CALL while the first is open (RB_13): each CALL is answered, with a CALLRESULT or a
  CALLERROR (ProtocolError, GenericError, 2.x RpcFrameworkError); never dropped, never a closed
  connection;
* the same CALL twice under one unique id (RB_11): answered (the two answers cannot be told
  apart, so one is enough), each answer a CALLRESULT or such a CALLERROR — 1.6 §4.2.3 and Part 4
  §4.2.3 name "an existing call with the same unique identifier" as a reason for one; never a
  closed connection;
* a CALLRESULT for an id never sent (RB_12) is not answered: a CALLERROR only ever answers a CALL
  (in 2.1 a CALLRESULTERROR is tolerated: it answers a CALLRESULT the receiver cannot use);
* a slow answer (RB_17), still within the SUT's timeout: the SUT sends no other CALL meanwhile,
  keeps answering the harness's CALLs, takes the late answer and then goes on.

Strength of each check: every CALL is answered (Part 2 FR.02/FR.03, SHALL; the 1.6 RPC contract)
and its answer carries the CALL's id (Part 4/1.6 §4.1.4, MUST); a CALLERROR only ever answers a
CALL (§4.1.4, MUST); a SUT waits for the answer to its CALL before its next one — Part 4 §4.1.1 and
Part 2 FR.01 (SHALL NOT / SHALL) in 2.x, so FAIL there, but OCPP-J 1.6 §4.1.1 only says SHOULD
NOT, so a 1.6 SUT gets a spec-axis warning; an Accepted trigger is followed by its message
(F06.FR.10, SHALL). RB_17 needs a message the station sends on request: where it refuses
TriggerMessage (legal: F06.FR.05/FR.08, optional in 1.6) the case is NOT-APPLICABLE.
"""

from __future__ import annotations

import asyncio
import json

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import applicable_unless, should
from harness.config import Role, SutProfile
from harness.ocppj import MessageType
from harness.trace import Flow
from testcases.robustness.follow_up import KEPT, require_working, trigger_refusal
from testcases.robustness.probes import ALL, REFUSED_EXCHANGE, Probes, probes, spelled
from testcases.robustness.reactions import (
    Peer,
    after,
    answers,
    begin,
    describe,
    fail,
    held,
    mark,
    new_id,
    quiet_s,
    require_answer,
    require_error,
    require_no_answer,
    require_open,
)

DUPLICATE_REQ = (
    "Part 2 FR.03 (SHALL), Part 4/1.6 §4.2.3: a reused unique id is answered, the connection stays"
)
UNKNOWN_RESULT_REQ = (
    "Part 4/1.6 §4.1.4 (MUST): a CALLERROR only answers a CALL; an unknown CALLRESULT is ignored"
)
CONCURRENT_REQ = (
    "Part 2 FR.02/FR.03 (SHALL; 1.6 §4.1.1 note): a CALL sent while another is open is answered"
)
SYNC_REQ = "Part 4 §4.1.1 (SHALL NOT), Part 2 FR.01 (SHALL): no new CALL while one is unanswered"
SYNC_V16_REQ = "OCPP-J 1.6 §4.1.1 (SHOULD NOT): no new CALL while one is unanswered"
LATE_REQ = (
    "Part 2 FR.02 (SHALL; 1.6 §4.1.1): a late answer within the timeout is taken, "
    "and the SUT goes on"
)
HELD_BACK_REQ = "F06.FR.10 (SHALL; 1.6 §5.17): the triggered message follows once the SUT may send"


def _probes(peer: Peer) -> Probes:
    role = Role.CHARGING_STATION if isinstance(peer, CsmsPeer) else Role.CSMS
    return probes(role, peer.version)


def _call_text(peer: Peer, uid: str) -> str:
    benign = _probes(peer).benign
    return json.dumps([2, uid, benign.action, benign.payload])


def _judge_exchange_answers(peer: Peer, since: int, uid: str, req: str) -> None:
    for entry in answers(peer, since, (uid,)):
        if entry.message_type != MessageType.CALLRESULT:
            codes = spelled(peer.version, REFUSED_EXCHANGE)
            require_error(peer, entry, codes=codes, ids=(uid,), req=req)


async def _duplicate_id(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb11")
    text = _call_text(peer, uid)
    since = mark(peer)
    await peer.send_raw(text)
    await peer.send_raw(text)
    await require_answer(peer, link, since, ids=(uid,), req=DUPLICATE_REQ)
    await asyncio.sleep(quiet_s(peer))  # room for the answer to the second one
    require_open(peer, link, KEPT)
    _judge_exchange_answers(peer, since, uid, DUPLICATE_REQ)
    await require_working(peer)


@oca(
    "RB_11_CS",
    "Duplicate unique id",
    profile="robustness",
    versions=ALL,
    kills=("rpc-closes-on-duplicate-id",),
)
async def test_duplicate_unique_id_station(csms: CsmsPeer) -> None:
    """The same CALL twice under one unique id: answered, connection kept, station works."""
    await _duplicate_id(csms)


@oca(
    "RB_11_CSMS",
    "Duplicate unique id",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-closes-on-duplicate-id",),
)
async def test_duplicate_unique_id_csms(station: StationPeer) -> None:
    """The same CALL twice under one unique id: answered, connection kept, CSMS works."""
    await _duplicate_id(station)


async def _unknown_result(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb12")
    since = mark(peer)
    await peer.send_raw(json.dumps([3, uid, {}]))
    await asyncio.sleep(quiet_s(peer))
    allowed = (MessageType.CALLRESULTERROR,) if peer.version == "2.1" else ()
    require_no_answer(peer, since, (uid,), req=UNKNOWN_RESULT_REQ, allowed=allowed)
    require_open(peer, link, KEPT)
    await require_working(peer)
    require_no_answer(peer, since, (uid,), req=UNKNOWN_RESULT_REQ, allowed=allowed)


@oca(
    "RB_12_CS",
    "CALLRESULT for a unique id never sent",
    profile="robustness",
    versions=ALL,
    kills=("rpc-errors-unknown-result",),
)
async def test_unknown_callresult_station(csms: CsmsPeer) -> None:
    """A CALLRESULT out of nowhere: the station does not answer it and stays connected."""
    await _unknown_result(csms)


@oca(
    "RB_12_CSMS",
    "CALLRESULT for a unique id never sent",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-errors-unknown-result",),
)
async def test_unknown_callresult_csms(station: StationPeer) -> None:
    """A CALLRESULT out of nowhere: the CSMS does not answer it and stays connected."""
    await _unknown_result(station)


async def _concurrent_calls(peer: Peer) -> None:
    link = await begin(peer)
    first, second = new_id("rb13a"), new_id("rb13b")
    since = mark(peer)
    await peer.send_raw(_call_text(peer, first))
    await peer.send_raw(_call_text(peer, second))
    for uid in (first, second):
        await require_answer(peer, link, since, ids=(uid,), req=CONCURRENT_REQ)
        _judge_exchange_answers(peer, since, uid, CONCURRENT_REQ)
    require_open(peer, link, KEPT)
    await require_working(peer)


@oca(
    "RB_13_CS",
    "Second CALL while one is open",
    profile="robustness",
    versions=ALL,
    kills=("rpc-drops-concurrent-call",),
)
async def test_second_call_while_open_station(csms: CsmsPeer) -> None:
    """Two CALLs back to back, the first not yet answered: the station answers both."""
    await _concurrent_calls(csms)


@oca(
    "RB_13_CSMS",
    "Second CALL while one is open",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-drops-concurrent-call",),
)
async def test_second_call_while_open_csms(station: StationPeer) -> None:
    """Two CALLs back to back, the first not yet answered: the CSMS answers both."""
    await _concurrent_calls(station)


async def _message_timeout_s(csms: CsmsPeer) -> float | None:
    """2.x: the station's own CALL timeout, OCPPCommCtrlr.MessageTimeout[Default] (a required
    variable), so that the late answer is surely within it; None in 1.6 (no such key) or when it
    cannot be read (the case then assumes the profile's response time is within it)."""
    if csms.version == "1.6":
        return None
    variable = {"name": "MessageTimeout", "instance": "Default"}
    outcome = await csms.call_payload(
        "GetVariables",
        {"getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": variable}]},
        req=LATE_REQ,
    )
    results = outcome.get("getVariableResult") if outcome.error is None else None
    if not isinstance(results, list) or len(results) != 1 or not isinstance(results[0], dict):
        return None
    value = results[0].get("attributeValue")
    if results[0].get("attributeStatus") != "Accepted" or not isinstance(value, str):
        return None
    return float(value) if value.strip().isascii() and value.strip().isdigit() else None


def _judge_no_call(peer: Peer, since: int, open_id: str) -> None:
    """No CALL from the SUT arrived after the mark ``since`` (its CALL ``open_id`` is open):
    FAIL in 2.x (SHALL NOT), a spec-axis warning in 1.6 (SHOULD NOT)."""
    for entry in after(peer, since):
        if entry.flow is Flow.RECEIVED and entry.message_type == MessageType.CALL:
            expected = f"no CALL while {open_id!r} waits for its answer"
            if peer.version == "1.6":
                should(peer, False, req=SYNC_V16_REQ, expected=expected, actual=describe(entry))
                return
            fail(peer, SYNC_REQ, expected, describe(entry))


@oca(
    "RB_17_CS",
    "Very slow responder",
    profile="robustness",
    versions=ALL,
    kills=("rpc-rejects-late-response",),
)
async def test_slow_responder_station(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """The harness answers the station's Heartbeat only after half the response time (2.x: and
    within half the station's own MessageTimeout); meanwhile the station answers a
    TriggerMessage(StatusNotification) but holds the StatusNotification back until the late answer
    came, and sends it then. NOT-APPLICABLE where the station does not take
    TriggerMessage(Heartbeat) (the case has no CALL of the station to answer late)."""
    link = await begin(csms)
    delay = csms.response_s / 2
    own = await _message_timeout_s(csms)
    if own is not None and 0 < own / 2 < delay:
        delay = own / 2
    csms.trace.event(
        f"the Heartbeat will be answered after {delay:g} s"
        + (f" (the station's MessageTimeout is {own:g} s)" if own is not None else "")
    )
    csms.hold("Heartbeat")
    since = mark(csms)
    trigger = await csms.call("TriggerMessage", requested_message="Heartbeat", req=LATE_REQ)
    refusal = trigger_refusal(trigger)
    applicable_unless(
        refusal is not None,
        f"the station does not take TriggerMessage(Heartbeat): {refusal}; the case needs a CALL "
        "of the station to answer late",
    )
    beat = await held(csms, "Heartbeat", since, within_s=csms.response_s, req=HELD_BACK_REQ)
    opened = mark(csms)
    first = sut_profile.sut.evses[0].id if sut_profile.sut.evses else 1
    evse = (
        {"evse": {"id": first, "connectorId": 1}}
        if csms.version != "1.6"
        else {"connectorId": first}
    )
    status = await csms.call(
        "TriggerMessage", requested_message="StatusNotification", req=LATE_REQ, **evse
    )
    status.must(req=f"{LATE_REQ}: CALLs are answered while its own is open")
    follows = trigger_refusal(status) is None
    if not follows:
        csms.trace.event(f"StatusNotification not triggered ({trigger_refusal(status)})")
    await asyncio.sleep(delay)
    _judge_no_call(csms, opened, beat.call.unique_id)
    await beat.reply()
    if follows:
        await csms.expect("StatusNotification", req=HELD_BACK_REQ)
    require_no_answer(csms, opened, (beat.call.unique_id,), req=UNKNOWN_RESULT_REQ)
    require_open(csms, link, KEPT)
    await require_working(csms)


@oca(
    "RB_17_CSMS",
    "Very slow responder",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-rejects-late-response",),
)
async def test_slow_responder_csms(station: StationPeer, sut: SutActions) -> None:
    """The harness answers the CSMS's TriggerMessage only after half the response time; a second
    command the operator gives meanwhile reaches the station only after that late answer."""
    link = await begin(station)
    delay = station.response_s / 2
    station.hold("TriggerMessage")
    since = mark(station)
    await sut.trigger("Heartbeat")
    first = await held(station, "TriggerMessage", since, within_s=station.action_s, req=LATE_REQ)
    opened = mark(station)
    await sut.trigger("StatusNotification")
    await asyncio.sleep(delay)
    _judge_no_call(station, opened, first.call.unique_id)
    await first.reply(status="Rejected")
    second = await station.expect(
        "TriggerMessage", within_s=station.action_s, req=f"{LATE_REQ}: the next command follows"
    )
    await second.reply(status="Rejected")
    require_no_answer(station, opened, (first.call.unique_id,), req=UNKNOWN_RESULT_REQ)
    require_open(station, link, KEPT)
    await require_working(station)
