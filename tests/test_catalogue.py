"""OCA catalogue lookups (harness.catalogue)."""

from __future__ import annotations

import pytest

from harness.catalogue import (
    CatalogueEntry,
    Requirement,
    UnknownTestCase,
    all_entries,
    lookup,
    profile_slug,
)
from harness.config import OcppVersion, Profile, Role

V2X = (OcppVersion.V201, OcppVersion.V21)


def test_cold_boot_for_a_station() -> None:
    entry = lookup("TC_B_01_CS")
    assert entry == CatalogueEntry(
        id="TC_B_01_CS",
        title="Cold Boot Charging Station - Accepted",
        role=Role.CHARGING_STATION,
        versions=V2X,
        profiles=("core",),
        requirement=Requirement.MANDATORY,
        condition="",
    )


def test_cold_boot_for_a_csms() -> None:
    entry = lookup("TC_B_01_CSMS")
    assert entry.role is Role.CSMS
    assert entry.title == "Cold Boot Charging Station - Accepted"
    assert entry.requirement is Requirement.MANDATORY


def test_csms_only_case() -> None:
    entry = lookup("TC_B_58_CSMS")
    assert entry.role is Role.CSMS
    assert entry.versions == V2X
    assert entry.profiles == ("core",)
    with pytest.raises(KeyError, match=r"TC_B_58 has no CS variant.*TC_B_58_CSMS"):
        lookup("TC_B_58_CS")


def test_basic_auth_username_check_is_csms_only() -> None:
    entry = lookup("TC_A_02_CSMS")
    assert entry.role is Role.CSMS
    assert entry.requirement is Requirement.MANDATORY
    with pytest.raises(UnknownTestCase, match="no CS variant"):
        lookup("TC_A_02_CS")


def test_station_only_case_asked_as_csms() -> None:
    assert lookup("TC_F_05_CS").requirement is Requirement.CONDITIONAL
    with pytest.raises(KeyError) as info:
        lookup("TC_F_05_CSMS")
    assert str(info.value) == (
        "'TC_F_05_CSMS' is not in the OCA catalogue "
        "(TC_F_05 has no CSMS variant; the catalogue has TC_F_05_CS)"
    )


def test_ocpp16_cases() -> None:
    station = lookup("TC_001_CS")
    assert (station.role, station.versions, station.profiles) == (
        Role.CHARGING_STATION,
        (OcppVersion.V16,),
        ("core",),
    )
    assert station.requirement is None
    assert station.title == "Cold Boot Charge Point"
    csms = lookup("TC_001_CSMS")
    assert (csms.role, csms.versions, csms.profiles) == (Role.CSMS, (OcppVersion.V16,), ("core",))


def test_ocpp16_csms_cases_take_the_station_case_profile() -> None:
    assert lookup("TC_044_1_CSMS").profiles == ("firmware-management",)
    assert lookup("TC_043_4_CSMS").profiles == ("local-auth-list",)  # family TC_043_*
    assert lookup("TC_064_CSMS").profiles == ("core",)


def test_unknown_id_suggests_close_ones() -> None:
    with pytest.raises(KeyError, match=r"closest: .*TC_B_01_CS"):
        lookup("TC_B_001_CS")
    with pytest.raises(KeyError, match="not in the OCA catalogue"):
        lookup("TC_ZZ_99_CS")


def test_id_without_role_suffix() -> None:
    with pytest.raises(KeyError, match="TC_B_01_CS, TC_B_01_CSMS"):
        lookup("TC_B_01")


def test_lookup_ignores_case_and_spaces() -> None:
    assert lookup(" tc_b_01_cs ").id == "TC_B_01_CS"


def test_ocpp21_new_cases() -> None:
    entry = lookup("TC_B_100_CSMS")
    assert entry.versions == (OcppVersion.V21,)
    assert entry.requirement is Requirement.OPTIONAL
    with pytest.raises(KeyError):
        lookup("TC_B_101_CSMS")


def test_multi_profile_rows_and_role_titles() -> None:
    assert lookup("TC_K_10_CS").profiles == ("smart-charging", "iso15118")
    assert lookup("TC_B_12_CSMS").profiles == ("core", "advanced-device-management")
    assert lookup("TC_N_18_CS").title == "Clear Monitoring - Success"
    assert lookup("TC_N_18_CSMS").title == "Clear Monitoring - Too many elements"


def test_odd_cells() -> None:
    assert lookup("TC_B_12_CSMS").requirement is Requirement.CONDITIONAL  # "C/M"
    assert lookup("TC_B_08_CSMS").profiles == ()  # listed in no certification profile
    slipped = lookup("TC_F_06_CSMS")  # the condition sits in the grade column
    assert (slipped.requirement, slipped.condition) == (Requirement.CONDITIONAL, "C-11")


def test_robustness_cases_are_ours_for_both_roles() -> None:
    station, csms = lookup("RB_01_CS"), lookup("RB_01_CSMS")
    assert (station.role, csms.role) == (Role.CHARGING_STATION, Role.CSMS)
    assert station.title == csms.title == "Invalid JSON"
    assert station.versions == (OcppVersion.V16, OcppVersion.V201, OcppVersion.V21)
    assert station.profiles == csms.profiles == ("robustness",)
    assert station.requirement is Requirement.OPTIONAL
    assert lookup("RB_18_CSMS").versions == (OcppVersion.V21,)  # SEND exists in 2.1 only
    with pytest.raises(KeyError, match="RB_01_CS, RB_01_CSMS"):
        lookup("RB_01")
    robustness = [e for e in all_entries() if e.profiles == ("robustness",)]
    assert len(robustness) == 2 * len({e.id.rsplit("_", 1)[0] for e in robustness})


def test_all_entries_are_consistent() -> None:
    entries = all_entries()
    assert len({e.id for e in entries}) == len(entries)
    known = {p.value for p in Profile}
    for entry in entries:
        suffix = "_CSMS" if entry.role is Role.CSMS else "_CS"
        assert entry.id.endswith(suffix)
        assert entry.title
        assert set(entry.profiles) <= known, entry
        assert lookup(entry.id) is entry
    assert all_entries() is entries  # cached


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Core", "core"),
        ("Advanced Security", "advanced-security"),
        ("AdvSec", "advanced-security"),
        ("Local Authorization List Management", "local-auth-list"),
        ("LocalAuthListManagement", "local-auth-list"),
        ("Smart Charging", "smart-charging"),
        ("Advanced Device Management", "advanced-device-management"),
        ("AdvDevMgmt", "advanced-device-management"),
        ("Reservation", "reservation"),
        ("Advanced User Interface", "advanced-user-interface"),
        ("ISO 15118 support", "iso15118"),
        ("FirmwareManagement (diagnostics)", "firmware-management"),
        ("RemoteTrigger", "remote-trigger"),
        ("Core (DataTransfer)", "core"),
        ("smart-charging", "smart-charging"),
        ("Battery Swap", "battery-swap"),
        ("BatterySwap", "battery-swap"),
    ],
)
def test_profile_slug(name: str, slug: str) -> None:
    assert profile_slug(name) == slug


def test_profile_slug_needs_a_name() -> None:
    with pytest.raises(ValueError, match="no certification profile name"):
        profile_slug("(not in Part 5 lists)")
