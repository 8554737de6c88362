"""OCA block K, K09 Get Charging Profiles, OCPP 2.0.1 and 2.1, the CSMS under test (the harness
is the station): TC_K_29-36_CSMS in our own words, with the errata 2025-04 (6.3.13: only the
criteria the case names, every other omitted). Each case: the operator has the CSMS ask for the
station's charging profiles with the case's criteria (step 1; K09.FR.03 and the tool
validation), the harness answers Accepted (step 2) and reports the matching profile(s) with the
request's requestId (step 3), each report answered by the CSMS (step 4)."""

from __future__ import annotations

from typing import Any

from harness import StationPeer, SutActions, oca
from harness.config import SutProfile
from testcases.v201.sc_csms import (
    ENDED,
    GENERATED_ID,
    GET_FAULTS,
    LIMIT_SOURCE,
    PROFILE,
    RULE_FAULTS,
    STACK_LEVEL,
    V2,
    Order,
    csms_gets,
    csms_sets,
    evse_of,
    reported_profile,
)
from testcases.v201.sc_rules import MAX, TX_DEFAULT, Installed
from testcases.v201.tx_states import StationTx, station_charging, station_ev_disconnected


async def _get(
    station: StationPeer, sut: SutActions, case: str, evse_id: int, **criteria: Any
) -> None:
    """One GetChargingProfiles with ``criteria`` for ``evse_id``, one matching profile
    reported."""
    purpose = criteria.get("chargingProfilePurpose", TX_DEFAULT)
    reports = [(evse_id, [reported_profile(GENERATED_ID, purpose)])]
    await csms_gets(station, sut, case, reports, evse_id=evse_id, **criteria)


@oca(
    "TC_K_29_CSMS",
    "Get Charging Profile - EvseId 0",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_evse0(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_29_CSMS (K09.FR.03): during a transaction (EnergyTransferStarted), the CSMS asks
    for the ChargingStationMaxProfiles of EVSE 0 (the purpose only: errata 2025-04); a Max
    profile is reported. The transaction is ended afterwards."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await _get(station, sut, "TC_K_29_CSMS", 0, chargingProfilePurpose=MAX)
    await station_ev_disconnected(tx, req=ENDED)


@oca(
    "TC_K_30_CSMS",
    "Get Charging Profile - EvseId > 0",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_evse(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_30_CSMS (K09.FR.03): the TxDefaultProfiles of the configured EVSE (the purpose
    only)."""
    await _get(
        station, sut, "TC_K_30_CSMS", evse_of(sut_profile), chargingProfilePurpose=TX_DEFAULT
    )


@oca(
    "TC_K_31_CSMS",
    "Get Charging Profile - No EvseId",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_all(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_K_31_CSMS (K09.FR.03): the TxDefaultProfiles of every EVSE (no evseId, the purpose
    only); one report per EVSE of the station, tbc on all but the last (steps 3-4 repeated)."""
    reports = [
        (e.id, [reported_profile(GENERATED_ID + e.id, TX_DEFAULT)]) for e in sut_profile.sut.evses
    ]
    await csms_gets(station, sut, "TC_K_31_CSMS", reports, chargingProfilePurpose=TX_DEFAULT)


@oca(
    "TC_K_32_CSMS",
    "Get Charging Profile - chargingProfileId",
    profile=PROFILE,
    versions=V2,
    kills=(*GET_FAULTS, *RULE_FAULTS, "csms-sc-empty-validity"),
)
async def test_csms_get_by_id(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_32_CSMS (K09.FR.03): the CSMS first sets a TxDefaultProfile (so that it knows a
    profile id; Part 2's rules hold), then asks for that profile by its id alone (no evseId,
    no other criterion); the profile is reported as installed."""
    order = Order(TX_DEFAULT, evse_of(sut_profile))
    request = await csms_sets(station, sut, order, Installed())
    profile = request["chargingProfile"]
    reports = [(int(request["evseId"]), [profile])]
    await csms_gets(station, sut, "TC_K_32_CSMS", reports, chargingProfileId=[profile["id"]])


@oca(
    "TC_K_33_CSMS",
    "Get Charging Profile - EvseId > 0 + stackLevel",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_stack_level(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_33_CSMS (K09.FR.03): the profiles of the configured EVSE at the configured stack
    level (no purpose)."""
    await _get(station, sut, "TC_K_33_CSMS", evse_of(sut_profile), stackLevel=STACK_LEVEL)


@oca(
    "TC_K_34_CSMS",
    "Get Charging Profile - EvseId > 0 + chargingLimitSource",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_limit_source(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_34_CSMS (K09.FR.03): the profiles of the configured EVSE installed by the CSO (the
    chargingLimitSource only)."""
    await _get(
        station, sut, "TC_K_34_CSMS", evse_of(sut_profile), chargingLimitSource=[LIMIT_SOURCE]
    )


@oca(
    "TC_K_35_CSMS",
    "Get Charging Profile - EvseId > 0 + chargingProfilePurpose",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_purpose(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_35_CSMS (K09.FR.03): the TxDefaultProfiles of the configured EVSE."""
    await _get(
        station, sut, "TC_K_35_CSMS", evse_of(sut_profile), chargingProfilePurpose=TX_DEFAULT
    )


@oca(
    "TC_K_36_CSMS",
    "Get Charging Profile - EvseId > 0 + chargingProfilePurpose + stackLevel",
    profile=PROFILE,
    versions=V2,
    kills=GET_FAULTS,
)
async def test_csms_get_purpose_stack_level(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_36_CSMS (K09.FR.03): the TxDefaultProfiles of the configured EVSE at the
    configured stack level."""
    await _get(
        station,
        sut,
        "TC_K_36_CSMS",
        evse_of(sut_profile),
        chargingProfilePurpose=TX_DEFAULT,
        stackLevel=STACK_LEVEL,
    )
