"""OCPP 1.6 cable lock failures of the charge point under test (issue 14): TC_024_CS (a session
whose cable cannot be locked) and TC_030_CS (an UnlockConnector the lock does not carry out).
The 1.6 test case document is not public: the ids and titles are the catalogue's
(``harness/catalogue/ocpp16-cs.tsv``), the steps ours, after OCPP 1.6 edition 2 §4.9
(StatusNotification; Faulted: an error, not available for energy delivery; reporting an error is
a MAY), §7.6 (ChargePointErrorCode ConnectorLockFailure: locking or unlocking failed), §5.18
(the UnlockConnector.conf SHALL say whether the connector could be unlocked) and the 1.6 errata
3.87 (UnlockFailed: the charge point tried and the lock stayed locked or its mechanism failed;
NotSupported: no connector lock). 2.0.1 has no lock-failure case (TC_F_05_CS is the plain
unlock). The lock is jammed with the station SUT action ``jam_connector_lock``: a case is
NOT-APPLICABLE where the profile does not provide it, or declares a fixed cable (HFS-2,
:mod:`testcases.v16.cable`: no lock)."""

from __future__ import annotations

import contextlib

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure
from testcases.v16.cable import with_cable_lock

V16 = ("1.6",)
JAM = "jam_connector_lock"
TX_ID = 2401
#: How long TC_024_CS waits for a StartTransaction that should not come (s).
WATCH_S = 2.0
REPORTED = "1.6 §4.9 (MAY report an error), §7.6: Faulted with errorCode ConnectorLockFailure"
NO_ENERGY = "1.6 §4.9: a connector reported Faulted is not available: no transaction starts on it"
UNLOCK = "1.6 §5.18, errata 3.87: SHALL answer whether it unlocked: UnlockFailed, lock jammed"


def jam_provided(sut: SutActions) -> None:
    """NOT-APPLICABLE unless the SUT profile provides the ``jam_connector_lock`` action."""
    applicable_unless(not sut.provides(JAM), f"the SUT profile provides no {JAM!r} action")


@oca(
    "TC_024_CS",
    "Start Charging Session - Lock Failure",
    profile="core",
    versions=V16,
    kills=("cp16-lock-failure-charges",),
    applies=with_cable_lock,
)
async def test_lock_failure(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_024_CS (1.6 §4.9, §7.6): the cable lock of connector 1 jammed (SUT action), the EV is
    plugged in and the valid idTag presented (authorized). The charge point cannot lock the
    cable: it reports connector 1 Faulted with errorCode ConnectorLockFailure (§4.9 MAY: a
    warning when it does not) and, having reported it Faulted, starts no transaction on it
    within 2 s (§4.9 Faulted: not available for energy delivery). After: the lock repaired, the
    EV unplugged, connector 1 Available (any transaction started anyway is stopped first)."""
    jam_provided(sut)
    tag = sut_profile.sut.tokens.valid
    csms.hold("StartTransaction")
    faulted: InboundCall | None = None
    start: InboundCall | None = None
    try:
        await sut.jam_connector_lock(evse_id=1, jammed=True)
        await sut.plug_in(evse_id=1)
        await sut.present_token(tag)
        with contextlib.suppress(SutFailure):
            faulted = await csms.expect(
                "StatusNotification", connector_id=1, status="Faulted", within_s=csms.action_s
            )
        code = faulted.get("errorCode") if faulted is not None else None
        should(
            csms,
            code == "ConnectorLockFailure",
            req=REPORTED,
            expected="StatusNotification Faulted, errorCode ConnectorLockFailure",
            actual=f"errorCode {code!r}" if faulted is not None else "no Faulted report",
        )
        with contextlib.suppress(SutFailure):
            start = await csms.expect("StartTransaction", connector_id=1, within_s=WATCH_S)
        if start is not None:
            await start.reply(transaction_id=TX_ID, id_tag_info={"status": "Accepted"})
            await sut.present_token(tag)
            await csms.expect("StopTransaction", transaction_id=TX_ID, req="1.6 §4.10: stopped")
        require(
            start is None or faulted is None,
            req=NO_ENERGY,
            expected=f"no StartTransaction within {WATCH_S:g} s of the Faulted report",
            actual=f"StartTransaction {dict(start.payload) if start else {}!r}"[:300],
        )
    finally:
        await sut.jam_connector_lock(evse_id=1, jammed=False)
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


@oca(
    "TC_030_CS",
    "Unlock Connector - Unlock Failure",
    profile="core",
    versions=V16,
    kills=("cp16-unlock-jammed-unlocked",),
    applies=with_cable_lock,
)
async def test_unlock_failure(csms: CsmsPeer, sut: SutActions) -> None:
    """TC_030_CS (1.6 §5.18, errata 3.87; the idle unlock of TC_017_1_CS with a jammed lock):
    the cable lock of connector 1 jammed (SUT action), the harness sends UnlockConnector for
    connector 1. The charge point tries and the lock stays locked: UnlockFailed (§5.18 SHALL say
    whether it could unlock; errata 3.87: UnlockFailed is that answer). NotSupported means it
    has no connector lock (errata 3.87): NOT-APPLICABLE. After: the lock repaired."""
    jam_provided(sut)
    try:
        await sut.jam_connector_lock(evse_id=1, jammed=True)
        result = await csms.call("UnlockConnector", connector_id=1)
        status = result.must(req="1.6 §5.18: SHALL answer UnlockConnector").get("status")
        applicable_unless(status == "NotSupported", "NotSupported: the charge point has no lock")
        require(
            status == "UnlockFailed",
            req=UNLOCK,
            expected="status UnlockFailed",
            actual=f"status {status!r}",
        )
    finally:
        await sut.jam_connector_lock(evse_id=1, jammed=False)
