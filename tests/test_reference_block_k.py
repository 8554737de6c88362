"""The reference station's block K (harness/reference/station/block_k.py) driven directly: the
SetChargingProfile validation (K01.FR.*), Clear (K10) and Get (K09) charging profiles, the
composite schedule checked against the oracle (K08), TxProfiles ending with their transaction,
the simulated power following the limit, and each fault of faults_k against the oracle."""

from __future__ import annotations

import time
from typing import Any, cast

import pytest

from harness.ocppj.frames import Call
from harness.reference.faults import FAULTS
from harness.reference.faults_k import K_FAULTS
from harness.reference.station.block_k import BlockK
from harness.reference.station.core import ReferenceStation
from harness.reference.station.model import Outgoing, Payload, Reply, Transaction
from harness.reference.station.v2 import V2
from harness.smart_charging import CompositeSchedule, compare, compose, format_time

NOW = float(int(time.time()))
#: The default startSchedule of :func:`_profile`: 10 s before the test's NOW.
_RECENT = -1.0


@pytest.fixture(autouse=True)
def _fresh_now() -> None:
    """NOW is taken when each test starts: the station composes from the real clock, and a NOW
    taken at import was minutes old by the time a test ran late in a long xdist session (the
    composite then began in a later period of the profiles)."""
    global NOW
    NOW = float(int(time.time()))


class Sent:
    """Collects what the block sends (ReportChargingProfiles)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Payload]] = []

    def __call__(self, item: Outgoing, *, front: bool = False) -> None:
        self.items.append((item.action, item.build()))


def _block(
    faults: frozenset[str] = frozenset(), units: frozenset[str] | None = None
) -> tuple[BlockK, ReferenceStation, Sent]:
    station = ReferenceStation(
        version="2.0.1", csms_url="ws://127.0.0.1:9/ocpp", identity="CS-K", faults=faults
    )
    sent = Sent()
    station.send = sent  # type: ignore[method-assign]
    v2 = cast(V2, station.behaviour)
    block = BlockK(v2) if units is None else BlockK(v2, units)
    return block, station, sent


def _tx(station: ReferenceStation, evse: int = 1, key: str = "tx-1") -> Transaction:
    v2 = cast(V2, station.behaviour)
    tx = Transaction(evse, station.hardware.connector(evse, 1), key=key, started=NOW - 60)
    v2.txe.tx[evse] = tx
    return tx


def _profile(
    pid: int,
    purpose: str,
    periods: list[tuple[int, float]],
    *,
    stack: int = 0,
    kind: str = "Absolute",
    unit: str = "A",
    start: float | None = _RECENT,
    duration: int | None = None,
    **extra: Any,
) -> Payload:
    schedule: Payload = {
        "id": 1,
        "chargingRateUnit": unit,
        "chargingSchedulePeriod": [{"startPeriod": s, "limit": lim} for s, lim in periods],
    }
    if start == _RECENT:
        start = NOW - 10
    if kind != "Relative" and start is not None:
        schedule["startSchedule"] = format_time(start)
    if duration is not None:
        schedule["duration"] = duration
    return {
        "id": pid,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind,
        "chargingSchedule": [schedule],
        **extra,
    }


def _set(block: BlockK, evse: int, profile: Payload) -> str:
    reply = block.set_profile({"evseId": evse, "chargingProfile": profile})
    return str(reply.payload["status"])


def _run(reply: Reply) -> Payload:
    if reply.then is not None:
        reply.then()
    return reply.payload


# -- K01 SetChargingProfile ------------------------------------------------------------------------
def test_a_tx_profile_needs_a_transaction() -> None:
    block, station, _ = _block()
    profile = _profile(1, "TxProfile", [(0, 10.0)], transactionId="tx-1")
    assert _set(block, 1, profile) == "Rejected"  # K01.FR.09
    _tx(station)
    assert _set(block, 1, _profile(1, "TxProfile", [(0, 10.0)], transactionId="other")) == (
        "Rejected"
    )  # K01.FR.33
    assert _set(block, 0, profile) == "Rejected"  # K01.FR.16
    assert _set(block, 1, profile) == "Accepted"  # K01.FR.04
    assert _set(block, 1, _profile(2, "TxProfile", [(0, 9.0)], stack=1)) == "Accepted"
    assert sorted(p.id for p in block.installed()) == [1, 2]  # without an id: the EVSE's


@pytest.mark.parametrize(
    ("evse", "profile"),
    [
        (1, _profile(1, "ChargingStationMaxProfile", [(0, 10.0)])),  # §3.2: EVSE 0 only
        (0, _profile(1, "ChargingStationMaxProfile", [(0, 10.0)], kind="Relative")),  # FR.38
        (0, _profile(1, "ChargingStationExternalConstraints", [(0, 10.0)])),  # K01.FR.22
        (9, _profile(1, "TxDefaultProfile", [(0, 10.0)])),  # K01.FR.28: no EVSE 9
        (1, _profile(1, "TxDefaultProfile", [(5, 10.0)])),  # K01.FR.31
        (1, _profile(1, "TxDefaultProfile", [(0, 10.0), (60, 8.0), (30, 6.0)])),  # K01.FR.35
        (
            1,
            {
                **_profile(1, "TxDefaultProfile", [(0, 10.0)]),
                "chargingSchedule": [
                    {
                        "id": 1,
                        "chargingRateUnit": "A",
                        "startSchedule": format_time(NOW),
                        "chargingSchedulePeriod": [
                            {"startPeriod": 0, "limit": 10.0, "numberPhases": 1, "phaseToUse": 2}
                        ],
                    }
                ],
            },
        ),  # K01.FR.48
    ],
)
def test_set_charging_profile_refusals(evse: int, profile: Payload) -> None:
    block, _, _ = _block()
    assert _set(block, evse, profile) == "Rejected"
    assert block.installed() == []


def test_an_unsupported_rate_unit_is_rejected() -> None:
    block, _, _ = _block(units=frozenset({"A"}))
    assert _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 6000.0)], unit="W")) == "Rejected"
    assert (
        block.composite_request({"evseId": 1, "duration": 60, "chargingRateUnit": "W"}).payload[
            "status"
        ]
        == "Rejected"
    )  # K08.FR.07


def test_replacement_by_id_and_by_stack_level() -> None:
    block, _, _ = _block()
    assert _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 10.0)])) == "Accepted"
    assert _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 8.0)], stack=2)) == "Accepted"
    assert [(p.id, p.stack_level) for p in block.installed()] == [(1, 2)]  # K01.FR.05
    assert _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 6.0)], stack=2)) == "Accepted"
    assert [p.id for p in block.installed()] == [2]  # K01.FR.06: one per level and EVSE


def test_tx_default_levels_on_evse_0_and_one_evse_do_not_collide() -> None:
    block, _, _ = _block()
    assert _set(block, 0, _profile(1, "TxDefaultProfile", [(0, 10.0)], stack=1)) == "Accepted"
    assert _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 8.0)], stack=1)) == "Rejected"
    assert _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 8.0)], stack=2)) == "Accepted"


# -- K10 / K09 ----------------------------------------------------------------------------------------
def test_clear_by_id_by_criteria_and_unknown() -> None:
    block, _, _ = _block()
    _set(block, 0, _profile(1, "ChargingStationMaxProfile", [(0, 20.0)]))
    _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 10.0)], stack=1))
    _set(block, 2, _profile(3, "TxDefaultProfile", [(0, 10.0)], stack=1))
    assert block.clear_profile({"chargingProfileId": 9}).payload == {"status": "Unknown"}
    assert block.clear_profile({"chargingProfileId": 1}).payload == {"status": "Accepted"}
    criteria = {"evseId": 2, "chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1}
    assert block.clear_profile({"chargingProfileCriteria": criteria}).payload == {
        "status": "Accepted"
    }
    assert [p.id for p in block.installed()] == [2]
    criteria["stackLevel"] = 5
    assert block.clear_profile({"chargingProfileCriteria": criteria}).payload == {
        "status": "Unknown"
    }  # K10.FR.01


def test_get_charging_profiles_reports_per_evse_with_the_request_id() -> None:
    block, _, sent = _block()
    crit: Payload = {"chargingProfilePurpose": "TxDefaultProfile"}
    assert block.get_profiles({"requestId": 3, "chargingProfile": crit}).payload == {
        "status": "NoProfiles"
    }
    _set(block, 0, _profile(1, "TxDefaultProfile", [(0, 10.0)], stack=1))
    tx_default = _profile(2, "TxDefaultProfile", [(0, 8.0)], stack=2)
    _set(block, 1, tx_default)
    _set(block, 0, _profile(3, "ChargingStationMaxProfile", [(0, 20.0)]))
    assert _run(block.get_profiles({"requestId": 4, "chargingProfile": crit})) == {
        "status": "Accepted"
    }
    reports = [p for a, p in sent.items if a == "ReportChargingProfiles"]
    assert [(r["requestId"], r["evseId"], r["tbc"]) for r in reports] == [
        (4, 0, True),
        (4, 1, False),
    ]  # K09.FR.01/02
    assert reports[1]["chargingProfile"] == [tx_default]
    sent.items.clear()
    _run(block.get_profiles({"requestId": 5, "evseId": 0, "chargingProfile": {"stackLevel": 0}}))
    assert [p["chargingProfile"][0]["id"] for _, p in sent.items] == [3]  # K09.FR.05


# -- K08 and the transaction -------------------------------------------------------------------------
def _oracle(block: BlockK, evse: int, answer: Payload) -> CompositeSchedule:
    actual = CompositeSchedule.from_payload(answer["schedule"])
    return compose(
        block.installed(),
        evse,
        actual.start,
        actual.duration,
        actual.unit,
        transactions=block.transactions(),
    )


def _combined(block: BlockK, station: ReferenceStation) -> None:
    _tx(station)
    _set(block, 0, _profile(1, "ChargingStationMaxProfile", [(0, 10.0)], duration=86_400))
    _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 6.0), (60, 10.0), (120, 8.0)]))
    tx = _profile(3, "TxProfile", [(0, 8.0), (50, 11.0), (200, 6.0)], transactionId="tx-1")
    assert _set(block, 1, tx) == "Accepted"


@pytest.mark.parametrize("unit", ["A", "W"])
def test_the_composite_schedule_is_the_oracles(unit: str) -> None:
    block, station, _ = _block()
    _combined(block, station)
    answer = block.composite_request({"evseId": 1, "duration": 400, "chargingRateUnit": unit})
    assert answer.payload["status"] == "Accepted"
    actual = CompositeSchedule.from_payload(answer.payload["schedule"])
    assert compare(_oracle(block, 1, answer.payload), actual).equal
    assert actual.periods[0].limit == (8.0 if unit == "A" else 5520.0)
    assert block.composite_request({"evseId": 7, "duration": 60}).payload == {
        "status": "Rejected"
    }  # K08.FR.05


def test_the_tx_profile_ends_with_its_transaction() -> None:
    block, station, _ = _block()
    _combined(block, station)
    cast(V2, station.behaviour).txe.tx.pop(1)
    assert sorted(p.id for p in block.installed()) == [1, 2]


def test_profiles_stay_over_a_power_cycle() -> None:
    _, station, _ = _block()
    v2 = cast(V2, station.behaviour)
    call = Call("1", "SetChargingProfile", {"evseId": 0, "chargingProfile": _profile(
        1, "ChargingStationMaxProfile", [(0, 10.0)])})  # fmt: skip
    assert v2.handle(call).payload == {"status": "Accepted"}
    v2.power_lost()
    crit = {"requestId": 1, "chargingProfile": {"chargingProfileId": [1]}}
    assert v2.handle(Call("2", "GetChargingProfiles", crit)).payload == {"status": "Accepted"}


def test_the_ev_draws_at_most_the_limit() -> None:
    block, station, _ = _block()
    assert block.energy_wh(1, NOW, NOW + 3600) == pytest.approx(11_000.0)
    _set(block, 0, _profile(1, "ChargingStationMaxProfile", [(0, 8.0)], start=NOW - 3600))
    assert block.energy_wh(1, NOW, NOW + 3600) == pytest.approx(8 * 230 * 3)
    _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 32.0), (1800, 0.0)], start=NOW))
    assert block.energy_wh(1, NOW, NOW + 3600) == pytest.approx(8 * 230 * 3 / 2)
    assert station.hardware.connector(1, 1).meter.energy_wh is not None


# -- faults ------------------------------------------------------------------------------------------
def _stack(block: BlockK, station: ReferenceStation) -> None:
    _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 10.0)]))
    _set(block, 1, _profile(2, "TxDefaultProfile", [(0, 6.0)], stack=1))


def _conversion(block: BlockK, station: ReferenceStation) -> None:
    _set(block, 0, _profile(1, "ChargingStationMaxProfile", [(0, 8.0)]))


def _valid_to(block: BlockK, station: ReferenceStation) -> None:
    ends = format_time(NOW + 100)
    _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 6.0)], validTo=ends))


def _replaced(block: BlockK, station: ReferenceStation) -> None:
    _tx(station)
    _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 6.0)]))
    _set(block, 1, _profile(2, "TxProfile", [(0, 10.0)], transactionId="tx-1"))


def _off_by_one(block: BlockK, station: ReferenceStation) -> None:
    _set(block, 1, _profile(1, "TxDefaultProfile", [(0, 6.0), (100, 10.0)]))


def _energy(schedule: CompositeSchedule) -> float:
    """Wh an 11 kW EV draws under ``schedule`` (in W) over its duration."""
    ends = [*(p.start for p in schedule.periods[1:]), schedule.duration]
    return sum(
        min(11_000.0, p.limit) * (end - p.start) / 3600
        for p, end in zip(schedule.periods, ends, strict=True)
    )


COMPOSITE_FAULTS = {
    "sc-ignores-stack-level": _stack,
    "sc-wrong-unit-conversion": _conversion,
    "sc-ignores-valid-to": _valid_to,
    "sc-txdefault-not-replaced": _replaced,
    "sc-composite-off-by-one": _off_by_one,
}


@pytest.mark.parametrize("fault", sorted(COMPOSITE_FAULTS))
def test_each_composite_fault_departs_from_the_oracle(fault: str) -> None:
    """Without the fault the station reports and delivers the oracle's schedule; with it,
    neither."""
    for faults, equal in ((frozenset(), True), (frozenset({fault}), False)):
        block, station, _ = _block(faults)
        COMPOSITE_FAULTS[fault](block, station)
        answer = block.composite_request({"evseId": 1, "duration": 300, "chargingRateUnit": "W"})
        actual = CompositeSchedule.from_payload(answer.payload["schedule"])
        assert compare(_oracle(block, 1, answer.payload), actual).equal is equal, faults
        delivered = block.energy_wh(1, actual.start, actual.start + 300)
        assert (abs(delivered - _energy(_oracle(block, 1, answer.payload))) < 0.01) is equal


def test_the_tx_profile_fault_accepts_without_a_transaction() -> None:
    block, _, _ = _block(frozenset({"sc-txprofile-without-transaction"}))
    assert _set(block, 1, _profile(1, "TxProfile", [(0, 10.0)])) == "Accepted"


def test_the_k_faults_are_registered_with_a_requirement() -> None:
    for fault in K_FAULTS:
        assert FAULTS[fault.name] is fault
        assert fault.requirement.startswith(("K0", "K1"))  # K01-K10
