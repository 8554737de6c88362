"""Steps of the reset cases with the 2.x station under test (B11/B12: TC_B_20-24_CS, in
:mod:`.test_b_provisioning` and :mod:`.test_b_reset_reserved`): the BootNotification after the
reset and the connectors' states once it is Accepted."""

from __future__ import annotations

from collections.abc import Mapping

from harness import CsmsPeer
from harness.checks import require_fields
from harness.config import SutProfile
from testcases.v201.states import connector_status


async def connectors_after_boot(
    csms: CsmsPeer, profile: SutProfile, special: Mapping[tuple[int, int], str], req: str
) -> None:
    """Every connector's state once the boot is Accepted: ``special`` ones as given, the others
    Available (a StatusNotification or the NotifyEvent of its AvailabilityState)."""
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            status = special.get((evse.id, connector), "Available")
            await connector_status(
                csms,
                evse_id=evse.id,
                connector_id=connector,
                status=status,
                req=f"{req} ({evse.id}/{connector} {status})",
            )


async def rebooted(csms: CsmsPeer, reason: str, req: str) -> None:
    """The BootNotification after a reset, with ``reason``, answered Accepted (it is held)."""
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s,
        req="B11.FR.03/B01.FR.03: the station reboots and sends BootNotification",
    )
    await boot.reply(status="Accepted", interval=300)
    require_fields(boot.payload, reason=reason, req=req)
