"""OCPP 1.6 power failure of the charge point under test (test case document section 14:
TC_032_1_CS, TC_032_2_CS, TC_034_CS). The 1.6 test case document is not public: steps and
criteria in our own words after OCPP 1.6 edition 2 §4.2, §4.10, §5.2 (persistent availability)
and §7.36 (reason PowerLoss). The power failure is the ``reboot`` SUT action (a power cycle).

Whether a charge point stops its transactions before going down (it has the power to) or after
it is back (from what it kept) is its design: TC_032_1_CS is NOT-APPLICABLE to one that stops
after, TC_032_2_CS to one that stops before. Either way the transaction's StopTransaction must
come (§4.10 SHALL); its reason SHOULD be PowerLoss."""

from __future__ import annotations

import contextlib

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure
from testcases.v16.states import charging, drain

V16 = ("1.6",)
STOPPED = "1.6 §4.10: StopTransaction for the transaction the power failure ended"


async def _power_failure(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> tuple[InboundCall, bool]:
    """Charging, then a power cycle. The BootNotification after it is held: anything received
    before it was sent before the charge point went down (§4.2: nothing precedes an answered
    boot). Returns the StopTransaction and whether it came before the reboot."""
    tx_id = await charging(csms, sut, sut_profile)
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s * 2, req="1.6 §4.2: BootNotification at boot"
    )
    before: InboundCall | None = None
    with contextlib.suppress(SutFailure):
        before = await csms.expect("StopTransaction", transaction_id=tx_id, within_s=0.05)
    await boot.reply(status="Accepted", interval=300)
    stop = before or await csms.expect(
        "StopTransaction", transaction_id=tx_id, within_s=csms.action_s, req=STOPPED
    )
    should(
        csms,
        stop.get("reason") == "PowerLoss",
        req="1.6 §7.36: reason PowerLoss",
        expected="PowerLoss",
        actual=repr(stop.get("reason")),
    )
    await sut.unplug(evse_id=1)
    return stop, before is not None


@oca(
    "TC_032_1_CS",
    "Power failure - stop transaction(s) before going down",
    profile="core",
    versions=V16,
    kills=("cp16-power-loss-forgets-transaction",),
)
async def test_power_failure_stop_before(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps. A power failure during a transaction: the charge point
    sends its StopTransaction before going down (NOT-APPLICABLE when it sends it after the
    reboot: TC_032_2_CS), then boots again."""
    _, before = await _power_failure(csms, sut, sut_profile)
    applicable_unless(not before, "the charge point stops its transactions after the reboot")


@oca(
    "TC_032_2_CS",
    "Power failure - stop transaction(s) after going down",
    profile="core",
    versions=V16,
    kills=("cp16-power-loss-forgets-transaction",),
)
async def test_power_failure_stop_after(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps. A power failure during a transaction: the charge point
    goes down without stopping it and, accepted again after the reboot, sends its
    StopTransaction (NOT-APPLICABLE when it stops before going down: TC_032_1_CS)."""
    _, before = await _power_failure(csms, sut, sut_profile)
    applicable_unless(before, "the charge point stops its transactions before going down")


@oca(
    "TC_034_CS",
    "Power Failure with Unavailable Status",
    profile="core",
    versions=V16,
    kills=("cp16-unavailable-forgotten-on-reboot",),
)
async def test_power_failure_unavailable(csms: CsmsPeer, sut: SutActions) -> None:
    """No 2.0.1 case has the same steps (TC_G_xx set availability). §5.2: connector 1 made
    Unavailable (ChangeAvailability Inoperative) stays Unavailable through a power failure: the
    first status it reports after the boot is Unavailable. Made Operative again at the end."""
    changed = await csms.call("ChangeAvailability", connector_id=1, type="Inoperative")
    changed.must(status="Accepted", req="1.6 §5.2: ChangeAvailability Accepted")
    try:
        await csms.expect(
            "StatusNotification", connector_id=1, status="Unavailable", req="1.6 §5.2: Unavailable"
        )
        csms.hold("BootNotification")
        await sut.reboot()
        boot = await csms.expect(
            "BootNotification",
            within_s=csms.action_s * 2,
            req="1.6 §4.2: BootNotification at boot",
        )
        await drain(csms, "StatusNotification")  # sent before going down
        await boot.reply(status="Accepted", interval=300)
        status = await csms.expect(
            "StatusNotification", connector_id=1, req="1.6 §4.9: connector status after boot"
        )
        require(
            status.get("status") == "Unavailable",
            req="1.6 §5.2: Unavailable persists through a reboot",
            expected="Unavailable",
            actual=repr(status.get("status")),
            frames=status.link.trace.render(last=12),
        )
    finally:
        back = await csms.call("ChangeAvailability", connector_id=1, type="Operative")
        back.must(req="1.6 §5.2: ChangeAvailability answered")
