"""OCA block B (Provisioning), OCPP 2.0.1 and 2.1: TC_B_24_CS, a reservation that outlives a
reset (B11.FR.05), with the station under test. Steps and criteria in our own words after OCPP
2.0.1 Part 6 and its errata (2025-02 §6.2.16: the reset is Immediate, a pending reservation not
being idle). It belongs to the Reservation profile: it applies where the block H cases do
(:func:`~testcases.v201.reservation_states.reservation_applies`)."""

from __future__ import annotations

from harness import CsmsPeer, oca
from harness.config import SutProfile
from testcases.v201.reservation_states import (
    RESERVATION,
    V2,
    cancel_quietly,
    in_memory,
    reservation_applies,
    reservations_enabled,
)
from testcases.v201.reset_states import connectors_after_boot, rebooted


@oca(
    "TC_B_24_CS",
    "Reset Charging Station - Reserved persists reset",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-lost-on-reboot",),
    applies=reservation_applies,
)
async def test_reset_keeps_reserved(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_24_CS (B11.FR.01/03/04/05, B01.FR.03): memory state Reserved for the first EVSE
    (a ReserveNow Accepted, its connectors reported Reserved); Reset Immediate (errata 2025-02)
    is answered Accepted; the station reboots and sends BootNotification with reason
    RemoteReset, answered Accepted; it reports that EVSE's connectors Reserved again (B11.FR.05)
    and every other connector Available. The reservation is cancelled after the case."""
    evse = sut_profile.sut.evses[0]
    await reservations_enabled(csms)
    try:
        await in_memory(csms, sut_profile, 824_24, evse_id=evse.id)
        csms.hold("BootNotification")
        reset = await csms.call("Reset", type="Immediate", req="B11.FR.01: Reset answered")
        reset.must(status="Accepted", req="B11.FR.03: Reset Immediate without transaction")
        await rebooted(csms, "RemoteReset", "B11.FR.04/B01.FR.03: BootNotification RemoteReset")
        reserved = {(evse.id, c): "Reserved" for c in range(1, evse.connectors + 1)}
        await connectors_after_boot(
            csms, sut_profile, reserved, "B11.FR.05: the reserved EVSE is Reserved after the reboot"
        )
    finally:
        await cancel_quietly(csms, (824_24,))
