"""OCA block K (smart charging): Set / Replace / Clear charging profiles, OCPP 2.0.1 and 2.1, the
charging station under test. Steps and criteria in our own words after OCPP 2.0.1 Part 6:
TC_K_01-11, 13, 14, 16, 19, 60 _CS. Shared steps in :mod:`testcases.v201.sc_states`; every case
starts and ends with no charging profile installed (fixture ``profiles_cleared``).

The other block K station rows: TC_K_29-36 in :mod:`.test_k_get_profiles`; TC_K_12, 39-42, 47 in
:mod:`.test_k_composite`; TC_K_09, 21-23, 28, 37, 38 in :mod:`.test_k_validity`. Not implemented:
TC_K_53, 54, 56, 57, 58 _CS (ISO 15118 only: the harness has no ISO 15118 EV side to negotiate a
schedule with the station), TC_K_15_CS ("doc" for a station in the catalogue)."""

from __future__ import annotations

from typing import Any

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.config import SutProfile
from harness.smart_charging import NOMINAL_VOLTAGE_V, to_unit
from testcases.v201.sc_delivery import drawn_within
from testcases.v201.sc_states import (
    PHASES,
    V2,
    clear_profile,
    evse_of,
    get_profiles,
    limit,
    profile_payload,
    profiles_cleared,
    rate_unit,
    same_profile,
    set_profile,
)
from testcases.v201.states import connectors_reported
from testcases.v201.tx_states import charging

__all__ = ["profiles_cleared"]
pytestmark = pytest.mark.usefixtures("profiles_cleared")

TX_DEFAULT = "TxDefaultProfile"
TX = "TxProfile"
MAX = "ChargingStationMaxProfile"
#: The OCA's UNKNOWN-TRANSACTION-ID.
UNKNOWN_TX = "UNKNOWN-TRANSACTION-ID"
REPORT_REQ = "K09.FR.01/K01.FR.07: the profile set is reported as sent"


@oca(
    "TC_K_01_CS",
    "Set Charging Profile - TxDefaultProfile - Specific EVSE",
    profile="smart-charging",
    versions=V2,
    kills=("sc-report-wrong-request-id",),
)
async def test_set_tx_default_evse(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_01_CS (K01.FR.07/15): a TxDefaultProfile on the configured EVSE (6 A / 6000 W) is
    Accepted (step 2); GetChargingProfiles by its id is Accepted (step 4) and reported with the
    requestId on that EVSE (step 5; K09.FR.01), the profile as sent (post-scenario)."""
    evse, unit = evse_of(sut_profile), rate_unit(sut_profile)
    sent = profile_payload(101, TX_DEFAULT, unit)
    await set_profile(csms, evse, sent, status="Accepted", req="K01.FR.15: TxDefaultProfile set")
    found = await get_profiles(csms, 1101, {"chargingProfileId": [101]})
    same_profile(found, evse, sent, req=REPORT_REQ)


@oca(
    "TC_K_02_CS",
    "Set Charging Profile - TxProfile without ongoing transaction on the specified EVSE",
    profile="smart-charging",
    versions=V2,
    kills=("sc-txprofile-without-transaction",),
)
async def test_tx_profile_without_transaction(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_02_CS (K01.FR.09): a TxProfile for an EVSE without a transaction (transactionId
    UNKNOWN-TRANSACTION-ID) is Rejected (step 2)."""
    sent = profile_payload(102, TX, rate_unit(sut_profile), transactionId=UNKNOWN_TX)
    await set_profile(
        csms,
        evse_of(sut_profile),
        sent,
        status="Rejected",
        req="K01.FR.09: a TxProfile without a transaction is Rejected",
    )


@oca(
    "TC_K_03_CS",
    "Set Charging Profile - ChargingStationMaxProfile",
    profile="smart-charging",
    versions=V2,
    kills=("sc-report-wrong-request-id",),
)
async def test_set_station_max(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_03_CS (K01): an Absolute ChargingStationMaxProfile on EVSE 0 is Accepted (step 2);
    GetChargingProfiles by its id is Accepted (step 4) and reported on EVSE 0 with the requestId
    (step 5; K09.FR.01), the profile as sent."""
    sent = profile_payload(103, MAX, rate_unit(sut_profile))
    await set_profile(csms, 0, sent, status="Accepted", req="K01: ChargingStationMaxProfile set")
    found = await get_profiles(csms, 1103, {"chargingProfileId": [103]})
    same_profile(found, 0, sent, req=REPORT_REQ)


@oca(
    "TC_K_04_CS",
    "Replace charging profile - With chargingProfileId",
    profile="smart-charging",
    versions=V2,
    kills=("sc-replace-keeps-old",),
)
async def test_replace_by_id(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_04_CS (K01.FR.05): with a TxDefaultProfile of limit 6 installed (memory state), one
    with the same id and limit 10 is Accepted (step 2) and replaces it: GetChargingProfiles by
    that id reports the new one (steps 4-5)."""
    evse, unit = evse_of(sut_profile), rate_unit(sut_profile)
    first = profile_payload(104, TX_DEFAULT, unit)
    await set_profile(csms, evse, first, status="Accepted", req="K01: memory state")
    second = profile_payload(104, TX_DEFAULT, unit, amps=10.0)
    await set_profile(csms, evse, second, status="Accepted", req="K01.FR.05: replacement set")
    found = await get_profiles(csms, 1104, {"chargingProfileId": [104]})
    same_profile(found, evse, second, req="K01.FR.05: the profile of the same id is replaced")


@oca(
    "TC_K_05_CS",
    "Clear Charging Profile - With chargingProfileId",
    profile="smart-charging",
    versions=V2,
    kills=("sc-clear-keeps-profile",),
)
async def test_clear_by_id(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_05_CS (K10.FR.03): with a profile installed, ClearChargingProfile by its id is
    Accepted (step 2); GetChargingProfiles by that id then answers NoProfiles (step 4)."""
    sent = profile_payload(105, TX_DEFAULT, rate_unit(sut_profile))
    await set_profile(csms, evse_of(sut_profile), sent, status="Accepted", req="K01: memory")
    req = "K10.FR.03: the profile of that id is cleared"
    await clear_profile(csms, profile_id=105, status="Accepted", req=req)
    await get_profiles(csms, 1105, {"chargingProfileId": [105]}, status="NoProfiles", req=req)


@oca(
    "TC_K_06_CS",
    "Clear Charging Profile - With stackLevel/purpose combination for one profile",
    profile="smart-charging",
    versions=V2,
    kills=("sc-clear-keeps-profile",),
)
async def test_clear_by_criteria(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_K_06_CS (K10.FR.04): during a transaction (EnergyTransferStarted) with a
    TxDefaultProfile of stackLevel 1 installed, ClearChargingProfile with that purpose and
    stackLevel is Accepted (step 2); GetChargingProfiles with the same criteria answers
    NoProfiles (step 4)."""
    sent = profile_payload(106, TX_DEFAULT, rate_unit(sut_profile), stack_level=1)
    await set_profile(csms, evse_of(sut_profile), sent, status="Accepted", req="K01: memory")
    await charging(csms, sut, sut_profile)
    criteria: dict[str, Any] = {"chargingProfilePurpose": TX_DEFAULT, "stackLevel": 1}
    req = "K10.FR.04: the profiles matching every criterion are cleared"
    await clear_profile(csms, status="Accepted", req=req, **criteria)
    await get_profiles(csms, 1106, criteria, status="NoProfiles", req=req)


@oca(
    "TC_K_24_CS",
    "Clear Charging Profile - With stackLevel/purpose combination for multiple profiles",
    profile="smart-charging",
    versions=V2,
    kills=("sc-clear-first-match-only",),
    condition="HFS-8 > 1",
)
async def test_clear_by_criteria_several(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_24_CS (K10.FR.04), for a station with two EVSEs or more: with a TxDefaultProfile of
    stackLevel 1 on each of the first two EVSEs, ClearChargingProfile with that purpose and
    stackLevel is Accepted (step 2); GetChargingProfiles with the same criteria answers
    NoProfiles (step 4): every matching profile is cleared."""
    unit = rate_unit(sut_profile)
    for n, evse in enumerate(sut_profile.sut.evses[:2]):
        sent = profile_payload(124 + 100 * n, TX_DEFAULT, unit, stack_level=1)
        await set_profile(csms, evse.id, sent, status="Accepted", req="K01: memory state")
    criteria: dict[str, Any] = {"chargingProfilePurpose": TX_DEFAULT, "stackLevel": 1}
    req = "K10.FR.04: the profiles matching every criterion are cleared"
    await clear_profile(csms, status="Accepted", req=req, **criteria)
    await get_profiles(csms, 1124, criteria, status="NoProfiles", req=req)


@oca(
    "TC_K_07_CS",
    "Clear Charging Profile - With unknown stackLevel/purpose combination",
    profile="smart-charging",
    versions=V2,
    kills=("sc-clear-always-accepted",),
)
async def test_clear_unknown_criteria(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_07_CS (K10.FR.01): with a TxDefaultProfile of stackLevel 1 installed, a
    ClearChargingProfile for ChargingStationMaxProfile stackLevel 0 matches nothing: Unknown
    (step 2)."""
    sent = profile_payload(107, TX_DEFAULT, rate_unit(sut_profile), stack_level=1)
    await set_profile(csms, evse_of(sut_profile), sent, status="Accepted", req="K01: memory")
    await clear_profile(
        csms,
        status="Unknown",
        req="K10.FR.01: Unknown when no profile matches",
        chargingProfilePurpose=MAX,
        stackLevel=0,
    )


@oca(
    "TC_K_08_CS",
    "Clear Charging Profile - Without previous charging profile",
    profile="smart-charging",
    versions=V2,
    kills=("sc-clear-always-accepted",),
)
async def test_clear_none_installed(csms: CsmsPeer) -> None:
    """TC_K_08_CS (K10.FR.01): with no profile installed, ClearChargingProfile by an id is
    answered Unknown (step 2)."""
    await clear_profile(
        csms, profile_id=108, status="Unknown", req="K10.FR.01: Unknown when no profile matches"
    )


@oca(
    "TC_K_10_CS",
    "Set Charging Profile - TxDefaultProfile - All EVSE",
    profile="smart-charging",
    versions=V2,
    kills=("sc-report-wrong-request-id",),
)
async def test_set_tx_default_all(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_10_CS (K01.FR.07/14): a TxDefaultProfile on EVSE 0 is Accepted (step 2); GetChargingProfiles by its id is Accepted (step 4) and reported on
    EVSE 0 with the requestId and tbc false (step 5), the profile as sent."""
    sent = profile_payload(110, TX_DEFAULT, rate_unit(sut_profile))
    await set_profile(csms, 0, sent, status="Accepted", req="K01.FR.14: TxDefaultProfile on 0")
    found = await get_profiles(csms, 1110, {"chargingProfileId": [110]})
    same_profile(found, 0, sent, req=REPORT_REQ)


@oca(
    "TC_K_11_CS",
    "Set Charging Profile - Unable to set TxProfile on all EVSE at once",
    profile="smart-charging",
    versions=V2,
    kills=("sc-txprofile-on-station",),
)
async def test_tx_profile_on_station(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_11_CS (K01.FR.16): a TxProfile on EVSE 0 is Rejected (step 2)."""
    sent = profile_payload(111, TX, rate_unit(sut_profile), kind="Relative")
    await set_profile(
        csms, 0, sent, status="Rejected", req="K01.FR.16: a TxProfile on EVSE 0 is Rejected"
    )


@oca(
    "TC_K_13_CS",
    "Set Charging Profile - Persistent over reboot",
    profile="smart-charging",
    versions=V2,
    kills=("sc-profiles-lost-on-reboot",),
)
async def test_persistent_over_reboot(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_13_CS (K01.FR.27): a TxDefaultProfile on the configured EVSE is Accepted (step 2);
    after a power cycle (reusable state Booted, step 3) GetChargingProfiles by its id is
    Accepted and reports it as sent (steps 5-6)."""
    evse = evse_of(sut_profile)
    sent = profile_payload(113, TX_DEFAULT, rate_unit(sut_profile), duration=None)
    await set_profile(csms, evse, sent, status="Accepted", req="K01: TxDefaultProfile set")
    await sut.reboot()
    await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B01.FR.01: BootNotification at boot"
    )
    await connectors_reported(csms, sut_profile)
    found = await get_profiles(
        csms, 1113, {"chargingProfileId": [113]}, req="K01.FR.27: the profile survives a reboot"
    )
    same_profile(found, evse, sent, req="K01.FR.27: the profile survives a reboot")


@oca(
    "TC_K_14_CS",
    "Set Charging Profile - Unexisting EVSEid",
    profile="smart-charging",
    versions=V2,
    kills=("sc-unknown-evse-accepted",),
)
async def test_unknown_evse(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_14_CS (K01.FR.28): a profile for an EVSE the station does not have (the number of
    EVSEs + 1; the highest id + 1 here) is Rejected (step 2)."""
    unknown = max(e.id for e in sut_profile.sut.evses) + 1
    sent = profile_payload(114, TX_DEFAULT, rate_unit(sut_profile))
    await set_profile(
        csms, unknown, sent, status="Rejected", req="K01.FR.28: an unknown EVSE is Rejected"
    )


@oca(
    "TC_K_16_CS",
    "Set Charging Profile - Unknown transactionId",
    profile="smart-charging",
    versions=V2,
    kills=("sc-unknown-transaction-accepted",),
)
async def test_unknown_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_16_CS (K01.FR.33): during a transaction on the configured EVSE
    (EnergyTransferStarted), a TxProfile there with transactionId UNKNOWN-TRANSACTION-ID is
    Rejected (step 2)."""
    session = await charging(csms, sut, sut_profile)
    sent = profile_payload(116, TX, rate_unit(sut_profile), transactionId=UNKNOWN_TX)
    await set_profile(
        csms,
        session.evse_id,
        sent,
        status="Rejected",
        req="K01.FR.33: a TxProfile for an unknown transactionId is Rejected",
    )


@oca(
    "TC_K_19_CS",
    "Set Charging Profile - ChargingProfileKind is Recurring",
    profile="smart-charging",
    versions=V2,
    kills=("sc-recurring-rejected",),
)
async def test_recurring(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_19_CS (K01.FR.40): a Recurring (Daily) TxDefaultProfile with a startSchedule is
    Accepted (step 2). Beyond the OCA: GetChargingProfiles reports it as sent."""
    evse = evse_of(sut_profile)
    sent = profile_payload(
        119, TX_DEFAULT, rate_unit(sut_profile), kind="Recurring", recurrencyKind="Daily"
    )
    await set_profile(
        csms,
        evse,
        sent,
        status="Accepted",
        req="K01.FR.40: a Recurring profile with a startSchedule is Accepted",
    )
    found = await get_profiles(csms, 1119, {"chargingProfileId": [119]})
    same_profile(found, evse, sent, req=REPORT_REQ)


@oca(
    "TC_K_60_CS",
    "Set Charging Profile - TxProfile with ongoing transaction on the specified EVSE",
    profile="smart-charging",
    versions=V2,
    kills=("sc-txprofile-rejected", "sc-limit-not-enforced"),
)
async def test_tx_profile_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_60_CS (K01.FR.04/07/15): during a transaction (EnergyTransferStarted) a Relative
    TxProfile with its transactionId is Accepted (step 2); GetChargingProfiles by its id is
    Accepted (step 4) and reports it (step 5). Beyond the OCA: the EV then draws at most the
    profile's limit (6 A on three phases, or 6000 W at a W-only station; two triggered meter
    readings 5 s apart, :func:`.sc_delivery.drawn_within`)."""
    session = await charging(csms, sut, sut_profile)
    sent = profile_payload(
        160, TX, rate_unit(sut_profile), kind="Relative", transactionId=session.tx_id
    )
    await set_profile(
        csms,
        session.evse_id,
        sent,
        status="Accepted",
        req="K01.FR.04: a TxProfile for the running transaction is Accepted",
    )
    found = await get_profiles(csms, 1160, {"chargingProfileId": [160]})
    same_profile(found, session.evse_id, sent, req=REPORT_REQ)
    unit = rate_unit(sut_profile)  # the profile's 6 A, or 6000 W for a W-only station, in W
    await drawn_within(
        csms, session.evse_id, to_unit(limit(unit, 6.0), unit, "W", PHASES, NOMINAL_VOLTAGE_V)
    )
