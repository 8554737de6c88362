"""OCA block K (smart charging): GetCompositeSchedule (K08) and what validFrom, validTo,
startSchedule, a TxDefaultProfile during a transaction and its clearing do to it, OCPP 2.0.1 and
2.1, the charging station under test. Steps and criteria in our own words after OCPP 2.0.1 Part 6
(errata 2025-02/04 for TC_K_40/41): TC_K_09, 21, 22, 23, 28, 39, 40, 41, 42, 47 _CS.

Each reported schedule is held against the :mod:`harness.smart_charging` oracle for the profiles
the case installed (:func:`~testcases.v201.sc_states.check_composite`); where no profile limits
the OCA does not validate the station's own limit, and neither do we, except that a period
boundary it names (e.g. "startPeriod (300 - x)") must be there. Times: startSchedule and validFrom
lie the configured deviation in the past where the OCA says so; x is measured by the oracle's
comparison (the offset between the request and the reported scheduleStart)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.smart_charging import TxState, format_time
from testcases.v201.sc_states import (
    DEVIATION_S,
    V2,
    at_least,
    composite,
    evse_of,
    get_composite,
    profile_payload,
    profiles_cleared,
    rate_unit,
    set_profile,
)
from testcases.v201.tx_states import charging

__all__ = ["profiles_cleared"]
pytestmark = pytest.mark.usefixtures("profiles_cleared")

TX_DEFAULT = "TxDefaultProfile"
#: The check of every composite the oracle computes (each named fault breaks a part of it).
STACKING = (
    "K08.FR.02: the composite schedule's periods (K01.FR.17: the higher stackLevel overrules)"
)
COMBINING = (
    "K08.FR.02: the composite schedule's periods (K08.FR.04: the lowest of the purposes; "
    "K01.FR.04: the TxProfile is applied to the transaction)"
)
OTHER_UNIT = "K08.FR.04/K01.FR.51: the A limit is per phase (the composite in the other unit)"


@oca(
    "TC_K_39_CS",
    "Get Composite Schedule - No ChargingProfile installed on Charging Station",
    profile="smart-charging",
    versions=V2,
    kills=("sc-composite-empty-rejected",),
)
async def test_composite_none_installed(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_39_CS (K08.FR.02/03/06): with no profile installed, GetCompositeSchedule for EVSE 0,
    300 s, the configured unit is Accepted with evseId 0, duration 300, that unit and a first
    period at 0 (step 2); the station's own limit is not validated."""
    req = "K08.FR.02: GetCompositeSchedule Accepted with the schedule asked for"
    got = await get_composite(csms, [], 0, 300, rate_unit(sut_profile), req=req)
    require(
        bool(got.periods) and got.periods[0].start == 0,
        req=req,
        expected="a first period at startPeriod 0",
        actual=str([p.start for p in got.periods]),
    )


@oca(
    "TC_K_40_CS",
    "Get Composite Schedule - Stacking ChargingProfiles",
    profile="smart-charging",
    versions=V2,
    kills=("sc-ignores-stack-level", "sc-composite-off-by-one", "sc-wrong-unit-conversion"),
)
async def test_composite_stacking(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_40_CS (K08.FR.02/06, K01.FR.17): TxDefaultProfiles on the configured EVSE, stackLevel
    0 (6/8/10 A from 0/100/200 s, 400 s + deviation) and stackLevel 1 (7/9 A from 0/100 s,
    150 s + deviation), both from now - deviation; the composite for 350 s is 7, 9 from 100 - x,
    8 from 150 - x, 10 from 200 - x (step 2). Beyond the OCA, for a station with both units
    (SC-2.1 and SC-2.2): the same composite in the other unit (K01.FR.50/51). Prerequisites:
    ChargingProfileMaxStackLevel > 0, PeriodsPerSchedule > 2 (else NOT-APPLICABLE)."""
    await at_least(csms, "ChargingProfileMaxStackLevel", 1)
    await at_least(csms, "PeriodsPerSchedule", 3)
    evse, unit = evse_of(sut_profile), rate_unit(sut_profile)
    start = time.time() - DEVIATION_S
    valid: dict[str, Any] = {
        "validFrom": format_time(start),
        "validTo": format_time(start + 2 * DEVIATION_S + 401),
    }
    low = profile_payload(
        401,
        TX_DEFAULT,
        unit,
        periods=[(0, 6), (100, 8), (200, 10)],
        duration=400 + DEVIATION_S,
        start=start,
        **valid,
    )
    high = profile_payload(
        402,
        TX_DEFAULT,
        unit,
        stack_level=1,
        periods=[(0, 7), (100, 9)],
        duration=150 + DEVIATION_S,
        start=start,
        **valid,
    )
    sent = [(evse, low), (evse, high)]
    for where, p in sent:
        await set_profile(csms, where, p, status="Accepted", req="K01: memory state")
    await get_composite(csms, sent, evse, 350, unit, req=STACKING)
    if {"SC-2.1", "SC-2.2"} <= set(sut_profile.sut.features):
        await get_composite(csms, sent, evse, 350, "W" if unit == "A" else "A", req=OTHER_UNIT)


@oca(
    "TC_K_41_CS",
    "Get Composite Schedule - Combining chargingProfilePurposes",
    profile="smart-charging",
    versions=V2,
    kills=("sc-txdefault-not-replaced", "sc-composite-off-by-one"),
)
async def test_composite_combining(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_41_CS (K08.FR.02/04, errata 2025-02/04): during a transaction on the configured EVSE
    (the TxProfile needs one, K01.FR.09), a ChargingStationMaxProfile on 0 (10 A for a day), a
    TxDefaultProfile (6/10/8/15/8 A from 0/60/120/180/260 s, 300 s) and a TxProfile
    (8/11/16/6/12 A from 0/50/140/200/240 s, 260 s), all from now - deviation; the composite
    for 400 s is 8, 10 from 50 - x, 6 from 200 - x, 10 from 240 - x, 8 from 260 - x, 10 from
    300 - x (step 2): the TxProfile replaces the TxDefaultProfile while it runs, the lowest of
    the purposes counts. Prerequisite: PeriodsPerSchedule >= 5, the periods of one profile here
    (the OCA asks > 2)."""
    await at_least(csms, "PeriodsPerSchedule", 5)
    session = await charging(csms, sut, sut_profile)
    evse, unit = session.evse_id, rate_unit(sut_profile)
    start = time.time() - DEVIATION_S
    valid: dict[str, Any] = {
        "validFrom": format_time(start),
        "validTo": format_time(start + 2 * DEVIATION_S + 401),
    }
    station_max = profile_payload(
        411, "ChargingStationMaxProfile", unit, amps=10, duration=86400, start=start
    )
    default = profile_payload(
        412,
        TX_DEFAULT,
        unit,
        periods=[(0, 6), (60, 10), (120, 8), (180, 15), (260, 8)],
        start=start,
        **valid,
    )
    tx_profile = profile_payload(
        413,
        "TxProfile",
        unit,
        periods=[(0, 8), (50, 11), (140, 16), (200, 6), (240, 12)],
        duration=260,
        start=start,
        transactionId=session.tx_id,
        **valid,
    )
    sent = [(0, station_max), (evse, default), (evse, tx_profile)]
    for where, p in sent:
        await set_profile(csms, where, p, status="Accepted", req="K01: memory state")
    tx = TxState(evse, str(session.tx_id), start)
    await get_composite(csms, sent, evse, 400, unit, req=COMBINING, tx=tx)


def _unsupported(profile: SutProfile) -> str:
    """The unit the station does not support (its features name the other)."""
    return "W" if "SC-2.1" in set(profile.sut.features) else "A"


@oca(
    "TC_K_42_CS",
    "Get Composite Schedule - chargingRateUnit not supported",
    profile="smart-charging",
    versions=V2,
    kills=("sc-unsupported-unit-accepted",),
    condition="NOT (SC-2.1 AND SC-2.2)",
)
async def test_composite_unsupported_unit(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_42_CS (K08.FR.07), for a station with one rate unit only: GetCompositeSchedule for
    EVSE 0, 300 s, in the other unit is Rejected without a schedule (step 2)."""
    req = "K08.FR.07: a composite in an unsupported unit is Rejected"
    result = await composite(csms, 0, 300, _unsupported(sut_profile), status="Rejected", req=req)
    require("schedule" not in result.payload, req=req, expected="no schedule", actual="one")


@oca(
    "TC_K_12_CS",
    "Set Charging Profile - ChargerRateUnit Rejected",
    profile="smart-charging",
    versions=V2,
    kills=("sc-unsupported-unit-accepted",),
    condition="NOT (SC-2.1 AND SC-2.2)",
)
async def test_set_unsupported_unit(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_12_CS (K01.FR.26), for a station with one rate unit only: a TxDefaultProfile in the
    other unit is Rejected (step 2)."""
    sent = profile_payload(112, TX_DEFAULT, _unsupported(sut_profile))
    await set_profile(
        csms,
        evse_of(sut_profile),
        sent,
        status="Rejected",
        req="K01.FR.26: a profile in an unsupported unit is Rejected",
    )


@oca(
    "TC_K_47_CS",
    "Get Composite Schedule - Unknown EVSEId",
    profile="smart-charging",
    versions=V2,
    kills=("sc-composite-unknown-evse-accepted",),
)
async def test_composite_unknown_evse(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_47_CS (K08.FR.05): GetCompositeSchedule for an EVSE the station does not have (the
    highest id + 1), 300 s, is Rejected without a schedule (step 2)."""
    req = "K08.FR.05: a composite for an unknown EVSE is Rejected"
    unknown = max(e.id for e in sut_profile.sut.evses) + 1
    result = await composite(csms, unknown, 300, rate_unit(sut_profile), status="Rejected", req=req)
    require("schedule" not in result.payload, req=req, expected="no schedule", actual="one")
