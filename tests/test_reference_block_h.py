"""The reference station's block H (harness/reference/station/block_h.py) beyond what the OCA
cases drive: unspecified reservations keep as many EVSEs free as they are (H01.FR.07), the
Reserved status of specific and unspecified reservations (H01.FR.20/23), a replaced reservation
(H01.FR.02), the expiry's ReservationStatusUpdate (H04.FR.01), a connectorType reservation and the
legal variant ``reservation-evse-specific-only`` (Rejected, H01.FR.19)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from harness.reference.station.block_h import SPECIFIC_ONLY, Reservations
from harness.reference.station.devmodel import DeviceModel
from harness.reference.station.model import Hardware, Outgoing, Reply, Transaction
from harness.reference.station.v2 import V2
from harness.reference.variants import Seeded


class _Station:
    def __init__(self, variants: frozenset[str]) -> None:
        self.faults: frozenset[str] = frozenset()
        self.variants = Seeded(variants)
        self.sent: list[Outgoing] = []
        self.refreshed = 0

    def send(self, item: Outgoing) -> None:
        self.sent.append(item)

    def refresh_status(self) -> None:
        self.refreshed += 1


class _Tx:
    def __init__(self) -> None:
        self.tx: dict[int, Transaction] = {}
        self.held: dict[int, Any] = {}


class _V2:
    """What Reservations uses of the 2.x behaviour: station, hardware, transactions, variables."""

    def __init__(self, variants: frozenset[str]) -> None:
        self.st = _Station(variants)
        self.hw = Hardware(((1, 1), (2, 1)))
        self.txe = _Tx()
        self.dm: DeviceModel


def _block(variants: frozenset[str] = frozenset()) -> tuple[Reservations, _V2]:
    fake = _V2(variants)
    block = Reservations(cast(V2, fake))
    fake.dm = DeviceModel(block.variables(), frozenset())
    return block, fake


def _reserve(block: Reservations, rid: int, token: str, hold_s: float = 600, **extra: Any) -> str:
    expiry = (datetime.now(UTC) + timedelta(seconds=hold_s)).isoformat()
    payload = {"id": rid, "expiryDateTime": expiry, "idToken": {"idToken": token, "type": "Local"}}
    handlers = block.handlers({"ChangeAvailability": lambda p: Reply({"status": "Accepted"})})
    return str(handlers["ReserveNow"]({**payload, **extra}).payload["status"])


def _status(block: Reservations, fake: _V2, evse_id: int) -> str:
    return block.status(fake.hw.connector(evse_id, 1), "Available")


async def test_unspecified_reservations_keep_evses_free() -> None:
    """H01.FR.07: one unspecified reservation on a two-EVSE station lets another idToken charge
    on EVSE 1, but not on EVSE 2 once EVSE 1 is in use; its own idToken may, and uses it."""
    block, fake = _block()
    assert _reserve(block, 1, "A") == "Accepted"
    assert block.admits(1, "B", None)
    fake.txe.tx[1] = Transaction(1, None)
    assert not block.admits(2, "B", None)
    assert block.admits(2, "A", None)
    assert block.claim(2, "A", None) == 1
    assert not block.held


async def test_reserved_status_specific_and_unspecified() -> None:
    """H01.FR.23: a specific reservation shows its EVSE Reserved, not the other; H01.FR.20: two
    unspecified ones on two EVSEs show both Reserved, one does not."""
    block, fake = _block()
    assert _reserve(block, 1, "A", evseId=1) == "Accepted"
    assert (_status(block, fake, 1), _status(block, fake, 2)) == ("Reserved", "Available")
    block, fake = _block()
    assert _reserve(block, 1, "A") == "Accepted"
    assert _status(block, fake, 1) == "Available"
    assert _reserve(block, 2, "B") == "Accepted"
    assert (_status(block, fake, 1), _status(block, fake, 2)) == ("Reserved", "Reserved")
    assert _reserve(block, 3, "C") == "Occupied"  # H01.FR.11: every EVSE taken


async def test_replaced_reservation_moves() -> None:
    """H01.FR.02: the same id for EVSE 2 replaces the reservation of EVSE 1."""
    block, fake = _block()
    assert _reserve(block, 7, "A", evseId=1) == "Accepted"
    assert _reserve(block, 7, "B", evseId=2) == "Accepted"
    assert (_status(block, fake, 1), _status(block, fake, 2)) == ("Available", "Reserved")
    assert len(block.held) == 1


async def test_expiry_sends_expired() -> None:
    """H04.FR.01: at the expiryDateTime a ReservationStatusUpdate Expired, the EVSE free."""
    block, fake = _block()
    assert _reserve(block, 9, "A", hold_s=0.05, evseId=1) == "Accepted"
    await asyncio.sleep(0.3)
    (update,) = [o for o in fake.st.sent if o.action == "ReservationStatusUpdate"]
    assert update.build() == {"reservationId": 9, "reservationUpdateStatus": "Expired"}
    assert _status(block, fake, 1) == "Available"


@pytest.mark.parametrize("variants", [frozenset(), frozenset({SPECIFIC_ONLY})])
async def test_rejected_reservations(variants: frozenset[str]) -> None:
    """A connectorType no connector has is Rejected, the one they have Accepted (H01.FR.06, even
    without NonEvseSpecific); without NonEvseSpecific (the legal variant) any reservation
    without an evseId or type is Rejected (H01.FR.19)."""
    block, _ = _block(variants)
    assert _reserve(block, 1, "A", connectorType="cCCS1") == "Rejected"
    assert _reserve(block, 3, "A", connectorType="cType2") == "Accepted"
    expected = "Rejected" if variants else "Accepted"
    assert _reserve(block, 2, "A") == expected
    assert block.v2.dm.get_bool("ReservationCtrlr", "NonEvseSpecific") is not bool(variants)
