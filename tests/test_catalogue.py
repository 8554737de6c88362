"""OCA catalogue lookups (harness.catalogue)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.catalogue import (
    CatalogueEntry,
    Requirement,
    UnknownTestCase,
    all_entries,
    lookup,
    profile_slug,
)
from harness.catalogue.coverage_report import CatalogueUsageError, catalogue_report
from harness.catalogue.implemented import declaration_problems, implemented_cases, implemented_ids
from harness.catalogue.scopes import ScopeError, expand
from harness.cli import main as cli_main
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


# --- the catalogue against the code (ocpp-harness catalogue; issue 9 item 1) ---------------------

BUILTIN_COMBOS = [(role, version) for role in Role for version in OcppVersion]


def test_code_and_catalogue_are_in_step() -> None:
    """Every ``@oca`` declaration names a profile the catalogue gives its id, and no id is claimed
    twice (an unknown id, version or fault already stops the module at import: ``oca()``)."""
    assert implemented_cases()
    assert declaration_problems() == []


def test_declaration_problems_name_a_stray_profile_and_a_duplicate() -> None:
    case = next(c for c in implemented_cases() if c.id == "TC_B_01_CS")
    stray = dataclasses.replace(case, profile="smart-charging")
    assert declaration_problems((stray, case, case)) == [
        "TC_B_01_CS: profile='smart-charging', but the catalogue lists it under core",
        "TC_B_01_CS: 3 test functions claim this id",
    ]
    unprofiled = dataclasses.replace(case, id="TC_B_08_CSMS", role=Role.CSMS)
    assert declaration_problems((unprofiled,)) == [
        "TC_B_08_CSMS: profile='core', but the catalogue lists it under no profile"
    ]


def test_every_id_called_implemented_is_a_case_pytest_collects(tmp_path: Path) -> None:
    """The other direction: what the command counts as implemented is exactly what pytest
    collects and a run of that role and version selects (no function it misses or invents)."""
    out = tmp_path / "collected.json"
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "pytest", "testcases", "--collect-only", "-q"]
    command += ["-p", "no:cacheprovider", "-p", "tests.oca_collection"]
    done = subprocess.run(
        command,
        cwd=root,
        env={**os.environ, "OCPP_COLLECTED": str(out)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    collected = json.loads(out.read_text("utf-8"))
    for role, version in BUILTIN_COMBOS:
        runs = {c["id"] for c in collected if c["role"] == role and version in c["versions"]}
        assert implemented_ids(role, version) == runs, (role, version)
        report = catalogue_report(version, role)
        printed = {i for row in report["roles"][0]["profiles"] for i in row["implemented"]}
        assert printed <= runs, (role, version)


def test_catalogue_report_counts_add_up() -> None:
    report = catalogue_report("2.0.1", profile="Core")
    assert report["schema"] == "ocpp-harness/catalogue/1"
    assert report["filters"] == {"role": None, "profile": "core", "blocks": None}
    assert report["problems"] == []
    assert [r["role"] for r in report["roles"]] == ["charging-station", "csms"]
    mandatory = {}
    for role in report["roles"]:
        (core,) = role["profiles"]
        mandatory[role["role"]] = core["mandatory"]["catalogue"]
        total = core["total"]
        assert len(core["implemented"]) == total["implemented"]
        assert len(core["missing"]) == total["catalogue"] - total["implemented"]
        assert not set(core["implemented"]) & {m["id"] for m in core["missing"]}
        for key in ("mandatory", "conditional", "total"):
            for side in ("catalogue", "implemented"):
                assert sum(b[key][side] for b in core["blocks"]) == core[key][side], (key, side)
        assert [b["block"] for b in core["blocks"]][:3] == ["A", "B", "C"]
    assert mandatory == {"charging-station": 104, "csms": 105}


def test_the_issue9_scope_is_core_of_its_blocks_without_the_offline_rows() -> None:
    (scope,) = catalogue_report("2.0.1", profile="core")["scopes"]
    assert scope["name"] == "core-issue9"
    assert scope["blocks"] == ["B", "C", "E", "F", "G", "J", "N", "P"]
    assert scope["excluded"][:8] == [f"TC_E_{n}" for n in range(28, 35)] + ["TC_E_40"]
    assert len(scope["excluded"]) == 16
    station, csms = scope["roles"]
    # Core M per block (B 30, E 12 of which 11 excluded, F 4, G 20, J 6, N 4, P 2; C has none)
    assert station["mandatory"]["catalogue"] == 67
    for part in scope["roles"]:
        m = part["mandatory"]
        assert part["mandatory_share"] == round(m["implemented"] / m["catalogue"], 4)
        for missing in part["missing_mandatory"]:
            assert missing["id"].split("_")[1] in scope["blocks"]
            assert missing["id"].rsplit("_", 1)[0] not in scope["excluded"]
    assert csms["role"] == "csms"
    assert catalogue_report("1.6")["scopes"] == []
    assert catalogue_report("2.0.1", profile="reservation")["scopes"] == []


def test_filters_narrow_and_name_what_they_do_not_find() -> None:
    report = catalogue_report("2.1", role="cs", profile="smart-charging", blocks=["k"])
    assert report["filters"] == {
        "role": "charging-station",
        "profile": "smart-charging",
        "blocks": ["K"],
    }
    (role,) = report["roles"]
    (row,) = role["profiles"]
    assert [b["block"] for b in row["blocks"]] == ["K"]
    assert all(m["block"] == "K" for m in row["missing"])
    station_21, _ = catalogue_report("2.1")["roles"]
    station_201, _ = catalogue_report("2.0.1")["roles"]
    unprofiled = {m["id"] for m in station_21["unprofiled"]["missing"]}
    assert "TC_B_100_CS" in unprofiled  # new in 2.1: in no certification profile yet
    assert "TC_B_100_CS" not in {m["id"] for m in station_201["unprofiled"]["missing"]}
    assert role["unprofiled"] is None  # a profile was asked for
    for kwargs, message in (
        ({"version": "2.0"}, "unknown OCPP version '2.0'"),
        ({"role": "ev"}, "unknown role 'ev'"),
        ({"profile": "Battery Swap"}, "no OCPP 2.0.1 case in profile 'Battery Swap'"),
        ({"blocks": ["B,Z"]}, "no OCPP 2.0.1 block ['Z']"),
    ):
        with pytest.raises(CatalogueUsageError, match=re.escape(message)):
            catalogue_report(**kwargs)


def test_scope_ranges() -> None:
    assert expand("TC_E_08-10, tc_e_53") == ("TC_E_08", "TC_E_09", "TC_E_10", "TC_E_53")
    with pytest.raises(ScopeError, match="runs backwards"):
        expand("TC_E_34-28")


def test_catalogue_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli_main(["catalogue", "--version", "2.0.1", "--profile", "core", "--format", "json"]) == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document == catalogue_report("2.0.1", profile="core")
    assert cli_main(["catalogue", "--role", "csms", "--profile", "core", "--blocks", "B"]) == 0
    text = capsys.readouterr().out
    assert "CSMS under test (ids ending _CSMS)" in text
    assert "Charging station under test" not in text
    assert re.search(r"^    B +\d+ / 9 ", text, re.M)  # Core by block: B, 9 mandatory CSMS ids
    assert re.search(r"^    M   TC_B_09_CSMS +Set Variables - single value$", text, re.M) or (
        "TC_B_09_CSMS" in document["roles"][1]["profiles"][0]["implemented"]
    )
    assert "Scope core-issue9" in text
    assert cli_main(["catalogue", "--profile", "nothing"]) == 2
    assert (
        "ocpp-harness catalogue: no OCPP 2.0.1 case in profile 'nothing'" in capsys.readouterr().err
    )


def test_catalogue_from_an_installed_layout(tmp_path: Path) -> None:
    """Outside a checkout, as from a wheel: the cases are read from ``harness/_suite/testcases``
    (:mod:`harness.layout`), with the same answer as here."""
    root = Path(__file__).resolve().parents[1]
    site = tmp_path / "site"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(root / "harness", site / "harness", ignore=skip)
    shutil.copytree(root / "testcases", site / "harness" / "_suite" / "testcases", ignore=skip)
    code = (
        "import sys; from harness.cli import main; "
        "status = main(['catalogue', '--profile', 'core', '--format', 'json']); "
        "print(sys.modules['testcases'].__file__, file=sys.stderr); sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip() == str(site / "harness" / "_suite" / "testcases" / "__init__.py")
    assert json.loads(done.stdout) == catalogue_report("2.0.1", profile="core")


def test_readme_lists_the_actions_each_case_may_ask_for() -> None:
    """Issue 9 item 6: the README's table of actions per case is the one the source gives."""
    from harness.catalogue.case_actions import actions_by_case, render_markdown

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text("utf-8")
    begin = readme.index("<!-- actions-by-case:begin")
    start = readme.index("\n", begin) + 1
    end = readme.index("<!-- actions-by-case:end -->")
    by_case = actions_by_case(root / "testcases")
    assert readme[start:end] == render_markdown(by_case), (
        "README's actions table is stale: paste `ocpp-harness catalogue --actions`"
    )
    # the analysis follows helpers across modules: a case that plugs in through tx_states
    assert {"plug_in", "present_token", "unplug"} <= by_case["TC_E_03_CS"]
    assert by_case["TC_C_37_CSMS"] == {"clear_cache"}
    assert by_case["TC_B_06_CS"] == frozenset()
