"""OCPP 1.6 UnlockConnector on a charge point with a fixed cable (test case document section 07
unlocking): TC_017_2_CS and TC_018_2_CS, the fixed-cable twins of TC_017_1_CS and TC_018_1_CS.
They apply to a profile that declares a fixed cable (``HFS-2`` in ``sut.features``,
:mod:`testcases.v16.cable`). The 1.6 test case document is not public: steps and criteria in our
own words after OCPP 1.6 edition 2 §5.18 (UnlockConnector.conf SHALL say whether the connector
was unlocked; a transaction on it SHALL be finished first) and errata 3.87 (NotSupported: the
charge point has no connector lock; UnlockFailed is for a lock that was tried and failed)."""

from __future__ import annotations

import contextlib

from harness import CsmsPeer, SutActions, oca
from harness.checks import require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure
from testcases.v16.cable import with_fixed_cable
from testcases.v16.states import charging

V16 = ("1.6",)
#: What the fault ``cp16-fixed-cable-unlocked`` fails on.
NOTHING_TO_UNLOCK = "1.6 §5.18, errata 3.87: a fixed cable has no lock to unlock"
NOT_SUPPORTED = "errata 3.87: NotSupported is the answer of a charge point without a lock"
FINISHED_FIRST = "1.6 §5.18: a transaction on the connector is finished first"


def _no_unlock(csms: CsmsPeer, status: object) -> None:
    """The answer of a fixed cable: never Unlocked (§5.18: it SHALL say whether it unlocked,
    and nothing could be); NotSupported, not UnlockFailed (errata 3.87: a warning)."""
    require(
        status != "Unlocked",
        req=NOTHING_TO_UNLOCK,
        expected="NotSupported (no connector lock)",
        actual=f"status {status!r}",
    )
    should(
        csms,
        status == "NotSupported",
        req=NOT_SUPPORTED,
        expected="status NotSupported",
        actual=f"status {status!r}",
    )


@oca(
    "TC_017_2_CS",
    "Unlock connector - no session (Fixed cable)",
    profile="core",
    versions=V16,
    kills=("cp16-fixed-cable-unlocked",),
    applies=with_fixed_cable,
)
async def test_unlock_fixed_cable_idle(csms: CsmsPeer) -> None:
    """TC_017_1_CS on a fixed cable: UnlockConnector for connector 1 without a transaction. The
    charge point has no lock to unlock: the answer is not Unlocked (§5.18), and NotSupported
    (errata 3.87; UnlockFailed a warning)."""
    result = await csms.call("UnlockConnector", connector_id=1)
    _no_unlock(csms, result.must(req="1.6 §5.18: SHALL answer UnlockConnector").get("status"))


@oca(
    "TC_018_2_CS",
    "Unlock Connector - With Charging Session (Fixed cable)",
    profile="core",
    versions=V16,
    kills=("cp16-fixed-cable-unlocked",),
    applies=with_fixed_cable,
)
async def test_unlock_fixed_cable_charging(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_018_1_CS on a fixed cable: connector 1 charging, UnlockConnector for it. The answer
    is not Unlocked (§5.18) and NotSupported (errata 3.87, a warning otherwise). §5.18 has the
    transaction finished before the connector is unlocked; with no lock to unlock, whether a
    fixed cable stops the transaction is read as a warning only (StopTransaction within the
    action time, reason UnlockCommand). After: a transaction still running is stopped with the
    idTag, the EV unplugged, connector 1 Available."""
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(csms, sut, sut_profile)
    result = await csms.call("UnlockConnector", connector_id=1)
    _no_unlock(csms, result.must(req="1.6 §5.18: SHALL answer UnlockConnector").get("status"))
    stop: InboundCall | None = None
    with contextlib.suppress(SutFailure):
        stop = await csms.expect("StopTransaction", transaction_id=tx_id, within_s=csms.action_s)
    should(
        csms,
        stop is not None and stop.get("reason") == "UnlockCommand",
        req=FINISHED_FIRST,
        expected="StopTransaction, reason UnlockCommand",
        actual=f"reason {stop.get('reason')!r}" if stop is not None else "the transaction goes on",
    )
    if stop is None:
        await sut.present_token(tag)
        await csms.expect("StopTransaction", transaction_id=tx_id, req="1.6 §4.10: stopped")
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )
