"""OCA block K (smart charging): GetChargingProfiles (K09), OCPP 2.0.1 and 2.1, the charging
station under test. Steps and criteria in our own words after OCPP 2.0.1 Part 6: TC_K_29-36_CS.

Memory state of every case: a ChargingStationMaxProfile on EVSE 0 (stackLevel 0) and a
TxDefaultProfile on the configured EVSE (stackLevel 1); beyond the OCA a second
TxDefaultProfile there (stackLevel 2) and one on EVSE 0 (stackLevel 3), so that a criterion the
station ignores shows. The
reported profiles must be exactly those matching the request (K09.FR.04-06), every report with
the requestId (K09.FR.01) and tbc false on the last (K09.FR.02)."""

from __future__ import annotations

from typing import Any

import pytest

from harness import CsmsPeer, oca
from harness.checks import require
from harness.config import SutProfile
from testcases.v201.sc_states import (
    V2,
    evse_of,
    get_profiles,
    profile_payload,
    profiles_cleared,
    rate_unit,
    same_profile,
    set_profile,
)

__all__ = ["profiles_cleared"]
pytestmark = pytest.mark.usefixtures("profiles_cleared")

MAX_ID, DEFAULT_ID, SECOND_ID, STATION_DEFAULT_ID = 291, 292, 293, 294
MATCHING = "K09.FR.04/05/06: only the profiles matching the request are reported"


async def _memory_state(csms: CsmsPeer, profile: SutProfile) -> dict[int, tuple[int, Any]]:
    """Install the four profiles (module doc): id -> (evseId, chargingProfile)."""
    evse, unit = evse_of(profile), rate_unit(profile)
    installed = {
        MAX_ID: (0, profile_payload(MAX_ID, "ChargingStationMaxProfile", unit, amps=16.0)),
        DEFAULT_ID: (evse, profile_payload(DEFAULT_ID, "TxDefaultProfile", unit, stack_level=1)),
        SECOND_ID: (
            evse,
            profile_payload(SECOND_ID, "TxDefaultProfile", unit, stack_level=2, amps=8.0),
        ),
        STATION_DEFAULT_ID: (
            0,
            profile_payload(STATION_DEFAULT_ID, "TxDefaultProfile", unit, stack_level=3, amps=9.0),
        ),
    }
    for where, sent in installed.values():
        await set_profile(csms, where, sent, status="Accepted", req="K01: memory state")
    return installed


async def _reported_exactly(
    csms: CsmsPeer,
    profile: SutProfile,
    request_id: int,
    criteria: dict[str, Any],
    wanted: tuple[int, ...],
    *,
    evse_id: int | None = None,
) -> None:
    """GetChargingProfiles with ``criteria`` (and ``evse_id``) reports the ``wanted`` ids, each
    as installed, and no other."""
    installed = await _memory_state(csms, profile)
    found = await get_profiles(csms, request_id, criteria, evse_id=evse_id)
    ids = sorted(int(p.get("id", -1)) for _, p in found)
    require(
        ids == sorted(wanted),
        req=MATCHING,
        expected=f"chargingProfile ids {sorted(wanted)}",
        actual=f"{ids} ({len(found)} reported)",
    )
    for pid in wanted:
        where, sent = installed[pid]
        same_profile(found, where, sent, req="K09.FR.01: each profile reported as installed")


@oca(
    "TC_K_29_CS",
    "Get Charging Profile - EvseId 0",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-evse",),
)
async def test_get_evse_zero(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_29_CS (K09.FR.02/05): GetChargingProfiles with evseId 0 is Accepted (step 2) and
    reports the ChargingStationMaxProfile (step 3), and beyond the OCA the TxDefaultProfile of
    EVSE 0: the profiles installed on EVSE 0, none of another EVSE."""
    await _reported_exactly(csms, sut_profile, 2901, {}, (MAX_ID, STATION_DEFAULT_ID), evse_id=0)


@oca(
    "TC_K_30_CS",
    "Get Charging Profile - EvseId > 0",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-evse",),
)
async def test_get_evse(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_30_CS (K09.FR.02/04): GetChargingProfiles with the configured evseId is Accepted
    (step 2) and reports the TxDefaultProfiles installed there, none of EVSE 0 (step 3)."""
    await _reported_exactly(
        csms, sut_profile, 3001, {}, (DEFAULT_ID, SECOND_ID), evse_id=evse_of(sut_profile)
    )


@oca(
    "TC_K_31_CS",
    "Get Charging Profile - No EvseId",
    profile="smart-charging",
    versions=V2,
    kills=("sc-report-tbc-never-false",),
)
async def test_get_all(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_31_CS (K09.FR.02/06): GetChargingProfiles without evseId is Accepted (step 2) and
    reports every installed profile (step 3), tbc false on the last report (K09.FR.02)."""
    await _reported_exactly(
        csms, sut_profile, 3101, {}, (MAX_ID, DEFAULT_ID, SECOND_ID, STATION_DEFAULT_ID)
    )


@oca(
    "TC_K_32_CS",
    "Get Charging Profile - chargingProfileId",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-criteria",),
)
async def test_get_by_id(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_32_CS (K09.FR.01/02): GetChargingProfiles with the maximum profile's id is Accepted
    (step 2) and reports that profile only (step 3)."""
    await _reported_exactly(csms, sut_profile, 3201, {"chargingProfileId": [MAX_ID]}, (MAX_ID,))


@oca(
    "TC_K_33_CS",
    "Get Charging Profile - EvseId > 0 + stackLevel",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-criteria",),
)
async def test_get_evse_stack_level(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_33_CS (K09.FR.02/04): GetChargingProfiles with the configured evseId and stackLevel
    1 is Accepted (step 2) and reports the TxDefaultProfile of that level only (step 3)."""
    await _reported_exactly(
        csms, sut_profile, 3301, {"stackLevel": 1}, (DEFAULT_ID,), evse_id=evse_of(sut_profile)
    )


@oca(
    "TC_K_34_CS",
    "Get Charging Profile - EvseId > 0 + chargingLimitSource",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-criteria",),
)
async def test_get_evse_limit_source(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_34_CS (K09.FR.02/04): with the profiles set by the CSMS (source CSO),
    GetChargingProfiles with the configured evseId and chargingLimitSource CSO is Accepted
    (step 2) and reports the EVSE's profiles (step 3); with chargingLimitSource EMS, a source
    of which there is no profile, it answers NoProfiles (step 6)."""
    evse = evse_of(sut_profile)
    await _reported_exactly(
        csms,
        sut_profile,
        3401,
        {"chargingLimitSource": ["CSO"]},
        (DEFAULT_ID, SECOND_ID),
        evse_id=evse,
    )
    await get_profiles(
        csms,
        3402,
        {"chargingLimitSource": ["EMS"]},
        evse_id=evse,
        status="NoProfiles",
        req=MATCHING,
    )


@oca(
    "TC_K_35_CS",
    "Get Charging Profile - EvseId > 0 + chargingProfilePurpose",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-evse",),
)
async def test_get_evse_purpose(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_35_CS (K09.FR.02/04): GetChargingProfiles with the configured evseId and purpose
    TxDefaultProfile is Accepted (step 2) and reports the EVSE's TxDefaultProfiles, not the one
    on EVSE 0 (step 3)."""
    await _reported_exactly(
        csms,
        sut_profile,
        3501,
        {"chargingProfilePurpose": "TxDefaultProfile"},
        (DEFAULT_ID, SECOND_ID),
        evse_id=evse_of(sut_profile),
    )


@oca(
    "TC_K_36_CS",
    "Get Charging Profile - EvseId > 0 + chargingProfilePurpose + stackLevel",
    profile="smart-charging",
    versions=V2,
    kills=("sc-get-ignores-criteria",),
)
async def test_get_evse_purpose_stack_level(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_36_CS (K09.FR.02/04): GetChargingProfiles with the configured evseId, purpose
    TxDefaultProfile and stackLevel 2 is Accepted (step 2) and reports that profile only
    (step 3)."""
    await _reported_exactly(
        csms,
        sut_profile,
        3601,
        {"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 2},
        (SECOND_ID,),
        evse_id=evse_of(sut_profile),
    )
