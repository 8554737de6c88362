"""OCPP 1.6 reservations the charge point under test does not accept (test case document section
21: TC_048_4_CS, TC_050_4_CS). The 1.6 test case document is not public: the ids and titles are
the catalogue's, the steps ours, after OCPP 1.6 edition 2 §5.13 (ReserveNow: Rejected when the
charge point is configured not to accept reservations; for connector 0 also when
ReserveConnectorZeroSupported is not set or false), §7.40 (ReservationStatus) and §9.3.1.

1.6 names no configuration key that turns reservations off: the setting is the charge point's
own, made with the station SUT action ``refuse_reservations`` (and undone after the case). A
case that needs it is NOT-APPLICABLE where the profile does not provide it. Like the other
reservation cases (:mod:`.test_reservation`) they need the Reservation feature profile claimed.
"""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require
from testcases.v16.auth_states import V16, read_keys
from testcases.v16.reservation_states import RESERVES, cancel_quietly, reserve

PROFILE = "reservation"
REFUSE = "refuse_reservations"
REFUSED = "1.6 §5.13: Rejected when configured not to accept reservations"
NO_ZERO = "1.6 §5.13, §9.3.1: Rejected for connector 0 without ReserveConnectorZeroSupported"


def _rejected(status: str, req: str) -> None:
    require(status == "Rejected", req=req, expected="Rejected", actual=status)


async def _refused(csms: CsmsPeer, sut: SutActions, reservation_id: int, connector: int) -> None:
    """The charge point set to refuse reservations (SUT action), ReserveNow for ``connector``
    with the profile's valid idTag: Rejected. Afterwards the setting undone and whatever was
    reserved anyway cancelled."""
    applicable_unless(not sut.provides(REFUSE), f"the SUT profile provides no {REFUSE!r} action")
    try:
        await sut.refuse_reservations(refused=True)
        status = await reserve(csms, reservation_id, connector, sut.valid_token)
        _rejected(status, REFUSED)
    finally:
        await sut.refuse_reservations(refused=False)
        await cancel_quietly(csms, reservation_id)


@oca(
    "TC_048_4_CS",
    "Reservation of a Connector - Rejected",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-refused-accepted",),
    applies=RESERVES,
)
async def test_reserve_connector_rejected(csms: CsmsPeer, sut: SutActions) -> None:
    """No 2.0.1 case has these steps (2.0.1 has no Rejected for a reservation the station
    refuses by configuration). §5.13, §7.40: with the charge point configured not to accept
    reservations, a ReserveNow for connector 1 (Available) is answered Rejected."""
    await _refused(csms, sut, 484, 1)


@oca(
    "TC_050_4_CS",
    "Reservation of a Charge Point - Rejected",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-refused-accepted",),
    applies=RESERVES,
)
async def test_reserve_charge_point_rejected(csms: CsmsPeer, sut: SutActions) -> None:
    """No 2.0.1 case has these steps. §5.13, §9.3.1: a ReserveNow for connector 0 is Rejected by
    a charge point without ReserveConnectorZeroSupported (absent or false; read-only, so the
    charge point's own choice), and by one configured not to accept reservations (the SUT
    action; the path taken when the key is true)."""
    value = (await read_keys(csms, "ReserveConnectorZeroSupported"))[
        "ReserveConnectorZeroSupported"
    ]
    if (value or "").lower() != "true":
        try:
            _rejected(await reserve(csms, 504, 0, sut.valid_token), NO_ZERO)
        finally:
            await cancel_quietly(csms, 504)
        return
    await _refused(csms, sut, 505, 0)
