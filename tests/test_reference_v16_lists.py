"""Self-test of the reference 1.6 charge point's Local Authorization List (1.6 §5.10, §5.15;
:mod:`harness.reference.station.v16_auth`) and reservations (1.6 §5.1, §5.13;
:mod:`harness.reference.station.v16_reservation`), beyond what the OCA cases reach: differential
removal, a replaced reservation, a connector-0 reservation keeping a connector free, and a
reservation ended by ChangeAvailability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.reference.station import ReferenceStation
from harness.reference.station.v16 import V16
from tests.test_reference_station import station_up

pytestmark = pytest.mark.asyncio


def _v16(station: ReferenceStation) -> V16:
    assert isinstance(station.behaviour, V16)
    return station.behaviour


def _expiry(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


async def test_local_list_updates() -> None:
    async with station_up("1.6") as (csms, station):
        full = [{"idTag": "A", "idTagInfo": {"status": "Accepted"}}, {"idTag": "B"}]
        (
            await csms.call(
                "SendLocalList", list_version=2, update_type="Full", local_authorization_list=full
            )
        ).must(status="Accepted")
        assert _v16(station).local_list.entries == {"A": {"status": "Accepted"}}
        (await csms.call("GetLocalListVersion")).must(list_version=2)
        drop = [{"idTag": "A"}]
        (
            await csms.call(
                "SendLocalList",
                list_version=3,
                update_type="Differential",
                local_authorization_list=drop,
            )
        ).must(status="Accepted")
        (await csms.call("GetLocalListVersion")).must(list_version=0)  # empty again
        many = [{"idTag": f"T{n}", "idTagInfo": {"status": "Accepted"}} for n in range(11)]
        (
            await csms.call(
                "SendLocalList", list_version=4, update_type="Full", local_authorization_list=many
            )
        ).must(status="Failed")
        assert _v16(station).local_list.version == 3


async def test_reservation_replaced_and_connector_zero() -> None:
    async with station_up("1.6") as (csms, station):
        reservations = _v16(station).reservations
        reserve: dict[str, Any] = {"expiry_date": _expiry(60), "id_tag": "R1", "reservation_id": 7}
        (await csms.call("ReserveNow", connector_id=1, **reserve)).must(status="Accepted")
        await csms.expect("StatusNotification", connector_id=1, status="Reserved")
        # the same reservationId replaces the reservation: now connector 2
        (await csms.call("ReserveNow", connector_id=2, **reserve)).must(status="Accepted")
        await csms.expect("StatusNotification", connector_id=2, status="Reserved")
        assert [r.connector for r in reservations.held.values()] == [2]
        # connector 0 while connector 2 is reserved: connector 1 stays free for it
        whole: dict[str, Any] = {**reserve, "reservation_id": 8, "id_tag": "R0"}
        (await csms.call("ReserveNow", connector_id=0, **whole)).must(status="Accepted")
        c1 = station.hardware.by_number(1)
        assert c1 is not None
        assert not reservations.admits(c1, "SOMEONE")
        assert reservations.admits(c1, "R0")
        # a connector made Unavailable ends its reservation
        (await csms.call("ChangeAvailability", connector_id=2, type="Inoperative")).must(
            status="Accepted"
        )
        await csms.expect("StatusNotification", connector_id=2, status="Unavailable")
        assert 7 not in reservations.held
        (await csms.call("CancelReservation", reservation_id=7)).must(status="Rejected")
        (await csms.call("CancelReservation", reservation_id=8)).must(status="Accepted")
        (await csms.call("ChangeAvailability", connector_id=2, type="Operative")).must(
            status="Accepted"
        )
