"""Robustness RB_18-RB_19: the two message types OCPP 2.1 added, both SUT roles.

Our own cases beyond the OCA catalogue (profile ``robustness``), 2.1 only (OCPP 2.1 Part 4 §4):

* SEND (MessageTypeId 6, RB_18) is an unconfirmed message: the receiver never answers it, not even
  when its action is unknown, and keeps the connection;
* CALLRESULTERROR (MessageTypeId 5, RB_19) is how a receiver refuses a CALLRESULT it cannot use
  (2.1 Part 2 §3 FR.06: an invalid response gets a CALLRESULTERROR — not a CALLERROR, which only
  ever answers a CALL), and it is itself never answered.

Strength: no answer to a SEND is Part 4 §4.2.4 (SHALL NOT) and 2.1 Part 2 FR.07; the
CALLRESULTERROR is FR.06 (SHALL); a CALLRESULTERROR is no CALL, so an answer to it breaks §4.1.4
(MUST: an answer carries the id of the CALL it answers). All FAIL. RB_19_CS needs the station to
send a CALL on request: where it refuses TriggerMessage(Heartbeat) (legal, F06.FR.05) the case is
NOT-APPLICABLE.
"""

from __future__ import annotations

import asyncio
import json

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import applicable_unless
from harness.config import Role
from harness.ocppj import MessageType
from testcases.robustness.follow_up import KEPT, require_working, trigger_refusal
from testcases.robustness.probes import NOW, RESULT_MISSING, V21, probes, spelled
from testcases.robustness.reactions import (
    Peer,
    begin,
    held,
    mark,
    new_id,
    quiet_s,
    require_answer,
    require_error,
    require_no_answer,
    require_open,
)

SEND_REQ = "2.1 Part 4 §4.2.4 (SHALL NOT), Part 2 FR.07: a SEND is never answered"
RESULT_ERROR_REQ = "2.1 Part 2 FR.06 (SHALL): an invalid CALLRESULT gets a CALLRESULTERROR"
UNANSWERED_REQ = "2.1 Part 4 §4.1.4 (MUST): a CALLRESULTERROR is never answered"
STREAM = {"id": 1, "pending": 0, "basetime": NOW, "data": [{"t": 0, "v": "21.5"}]}


async def _sends(peer: Peer) -> None:
    link = await begin(peer)
    known, unknown = new_id("rb18a"), new_id("rb18b")
    since = mark(peer)
    await peer.send_raw(json.dumps([6, known, "NotifyPeriodicEventStream", STREAM]))
    await peer.send_raw(json.dumps([6, unknown, "FlyToTheMoon", {}]))
    await asyncio.sleep(quiet_s(peer))
    require_no_answer(peer, since, (known, unknown), req=SEND_REQ)
    require_open(peer, link, KEPT)
    await require_working(peer)
    require_no_answer(peer, since, (known, unknown), req=SEND_REQ)


@oca(
    "RB_18_CS",
    "SEND (unconfirmed message)",
    profile="robustness",
    versions=V21,
    kills=("rpc-answers-send",),
)
async def test_send_station(csms: CsmsPeer) -> None:
    """A SEND NotifyPeriodicEventStream and a SEND of an unknown action: no answer to either."""
    await _sends(csms)


@oca(
    "RB_18_CSMS",
    "SEND (unconfirmed message)",
    profile="robustness",
    versions=V21,
    kills=("csms-rpc-answers-send",),
)
async def test_send_csms(station: StationPeer) -> None:
    """A SEND NotifyPeriodicEventStream and a SEND of an unknown action: no answer to either."""
    await _sends(station)


async def _result_error_unanswered(peer: Peer) -> None:
    """The harness refuses the SUT's (valid) CALLRESULT with a CALLRESULTERROR: no answer."""
    role = Role.CHARGING_STATION if isinstance(peer, CsmsPeer) else Role.CSMS
    benign = probes(role, peer.version).benign
    outcome = await peer.call_payload(benign.action, benign.payload, req=UNANSWERED_REQ)
    uid = outcome.request.unique_id
    since = mark(peer)
    refusal = [5, uid, "FormatViolation", "the harness refuses this CALLRESULT", {}]
    await peer.send_raw(json.dumps(refusal))
    await asyncio.sleep(quiet_s(peer))
    require_no_answer(peer, since, (uid,), req=UNANSWERED_REQ)


@oca(
    "RB_19_CS",
    "CALLRESULTERROR",
    profile="robustness",
    versions=V21,
    kills=("rpc-no-callresulterror", "rpc-answers-callresulterror"),
)
async def test_callresulterror_station(csms: CsmsPeer) -> None:
    """The station's Heartbeat gets a CALLRESULT without currentTime: the station answers it with
    a CALLRESULTERROR; a CALLRESULTERROR the harness sends is not answered. NOT-APPLICABLE where
    the station does not take TriggerMessage(Heartbeat)."""
    link = await begin(csms)
    csms.hold("Heartbeat")
    since = mark(csms)
    trigger = await csms.call("TriggerMessage", requested_message="Heartbeat", req=RESULT_ERROR_REQ)
    refusal = trigger_refusal(trigger)
    applicable_unless(
        refusal is not None,
        f"the station does not take TriggerMessage(Heartbeat): {refusal}; the case needs a CALL "
        "of the station to answer with an invalid CALLRESULT",
    )
    beat = await held(csms, "Heartbeat", since, within_s=csms.response_s, req=RESULT_ERROR_REQ)
    answered = mark(csms)
    await beat.reply_raw({})
    uid = beat.call.unique_id
    entry = await require_answer(csms, link, answered, ids=(uid,), req=RESULT_ERROR_REQ)
    codes = spelled("2.1", RESULT_MISSING)
    frame = MessageType.CALLRESULTERROR
    require_error(csms, entry, codes=codes, ids=(uid,), req=RESULT_ERROR_REQ, frame=frame)
    await _result_error_unanswered(csms)
    require_open(csms, link, KEPT)
    await require_working(csms)


@oca(
    "RB_19_CSMS",
    "CALLRESULTERROR",
    profile="robustness",
    versions=V21,
    kills=("csms-rpc-no-callresulterror", "csms-rpc-answers-callresulterror"),
)
async def test_callresulterror_csms(station: StationPeer, sut: SutActions) -> None:
    """The CSMS's TriggerMessage gets a CALLRESULT without status: the CSMS answers it with a
    CALLRESULTERROR; a CALLRESULTERROR the harness sends is not answered."""
    link = await begin(station)
    station.hold("TriggerMessage")
    since = mark(station)
    await sut.trigger("Heartbeat")
    call = await held(
        station, "TriggerMessage", since, within_s=station.action_s, req=RESULT_ERROR_REQ
    )
    answered = mark(station)
    await call.reply_raw({})
    uid = call.call.unique_id
    entry = await require_answer(station, link, answered, ids=(uid,), req=RESULT_ERROR_REQ)
    codes = spelled("2.1", RESULT_MISSING)
    frame = MessageType.CALLRESULTERROR
    require_error(station, entry, codes=codes, ids=(uid,), req=RESULT_ERROR_REQ, frame=frame)
    await _result_error_unanswered(station)
    require_open(station, link, KEPT)
    await require_working(station)
