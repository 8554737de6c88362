"""The "SUT keeps working" follow-up every robustness case ends with, using what the SUT offers.

After a probe the SUT must still do its job: answer a valid request with a CALLRESULT (Part 2
FR.02, SHALL; OCPP-J 1.6 §4.2.2, where a CALL that can be handled gets its CALLRESULT). Which
request the harness uses depends on what the SUT offers, so that one unrelated deviation fails the
one case about it, not every robustness case after it:

* a **CSMS** under test answers the harness station's Heartbeat (G02 / 1.6 §4.6; every CSMS takes
  it);
* a **station** under test is asked for a Heartbeat with TriggerMessage (F06 / 1.6 §5.17), which
  shows that it both answers and sends. TriggerMessage is optional in 1.6 (Remote Trigger profile)
  and a 2.x station may refuse a trigger, so an answer other than Accepted — Rejected,
  NotImplemented, a CALLERROR NotImplemented/NotSupported — is no failure here: the harness reads
  one value instead, with GetVariables (OCPPCommCtrlr.OfflineThreshold, a required variable; B06)
  in 2.x or GetConfiguration (1.6 §5.8, Core). A station that accepts the trigger and then sends
  no Heartbeat breaks F06 — a spec-axis warning in this case (its own cases fail it) — and is
  read the same way.

A case that cannot run without a trigger (RB_17, RB_19) asks :func:`trigger_refusal` and is
NOT-APPLICABLE with its reason when the station refuses.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from harness import CsmsPeer, StationPeer
from harness.ocppj import Direction, check
from harness.peers.exchange import CallOutcome
from harness.verdicts import Axis, SutFailure
from testcases.robustness.reactions import POLL_S, Peer, fail

WORKING = (
    "Part 2 FR.02 (SHALL; OCPP-J 1.6 §4.2.2): after the probe the SUT keeps working "
    "and answers a valid request with a CALLRESULT"
)
#: The robustness profile's own criterion (no OCPP rule forbids a close; RFC 6455 lets an endpoint
#: close at any time): a bad message must not cost the connection. FAIL, as the profile's purpose.
KEPT = "robustness (FAIL): a bad message does not cost the connection (answered or ignored)"
RECOVERY = "robustness (FAIL): after closing the connection the SUT is reachable again"
TRIGGER_REQ = "F06.FR.10 (SHALL; 1.6 §5.17): a message the station triggered as Accepted is sent"
#: The 2.x variable read where a trigger is refused: required in every station (Part 2 appendices).
READ_VARIABLE = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}


def trigger_refusal(outcome: CallOutcome) -> str | None:
    """Why the station did not accept a TriggerMessage (None: Accepted). A refusal is legal
    (F06 Rejected / NotImplemented; 1.6 TriggerMessage is an optional profile)."""
    if outcome.error is not None:
        return f"it answered TriggerMessage with CALLERROR {outcome.error.code}"
    status = outcome.get("status")
    if status != "Accepted":
        return f"it answered TriggerMessage with status {status!r}"
    return None


async def _triggered_heartbeat(peer: CsmsPeer, req: str) -> bool:
    """TriggerMessage(Heartbeat) and the Heartbeat it asks for; False where the station does not
    take the trigger (the caller then reads a value instead)."""
    outcome = await peer.call("TriggerMessage", requested_message="Heartbeat", req=req)
    refusal = trigger_refusal(outcome)
    if refusal is None and outcome.error is None:
        violation = check(peer.version, "TriggerMessage", Direction.RESPONSE, outcome.payload)
        if violation is not None:
            refusal = f"its TriggerMessage answer is not schema-valid ({violation.message})"
    if refusal is not None:
        peer.trace.event(f"follow-up: {refusal}; reading a value instead")
        return False
    try:
        beat = await peer.expect("Heartbeat", req=TRIGGER_REQ)
    except SutFailure as exc:
        peer.warn(
            Axis.SPEC,
            TRIGGER_REQ,
            f"TriggerMessage(Heartbeat) was Accepted but {exc.actual} (not judged by this case)",
        )
        return False
    if beat.held and not beat.replied:
        await beat.reply()
    return True


async def _read_value(peer: CsmsPeer, req: str) -> None:
    """GetConfiguration (1.6) / GetVariables (2.x): any schema-valid CALLRESULT will do."""
    payload: dict[str, Any]
    if peer.version == "1.6":
        action, payload = "GetConfiguration", {"key": ["HeartbeatInterval"]}
    else:
        action, payload = "GetVariables", {"getVariableData": [READ_VARIABLE]}
    outcome = await peer.call_payload(action, payload, req=req)
    outcome.must(req=req)
    violation = check(peer.version, action, Direction.RESPONSE, outcome.payload)
    if violation is not None:
        fail(peer, req, f"a schema-valid {action} answer", violation.message)


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
    if not await _triggered_heartbeat(peer, req):
        await _read_value(peer, req)


async def require_recovery(peer: Peer, link: Any, req: str = RECOVERY) -> None:
    """After the SUT closed ``link``: it is reachable again (a station reconnects, a CSMS accepts
    a new connection) and works. A device that stays away after a close is unusable; this is the
    robustness profile's own criterion (no OCPP rule), so it fails the case."""
    if isinstance(peer, StationPeer):
        try:
            if not peer.connected:
                await peer.connect(req=f"{req}: the CSMS accepts a new connection")
            await peer.ensure_ready()
        except SutFailure as failure:  # e.g. a CSMS that dies right after the handshake
            fail(peer, req, "a new connection on which the CSMS accepts a boot", failure.actual)
        await require_working(peer)
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
    await require_working(peer)
