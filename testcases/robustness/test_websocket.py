"""Robustness RB_14-RB_16: WebSocket messages OCPP-J cannot carry, both roles, 1.6/2.0.1/2.1.

Our own cases beyond the OCA catalogue (profile ``robustness``). OCPP-J messages are JSON text
(OCPP-J 1.6 §4, OCPP 2.0.1/2.1 Part 4 §4), so here the WebSocket layer may legitimately end the
connection. What the cases accept, and how strong each rule is:

* binary frame (RB_14): a CALLERROR (as for a malformed frame) under the CALL's id or ``-1``, no
  answer, or a close; a CALLRESULT passes with a warning (the text rule was bent);
* invalid UTF-8 (RB_15): the SUT MUST fail the connection (RFC 6455 §8.1): keeping it open FAILS,
  whatever it answers;
* oversized message (RB_16, 2 MiB): an answer to the CALL (CALLRESULT, or a CALLERROR with a code
  of the version: no code is defined for size), or a close.

How a close looks is graded as RFC 6455 grades it: the code (1003 for a data type the endpoint
cannot accept, 1007 for text that is not UTF-8, 1009 for a message too big) is one an endpoint MAY
use (§7.4.1), and the close frame one it SHOULD send before it ends the connection (§7.1.7): either
missing is a spec-axis warning, never a FAIL. After a close a station under test connects again
and a CSMS under test accepts a new connection; either way it then works (the profile's own
criterion: FAIL).
"""

from __future__ import annotations

import json

from harness import CsmsPeer, StationPeer, oca
from harness.checks import should
from harness.config import Role
from harness.ocppj import MessageType, valid_codes
from testcases.robustness.follow_up import KEPT, require_recovery, require_working
from testcases.robustness.probes import ALL, BAD_FRAME, OVERSIZE_BYTES, probes, spelled
from testcases.robustness.reactions import (
    Peer,
    answers,
    begin,
    closed_within,
    describe,
    fail,
    judge_close,
    mark,
    new_id,
    quiet_s,
    react,
    require_error,
    require_open,
    send_message,
)

BINARY_REQ = (
    "Part 4/1.6 §4.1.2: OCPP-J is JSON text; Part 2 FR.03 (SHALL), §4.1.4 (MUST): a binary "
    "message gets a CALLERROR under its id or -1, is ignored, or the connection closed"
)
BINARY_ANSWERED = (
    "Part 4/OCPP-J 1.6 §4.1.2 (MUST, for the sender): OCPP-J messages are UTF-8 JSON text; "
    "a binary message is not taken as a CALL"
)
UTF8_REQ = "RFC 6455 §8.1 (MUST): text that is not UTF-8 fails the WebSocket connection"
OVERSIZE_REQ = (
    "Part 2 FR.02/FR.03 (SHALL), Part 4 §4.3 (MUST: a code of the table): an oversized message is "
    "answered, or the connection closed"
)


def _benign_text(peer: Peer, uid: str) -> str:
    role = Role.CHARGING_STATION if isinstance(peer, CsmsPeer) else Role.CSMS
    benign = probes(role, peer.version).benign
    return json.dumps([2, uid, benign.action, benign.payload])


async def _binary(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb14")
    since = mark(peer)
    await peer.send_raw(_benign_text(peer, uid).encode())
    reaction = await react(peer, link, since, quiet_s(peer))
    if reaction.closed:
        judge_close(peer, reaction, 1003, "a data type the endpoint cannot accept")
        await require_recovery(peer, link)
        return
    require_open(peer, link, KEPT)
    until = mark(peer)
    await require_working(peer)
    for entry in answers(peer, since, until=until):
        if entry.message_type == MessageType.CALLRESULT and entry.unique_id == uid:
            should(
                peer,
                False,
                req=BINARY_ANSWERED,
                expected="the binary message refused (CALLERROR, ignored or close 1003)",
                actual="the SUT took it as a CALL and answered it with a CALLRESULT",
            )
            continue
        codes = spelled(peer.version, BAD_FRAME)
        require_error(peer, entry, codes=codes, ids=(uid, "-1"), req=BINARY_REQ)


@oca(
    "RB_14_CS",
    "Binary WebSocket frame",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-id-in-error", "rpc-wrong-error-code"),
)
async def test_binary_frame_station(csms: CsmsPeer) -> None:
    """A CALL in a binary frame: refused (CALLERROR, ignored or a close), then the station works;
    a close without close frame or with another code than 1003 is only warned about."""
    await _binary(csms)


@oca(
    "RB_14_CSMS",
    "Binary WebSocket frame",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-wrong-id-in-error", "csms-rpc-wrong-error-code"),
)
async def test_binary_frame_csms(station: StationPeer) -> None:
    """A CALL in a binary frame: refused (CALLERROR, ignored or a close), then the CSMS works;
    a close without close frame or with another code than 1003 is only warned about."""
    await _binary(station)


async def _invalid_utf8(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb15")
    data = b'[2,"' + uid.encode() + b'","Heartbeat",{"note":"\xc3\x28"}]'
    since = mark(peer)
    note = f"a text frame that is not UTF-8 (unique id {uid}): {data.hex()}"
    await send_message(peer, link, data, text=True, note=note)
    reaction = await closed_within(link, peer.response_s)
    if not reaction.closed:
        got = answers(peer, since)
        fail(
            peer,
            UTF8_REQ,
            f"the connection failed within {peer.response_s:g} s (close code 1007)",
            "the connection kept open"
            + (f"; the SUT answered: {describe(got[0], peer.version)}" if got else ""),
        )
    judge_close(peer, reaction, 1007, "text that is not UTF-8")
    await require_recovery(peer, link)


@oca(
    "RB_15_CS",
    "Invalid UTF-8 in a text frame",
    profile="robustness",
    versions=ALL,
    kills=("rpc-crashes-on-invalid-utf8",),
)
async def test_invalid_utf8_station(csms: CsmsPeer) -> None:
    """A text frame with an invalid UTF-8 sequence: the station fails the connection (close 1007
    is the code to use, a warning otherwise) and connects again."""
    await _invalid_utf8(csms)


@oca(
    "RB_15_CSMS",
    "Invalid UTF-8 in a text frame",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-crashes-on-invalid-utf8",),
)
async def test_invalid_utf8_csms(station: StationPeer) -> None:
    """A text frame with an invalid UTF-8 sequence: the CSMS fails the connection (close 1007
    is the code to use, a warning otherwise) and takes a new connection."""
    await _invalid_utf8(station)


async def _oversized(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb16")
    payload = {"vendorId": "org.ocpp-harness.robustness", "data": "x" * OVERSIZE_BYTES}
    text = json.dumps([2, uid, "DataTransfer", payload])
    since = mark(peer)
    note = f"a DataTransfer CALL of {len(text) // 1024} KiB (unique id {uid})"
    await send_message(peer, link, text, text=True, note=note)
    reaction = await react(peer, link, since, 2 * peer.response_s, ids=(uid,))
    if reaction.closed:
        judge_close(peer, reaction, 1009, "a message too big to process")
        await require_recovery(peer, link)
        return
    if not reaction.answers:
        fail(peer, OVERSIZE_REQ, "an answer to the CALL, or a close with 1009", "neither")
    entry = reaction.answers[0]
    if entry.message_type == MessageType.CALLERROR:
        code = (entry.payload or {}).get("errorCode")
        if code not in valid_codes(peer.version):
            expected = f"an error code of OCPP {peer.version}"
            fail(peer, OVERSIZE_REQ, expected, describe(entry, peer.version))
    elif entry.message_type != MessageType.CALLRESULT:
        fail(peer, OVERSIZE_REQ, "a CALLRESULT or CALLERROR", describe(entry, peer.version))
    require_open(peer, link, KEPT)
    await require_working(peer)


@oca(
    "RB_16_CS",
    "Oversized message",
    profile="robustness",
    versions=ALL,
    kills=("rpc-crashes-on-oversized",),
)
async def test_oversized_message_station(csms: CsmsPeer) -> None:
    """A 2 MiB CALL: answered, or refused with a close (1009, else a warning) after which the
    station reconnects."""
    await _oversized(csms)


@oca(
    "RB_16_CSMS",
    "Oversized message",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-crashes-on-oversized",),
)
async def test_oversized_message_csms(station: StationPeer) -> None:
    """A 2 MiB CALL: answered, or refused with a close (1009, else a warning) after which the
    CSMS takes a new connection."""
    await _oversized(station)
