"""Robustness RB_01-RB_04: frames that are not OCPP-J at all, both SUT roles, 1.6/2.0.1/2.1.

Our own cases beyond the OCA catalogue (profile ``robustness``). The rules: a receiver answers a
CALL it cannot accept with a CALLERROR (OCPP-J 1.6 §4.2.3; OCPP 2.0.1/2.1 Part 4 §4.2.3, Part 2
§3 FR.03), in 2.x under MessageId ``-1`` with RpcFrameworkError when the MessageId cannot be read
(Part 4 §4.3); a frame with an unknown MessageTypeId is ignored (OCPP-J 1.6 §4.1.3, 2.1 Part 4
§4.1.3), while 2.0.1 may answer MessageTypeNotSupported. Either way the SUT keeps its connection
and keeps working. Accepted codes and the reasons for them: :mod:`testcases.robustness.probes`.

Strength of each check (MUST/SHALL fail, SHOULD/MAY warn):

* 2.x answer to an unreadable frame, under ``-1``: Part 2 FR.03 and Part 4 §4.2.3 (SHALL);
* the code of any CALLERROR: a code of the version's table (OCPP-J 1.6 §4.2.3, Part 4 §4.2.3,
  MUST), the one whose meaning fits (1.6 Table 7, Part 4 Table 8);
* a malformed CALL with a readable id is answered under that id: Part 2 FR.03 (SHALL), Part 4
  §4.1.4 / 1.6 §4.1.4 (MUST);
* an unknown MessageTypeId is ignored (SHALL): a close fails; an answer is tolerated with a
  warning where the version has no code for it (nothing forbids answering);
* the connection kept and the SUT working afterwards: the robustness profile's criterion, FAIL.
"""

from __future__ import annotations

import json

from harness import CsmsPeer, StationPeer, oca
from harness.checks import should
from harness.ocppj import ErrorKind, error_code
from harness.trace import TraceEntry
from testcases.robustness.follow_up import KEPT, require_working
from testcases.robustness.probes import ALL, BAD_FRAME, UNREADABLE, UNREADABLE_V16, spelled
from testcases.robustness.reactions import (
    Peer,
    answers,
    begin,
    describe,
    fail,
    mark,
    new_id,
    quiet_s,
    react,
    require_answer,
    require_error,
    require_open,
)

UNREADABLE_REQ = (
    "Part 2 FR.03, Part 4 §4.2.3/§4.3 (SHALL): an unreadable frame gets CALLERROR "
    "RpcFrameworkError under MessageId -1"
)
UNREADABLE_V16_REQ = (
    "OCPP-J 1.6 §4.2.3 Table 7 (MUST): an answer to an unreadable frame carries a 1.6 code "
    "for it (FormationViolation or ProtocolError)"
)
BAD_FRAME_REQ = (
    "Part 2 FR.03 (SHALL; OCPP-J 1.6 §4.2.3), Part 4/1.6 §4.1.4 (MUST): a malformed CALL gets "
    "a CALLERROR echoing its id"
)
UNKNOWN_TYPE_REQ = (
    "OCPP-J 1.6 §4.1.3, Part 4 §4.1.3 (SHALL): a frame with an unknown MessageTypeId is ignored"
)
UNKNOWN_TYPE_ANSWER = (
    "OCPP-J 1.6 §4.1.3, 2.1 Part 4 §4.1.3 (SHALL ignore; answering is not forbidden): no answer "
    "to an unknown MessageTypeId"
)


async def _unreadable(peer: Peer, text: str) -> None:
    """2.x: CALLERROR RpcFrameworkError under -1; 1.6: nothing, or FormationViolation/ProtocolError
    under any id. Then the connection is still open and the SUT works."""
    link = await begin(peer)
    since = mark(peer)
    await peer.send_raw(text)
    if peer.version == "1.6":
        await react(peer, link, since, quiet_s(peer))
    else:
        entry = await require_answer(peer, link, since, req=UNREADABLE_REQ)
        require_error(
            peer, entry, codes=spelled(peer.version, UNREADABLE), ids=("-1",), req=UNREADABLE_REQ
        )
    require_open(peer, link, KEPT)
    until = mark(peer)
    await require_working(peer)
    if peer.version == "1.6":  # whatever answer came, also after the window, has a 1.6 code
        codes = spelled("1.6", UNREADABLE_V16)
        for entry in answers(peer, since, until=until):
            require_error(
                peer, entry, codes=codes, ids=(entry.unique_id or "",), req=UNREADABLE_V16_REQ
            )


INVALID_JSON = '[2,"rb01","Heartbeat",{'
NOT_AN_ARRAY = '{"messageTypeId":2,"messageId":"rb02","action":"Heartbeat","payload":{}}'


@oca(
    "RB_01_CS",
    "Invalid JSON",
    profile="robustness",
    versions=ALL,
    kills=("rpc-closes-on-invalid-json", "rpc-wrong-error-code"),
)
async def test_invalid_json_station(csms: CsmsPeer) -> None:
    """A text message that is not JSON: the station answers as the version says, stays connected."""
    await _unreadable(csms, INVALID_JSON)


@oca(
    "RB_01_CSMS",
    "Invalid JSON",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-closes-on-invalid-json", "csms-rpc-wrong-error-code"),
)
async def test_invalid_json_csms(station: StationPeer) -> None:
    """A text message that is not JSON: the CSMS answers as the version says, stays connected."""
    await _unreadable(station, INVALID_JSON)


@oca(
    "RB_02_CS",
    "Frame is not a JSON array",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-error-code",),
)
async def test_not_an_array_station(csms: CsmsPeer) -> None:
    """A JSON object instead of the frame array: no MessageId can be read."""
    await _unreadable(csms, NOT_AN_ARRAY)


@oca(
    "RB_02_CSMS",
    "Frame is not a JSON array",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-wrong-error-code",),
)
async def test_not_an_array_csms(station: StationPeer) -> None:
    """A JSON object instead of the frame array: no MessageId can be read."""
    await _unreadable(station, NOT_AN_ARRAY)


async def _element_count(peer: Peer) -> None:
    """A CALL without its payload element: a CALLERROR (2.x RpcFrameworkError, FormatViolation or
    ProtocolError; 1.6 FormationViolation or ProtocolError) echoing the readable id."""
    link = await begin(peer)
    uid = new_id("rb03")
    since = mark(peer)
    await peer.send_raw(json.dumps([2, uid, "Heartbeat"]))
    entry = await require_answer(peer, link, since, req=BAD_FRAME_REQ)
    require_error(
        peer, entry, codes=spelled(peer.version, BAD_FRAME), ids=(uid,), req=BAD_FRAME_REQ
    )
    require_open(peer, link, KEPT)
    await require_working(peer)


@oca(
    "RB_03_CS",
    "Wrong number of frame elements",
    profile="robustness",
    versions=ALL,
    kills=("rpc-silent-on-malformed", "rpc-wrong-id-in-error", "rpc-wrong-error-code"),
)
async def test_wrong_element_count_station(csms: CsmsPeer) -> None:
    """[2, id, action] with no payload: the station answers CALLERROR under that id."""
    await _element_count(csms)


@oca(
    "RB_03_CSMS",
    "Wrong number of frame elements",
    profile="robustness",
    versions=ALL,
    kills=(
        "csms-rpc-silent-on-malformed",
        "csms-rpc-wrong-id-in-error",
        "csms-rpc-wrong-error-code",
    ),
)
async def test_wrong_element_count_csms(station: StationPeer) -> None:
    """[2, id, action] with no payload: the CSMS answers CALLERROR under that id."""
    await _element_count(station)


async def _unknown_message_type(peer: Peer) -> None:
    """MessageTypeId 7: ignored (1.6, 2.1) or, in 2.0.1, MessageTypeNotSupported; tolerated with a
    warning: 1.6 answering NotImplemented/FormationViolation/ProtocolError, 2.1 answering the
    deprecated MessageTypeNotSupported. Any other answer, or a close, fails."""
    link = await begin(peer)
    uid = new_id("rb04")
    since = mark(peer)
    await peer.send_raw(json.dumps([7, uid, "Heartbeat", {}]))
    reaction = await react(peer, link, since, quiet_s(peer))
    if reaction.closed:
        fail(
            peer, UNKNOWN_TYPE_REQ, "the frame ignored", f"connection closed ({link.close_reason})"
        )
    require_open(peer, link, KEPT)
    until = mark(peer)
    await require_working(peer)
    for entry in answers(peer, since, until=until):
        _judge_unknown_type_answer(peer, entry, uid)


def _judge_unknown_type_answer(peer: Peer, entry: TraceEntry, uid: str) -> None:
    """2.0.1 may answer MessageTypeNotSupported (its Ed. 4 errata says ignoring was meant)."""
    version = peer.version
    mtns = error_code(ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED, version)
    if version == "2.0.1":
        require_error(peer, entry, codes=(mtns,), ids=(uid,), req=UNKNOWN_TYPE_REQ)
        return
    tolerated = (
        {"MessageTypeNotSupported"}
        if version == "2.1"
        else {"NotImplemented", "FormationViolation", "ProtocolError"}
    )
    require_error(peer, entry, codes=tolerated, ids=(uid,), req=UNKNOWN_TYPE_REQ)
    should(
        peer,
        False,
        req=UNKNOWN_TYPE_ANSWER,
        expected=f"the frame ignored, as OCPP {version} says",
        actual=describe(entry, version)
        + (" (MessageTypeNotSupported is deprecated in 2.1)" if version == "2.1" else ""),
    )


@oca(
    "RB_04_CS",
    "Unknown MessageTypeId",
    profile="robustness",
    versions=ALL,
    kills=("rpc-closes-on-unknown-message-type",),
)
async def test_unknown_message_type_station(csms: CsmsPeer) -> None:
    """[7, id, ...]: the station ignores it (2.0.1: or MessageTypeNotSupported) and stays up."""
    await _unknown_message_type(csms)


@oca(
    "RB_04_CSMS",
    "Unknown MessageTypeId",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-closes-on-unknown-message-type",),
)
async def test_unknown_message_type_csms(station: StationPeer) -> None:
    """[7, id, ...]: the CSMS ignores it (2.0.1: or MessageTypeNotSupported) and stays up."""
    await _unknown_message_type(station)
