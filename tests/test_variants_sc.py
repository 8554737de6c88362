"""The smart charging legal variants (harness/reference/variants_sc.py) change the reference
stations the way they say, and the composite comparison takes exactly what they allow:

* ``sc-rate-unit-watts``: 2.x ChargingScheduleChargingRateUnit W, A Rejected (K01.FR.26,
  K08.FR.07); 1.6 ChargingScheduleAllowedChargingRateUnit Power, a profile in A Rejected
  (errata 3.88) and the composite answered in W also for A (§6.21, §7.13);
* ``sc-composite-rounded``: limits rounded to one digit fraction (2.0.1 §2.14, 1.6 §7.14), and
  :func:`harness.smart_charging.compare` accepts half a step of it and no more, in A and W.
"""

from __future__ import annotations

import time
from typing import Any, cast

import pytest

from harness.reference.station.core import ReferenceStation
from harness.reference.station.v2 import V2
from harness.reference.station.v16 import V16 as V16Station
from harness.reference.variants import VARIANTS, Seeded
from harness.smart_charging import V16, CompositeSchedule, Period, compare, format_time, tolerance

T = 1_700_000_000.0


def _station(version: str, *variants: str) -> ReferenceStation:
    return ReferenceStation(
        version=version,
        csms_url="ws://127.0.0.1:9/ocpp",
        identity="CS-SC",
        variants=Seeded(frozenset(variants)),
    )


def _schedule(unit: str, limit: float, **extra: Any) -> dict[str, Any]:
    return {
        "chargingRateUnit": unit,
        "startSchedule": format_time(time.time() - 10),
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
        **extra,
    }


def _set_v2(v2: V2, unit: str, limit: float) -> str:
    profile = {
        "id": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [_schedule(unit, limit, id=1)],
    }
    answer = v2.k.set_profile({"evseId": 1, "chargingProfile": profile})
    return str(answer.payload["status"])


def _set_v16(v16: V16Station, unit: str, limit: float) -> str:
    profile = {
        "chargingProfileId": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": _schedule(unit, limit),
    }
    answer = v16.smart._set({"connectorId": 1, "csChargingProfiles": profile})
    return str(answer.payload["status"])


def test_both_variants_are_registered_for_the_three_stations() -> None:
    for name in ("sc-rate-unit-watts", "sc-composite-rounded"):
        variant = VARIANTS[name]
        assert set(variant.suts) == {
            "reference-station-v16",
            "reference-station-v201",
            "reference-station-v21",
        }
        assert variant.reaches("TC_K_40_CS")
        assert variant.reaches("TC_066_CS")
        assert variant.reaches("TC_058_2_CS")
        assert not variant.reaches("TC_061_1_CS")
    assert VARIANTS["sc-rate-unit-watts"].drops == ("SC-2.1",)


@pytest.mark.parametrize("version", ["2.0.1", "2.1"])
def test_a_watts_only_2x_station_rejects_a_and_reports_in_w(version: str) -> None:
    v2 = cast(V2, _station(version, "sc-rate-unit-watts").behaviour)
    assert v2.dm.value("SmartChargingCtrlr", "ChargingScheduleChargingRateUnit") == "W"
    assert _set_v2(v2, "A", 6.0) == "Rejected"  # K01.FR.26
    assert _set_v2(v2, "W", 6000.0) == "Accepted"
    asked_a = v2.k.composite_request({"evseId": 1, "duration": 60, "chargingRateUnit": "A"})
    assert asked_a.payload == {"status": "Rejected"}  # K08.FR.07
    asked_w = v2.k.composite_request({"evseId": 1, "duration": 60, "chargingRateUnit": "W"})
    assert asked_w.payload["schedule"]["chargingRateUnit"] == "W"
    assert asked_w.payload["schedule"]["chargingSchedulePeriod"][0]["limit"] == 6000.0


def test_a_power_only_16_charge_point_answers_in_w() -> None:
    v16 = cast(V16Station, _station("1.6", "sc-rate-unit-watts").behaviour)
    key = v16.config.keys["ChargingScheduleAllowedChargingRateUnit"]
    assert key.value == "Power"
    assert _set_v16(v16, "A", 10.0) == "Rejected"  # errata 3.88: W schedules only
    assert _set_v16(v16, "W", 6900.0) == "Accepted"
    answer = v16.smart._composite({"connectorId": 1, "duration": 60, "chargingRateUnit": "A"})
    got = CompositeSchedule.from_payload(answer.payload, V16)
    assert (answer.payload["status"], got.unit, got.periods[0].limit) == ("Accepted", "W", 6900.0)
    asked_a = CompositeSchedule(1, got.start, 60, "A", (Period(0, 10.0),))
    assert compare(asked_a, got).equal  # the case converts the oracle's A to the answer's W


def test_without_the_variant_both_units_are_taken() -> None:
    v16 = cast(V16Station, _station("1.6").behaviour)
    assert v16.config.keys["ChargingScheduleAllowedChargingRateUnit"].value == "Current,Power"
    assert _set_v16(v16, "A", 10.0) == "Accepted"
    answer = v16.smart._composite({"connectorId": 1, "duration": 60, "chargingRateUnit": "A"})
    assert answer.payload["chargingSchedule"]["chargingRateUnit"] == "A"


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_rounded_limits_keep_one_digit_fraction(version: str) -> None:
    station = _station(version, "sc-composite-rounded")
    if version == "1.6":
        v16 = cast(V16Station, station.behaviour)
        assert _set_v16(v16, "W", 6000.0) == "Accepted"
        answer = v16.smart._composite({"connectorId": 1, "duration": 60, "chargingRateUnit": "A"})
        limit = answer.payload["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"]
    else:
        v2 = cast(V2, station.behaviour)
        assert _set_v2(v2, "W", 6000.0) == "Accepted"
        answer = v2.k.composite_request({"evseId": 1, "duration": 60, "chargingRateUnit": "A"})
        limit = answer.payload["schedule"]["chargingSchedulePeriod"][0]["limit"]
    assert limit == 8.7  # 6000 W / (230 V x 3) = 8.6956... A


@pytest.mark.parametrize(
    ("unit", "exact", "rounded", "too_far"),
    [("A", 8.6956521, 8.7, 8.8), ("A", 8.65, 8.6, 8.5), ("W", 6000.04, 6000.0, 6000.1)],
)
def test_compare_takes_half_a_step_and_no_more(
    unit: str, exact: float, rounded: float, too_far: float
) -> None:
    expected = CompositeSchedule(1, T, 60, unit, (Period(0, exact),))

    def got(limit: float) -> CompositeSchedule:
        return CompositeSchedule(1, T, 60, unit, (Period(0, limit),))

    assert compare(expected, got(rounded)).equal
    assert not compare(expected, got(too_far)).equal
    assert not compare(expected, got(exact + tolerance() + 0.01)).equal


def test_in_w_the_precision_is_a_tenth_of_a_watt_not_a_watt() -> None:
    """6 A in W is 4140 W: 4141 W (whole watts from a coarser value) is off, 4140.05 is in."""
    expected = CompositeSchedule(1, T, 60, "A", (Period(0, 6.0),))
    assert compare(expected, CompositeSchedule(1, T, 60, "W", (Period(0, 4140.05),))).equal
    assert not compare(expected, CompositeSchedule(1, T, 60, "W", (Period(0, 4141.0),))).equal
