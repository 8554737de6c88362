"""Robustness RB_14-RB_16: WebSocket messages OCPP-J cannot carry, both roles, 1.6/2.0.1/2.1.

Our own cases beyond the OCA catalogue (profile ``robustness``). OCPP-J messages are JSON text
(OCPP-J 1.6 §4, OCPP 2.0.1/2.1 Part 4 §4), so here the WebSocket layer may legitimately end the
connection (RFC 6455 §7.4.1: 1003 for a data type the endpoint cannot accept, 1007 for text that
is not UTF-8 — which §8.1 even requires — and 1009 for a message too big to process). What the
cases accept:

* binary frame (RB_14): a CALLERROR (as for a malformed frame) under the CALL's id or ``-1``, no
  answer, or a close with 1003; a CALLRESULT passes with a warning (the text rule was bent);
* invalid UTF-8 (RB_15): a close with 1007; keeping the connection (silent, or a CALLERROR) passes
  with a warning, as RFC 6455 §8.1 says the connection MUST be failed;
* oversized message (RB_16, 2 MiB): an answer to the CALL (CALLRESULT, or a CALLERROR with a code
  of the version: no code is defined for size), or a close with 1009.

Never: another close code, a drop without close frame, no way back. After a close a station under
test connects again and a CSMS under test accepts a new connection; either way it then works.
"""

from __future__ import annotations

import json

from harness import CsmsPeer, StationPeer, oca
from harness.config import Role
from harness.ocppj import MessageType, valid_codes
from harness.verdicts import Axis
from testcases.robustness.probes import ALL, BAD_FRAME, OVERSIZE_BYTES, probes, spelled
from testcases.robustness.reactions import (
    Peer,
    Reaction,
    answers,
    begin,
    describe,
    fail,
    mark,
    new_id,
    quiet_s,
    react,
    require_error,
    require_open,
    require_recovery,
    require_working,
    send_message,
)

BINARY_REQ = "Part 4 §4 (1.6 §4): OCPP-J is JSON text; RFC 6455 §7.4.1: close 1003 or refuse it"
UTF8_REQ = "RFC 6455 §8.1/§7.4.1: text that is not UTF-8 fails the connection with 1007"
OVERSIZE_REQ = "RFC 6455 §7.4.1: an oversized message is answered or refused with close 1009"


def _benign_text(peer: Peer, uid: str) -> str:
    role = Role.CHARGING_STATION if isinstance(peer, CsmsPeer) else Role.CSMS
    benign = probes(role, peer.version).benign
    return json.dumps([2, uid, benign.action, benign.payload])


def _closed_with(peer: Peer, reaction: Reaction, code: int, req: str) -> None:
    """The SUT closed the connection with a close frame carrying ``code``."""
    if reaction.close_code != code:
        got = (
            "no close frame (connection dropped)"
            if reaction.close_code is None
            else f"close code {reaction.close_code}"
        )
        fail(peer, req, f"a close frame with code {code}", got)


async def _binary(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb14")
    since = mark(peer)
    await peer.send_raw(_benign_text(peer, uid).encode())
    reaction = await react(peer, link, since, quiet_s(peer))
    if reaction.closed:
        _closed_with(peer, reaction, 1003, BINARY_REQ)
        await require_recovery(peer, link, BINARY_REQ)
        return
    require_open(peer, link, BINARY_REQ)
    until = mark(peer)
    await require_working(peer)
    for entry in answers(peer, since, until=until):
        if entry.message_type == MessageType.CALLRESULT and entry.unique_id == uid:
            peer.warn(
                Axis.SPEC, BINARY_REQ, "the SUT took a binary frame as a CALL and answered it"
            )
            continue
        codes = spelled(peer.version, BAD_FRAME)
        require_error(peer, entry, codes=codes, ids=(uid, "-1"), req=BINARY_REQ)


@oca(
    "RB_14_CS",
    "Binary WebSocket frame",
    profile="robustness",
    versions=ALL,
    kills=("rpc-drops-on-binary",),
)
async def test_binary_frame_station(csms: CsmsPeer) -> None:
    """A CALL in a binary frame: refused (CALLERROR, ignored or close 1003), never a dropped link."""
    await _binary(csms)


@oca(
    "RB_14_CSMS",
    "Binary WebSocket frame",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-drops-on-binary",),
)
async def test_binary_frame_csms(station: StationPeer) -> None:
    """A CALL in a binary frame: refused (CALLERROR, ignored or close 1003), never a dropped link."""
    await _binary(station)


async def _invalid_utf8(peer: Peer) -> None:
    link = await begin(peer)
    uid = new_id("rb15")
    data = b'[2,"' + uid.encode() + b'","Heartbeat",{"note":"\xc3\x28"}]'
    since = mark(peer)
    note = f"a text frame that is not UTF-8 (unique id {uid}): {data.hex()}"
    await send_message(peer, link, data, text=True, note=note)
    reaction = await react(peer, link, since, quiet_s(peer))
    if reaction.closed:
        _closed_with(peer, reaction, 1007, UTF8_REQ)
        await require_recovery(peer, link, UTF8_REQ)
        return
    peer.warn(Axis.SPEC, UTF8_REQ, "the SUT kept the connection after text that is not UTF-8")
    require_open(peer, link, UTF8_REQ)
    until = mark(peer)
    await require_working(peer)
    for entry in answers(peer, since, until=until):
        if entry.message_type != MessageType.CALLRESULT:
            codes = spelled(peer.version, BAD_FRAME)
            require_error(peer, entry, codes=codes, ids=(uid, "-1"), req=UTF8_REQ)


@oca(
    "RB_15_CS",
    "Invalid UTF-8 in a text frame",
    profile="robustness",
    versions=ALL,
    kills=("rpc-crashes-on-invalid-utf8",),
)
async def test_invalid_utf8_station(csms: CsmsPeer) -> None:
    """A text frame with an invalid UTF-8 sequence: close 1007, and the station connects again."""
    await _invalid_utf8(csms)


@oca(
    "RB_15_CSMS",
    "Invalid UTF-8 in a text frame",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-crashes-on-invalid-utf8",),
)
async def test_invalid_utf8_csms(station: StationPeer) -> None:
    """A text frame with an invalid UTF-8 sequence: close 1007, and the CSMS takes a new
    connection."""
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
        _closed_with(peer, reaction, 1009, OVERSIZE_REQ)
        await require_recovery(peer, link, OVERSIZE_REQ)
        return
    if not reaction.answers:
        fail(peer, OVERSIZE_REQ, "an answer to the CALL, or a close with 1009", "neither")
    entry = reaction.answers[0]
    if entry.message_type == MessageType.CALLERROR:
        code = (entry.payload or {}).get("errorCode")
        if code not in valid_codes(peer.version):
            fail(peer, OVERSIZE_REQ, f"an error code of OCPP {peer.version}", describe(entry))
    elif entry.message_type != MessageType.CALLRESULT:
        fail(peer, OVERSIZE_REQ, "a CALLRESULT or CALLERROR", describe(entry))
    require_open(peer, link, OVERSIZE_REQ)
    await require_working(peer)


@oca(
    "RB_16_CS",
    "Oversized message",
    profile="robustness",
    versions=ALL,
    kills=("rpc-crashes-on-oversized",),
)
async def test_oversized_message_station(csms: CsmsPeer) -> None:
    """A 2 MiB CALL: answered, or refused with close 1009 after which the station reconnects."""
    await _oversized(csms)


@oca(
    "RB_16_CSMS",
    "Oversized message",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-crashes-on-oversized",),
)
async def test_oversized_message_csms(station: StationPeer) -> None:
    """A 2 MiB CALL: answered, or refused with close 1009 after which the CSMS takes a new
    connection."""
    await _oversized(station)
