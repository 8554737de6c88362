"""``ocpp-harness`` as CI meets it: ``run`` exits 0 when every claimed profile is verified, 1 when a
claimed profile failed, 2 on usage errors, 3 when a claim could not be verified; ``report``
renders again from results.json; ``diff`` exits 1 on a regression."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from harness.report.schema import load_results

ROOT = Path(__file__).resolve().parents[1]
SUT = "reference-csms-v16"
#: The OCA cases only (the robustness cases are another suite's business), for speed.
# the 1.6 Core cases (firmware management is 044/045, local list 042/043, reservation 046-053,
# remote trigger 054/055, the security ones 07x-08x but 088, the subprotocol negotiation)
OCA_ONLY = (
    "--",
    *("--oca", "TC_0[0-3]*", "--oca", "TC_040_*", "--oca", "TC_06[14]_*", "--oca", "TC_088_*"),
)
#: The built-in claims every 1.6 profile its reference implements; these runs hold it to Core.
CORE_ONLY = 'claims:\n  profiles: [core]\n  versions: ["1.6"]\n'


def _core_claims(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    datasheet = tmp_path_factory.mktemp("claims") / "core.yaml"
    datasheet.write_text(CORE_ONLY, "utf-8")
    return "--claims", str(datasheet)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _results(report: Path) -> dict[str, Any]:
    return load_results(report / "results.json")  # validates against results.schema.json


@pytest.fixture(scope="module")
def passing(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    report = tmp_path_factory.mktemp("passing")
    claims = _core_claims(tmp_path_factory)
    return report, _cli("run", "--sut", SUT, "--report", str(report), *claims, *OCA_ONLY)


@pytest.fixture(scope="module")
def failing(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    report = tmp_path_factory.mktemp("failing")
    fault = ("--fault", "csms-accepts-unknown-token", *_core_claims(tmp_path_factory))
    return report, _cli("run", "--sut", SUT, "--report", str(report), *fault, *OCA_ONLY)


def test_run_exits_0_when_every_claimed_profile_is_verified(
    passing: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    report, result = passing
    assert result.returncode == 0, result.stdout + result.stderr
    document = _results(report)
    assert document["outcome"]["status"] == "verified"
    core = document["profiles"][0]
    assert (core["profile"], core["claimed"], core["status"]) == ("core", True, "verified")
    assert document["run"]["sut"]["identity"]["identity"]
    # the CLI ends with the per-profile table, the outcome and where the report is
    tail = result.stdout.strip().splitlines()[-4:]
    assert re.match(r"\s+profile\s+claimed\s+verdict", tail[0]), tail
    assert re.match(r"\s+Core\s+yes\s+Verified", tail[1]), tail
    assert "outcome: VERIFIED (exit 0)" in tail[2]
    assert tail[3].startswith("report: ")


def test_junit_names_each_case_by_its_oca_id(
    passing: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    report, _ = passing
    testcases = ET.parse(report / "junit.xml").getroot().iter("testcase")
    names = [tc.get("name", "") for tc in testcases]
    assert names
    assert all(re.match(r"TC_\d+\w*_CSMS \(test_\w+\)$", n) for n in names), names


def test_allure_results_carry_version_profile_block_id_and_trace(
    passing: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    report, _ = passing
    results = [
        json.loads(f.read_text("utf-8")) for f in (report / "allure-results").glob("*-result.json")
    ]
    assert results
    for result in results:
        labels = {label["name"]: label["value"] for label in result["labels"]}
        assert labels["epic"] == "OCPP 1.6"
        assert labels["feature"] == "Core"
        assert labels["story"].startswith("Block ")
        assert re.match(r"TC_\w+_CSMS$", labels["as_id"])
        assert [a["name"] for a in result["attachments"]] == ["OCPP trace"]


def test_a_fault_in_a_claimed_profile_turns_it_red_on_top_and_exits_1(
    failing: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    report, result = failing
    assert result.returncode == 1, result.stdout + result.stderr
    assert "TC_023_1_CSMS" in result.stdout
    assert "outcome: FAILED (exit 1)" in result.stdout
    document = _results(report)
    assert document["outcome"]["exit_code"] == 1
    assert document["discrepancies"][0]["kind"] == "claimed-failing"
    assert (document["profiles"][0]["profile"], document["profiles"][0]["status"]) == (
        "core",
        "failed",
    )
    index = (report / "index.html").read_text("utf-8")
    assert re.search(r'<li class="fail" data-kind="claimed-failing">', index)
    assert re.search(r'<tr class="row bad" data-profile="core" data-status="failed">', index)
    case = next(c for c in document["cases"] if c["verdict"] == "fail")
    assert case["failing_frame"] is not None
    page = (report / "cases" / f"{case['id']}-{case['version']}.html").read_text("utf-8")
    assert f'id="f{case["failing_frame"]}" class="' in page


def test_a_datasheet_claims_file_is_held_against_the_device(tmp_path: Path) -> None:
    datasheet = tmp_path / "datasheet.yaml"
    datasheet.write_text(
        'claims:\n  profiles: [core, iso15118]\n  versions: ["1.6", "2.0.1"]\n', "utf-8"
    )
    report = tmp_path / "report"
    result = _cli(
        "run", "--sut", SUT, "--report", str(report), "--claims", str(datasheet), *OCA_ONLY
    )
    assert result.returncode == 3, result.stdout + result.stderr  # ISO 15118: not testable on 1.6
    document = _results(report)
    source = document["run"]["claims"]["source"]
    assert (source["kind"], source["file"]) == ("claims-file", str(datasheet))
    assert document["run"]["claims"]["profiles"] == ["core", "iso15118"]
    kinds = [d["kind"] for d in document["discrepancies"]]
    assert kinds == ["claimed-not-testable", "version-not-tested"]
    statuses = {p["profile"]: p["status"] for p in document["profiles"]}
    assert statuses == {"iso15118": "not-testable", "core": "verified"}


def test_run_exits_2_on_a_bad_profile(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsut: {role: station}\n", "utf-8")
    result = _cli("run", "--sut", str(bad), "--report", str(tmp_path / "r"))
    assert result.returncode == 2
    assert "sut.role" in result.stderr


def test_report_renders_index_and_case_pages_again(
    passing: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    report, _ = passing
    out = tmp_path / "again"
    result = _cli("report", str(report / "results.json"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "TC_001_CSMS" in (out / "index.html").read_text("utf-8")
    pages = sorted(p.name for p in (out / "cases").glob("*.html"))
    assert pages == sorted(p.name for p in (report / "cases").glob("*.html"))
    assert _cli("report", str(tmp_path / "missing.json")).returncode == 2


def test_diff_reports_the_regression_between_two_runs(
    passing: tuple[Path, subprocess.CompletedProcess[str]],
    failing: tuple[Path, subprocess.CompletedProcess[str]],
    tmp_path: Path,
) -> None:
    a, b = passing[0] / "results.json", failing[0] / "results.json"
    page = tmp_path / "diff" / "diff.html"
    result = _cli("diff", str(a), str(b), "--html", str(page))
    assert result.returncode == 1, result.stdout + result.stderr
    # the fault accepts every idTag: TC_023_1_CSMS regresses first (with the other idTag cases)
    assert re.search(r"Regressions \(\d+\):\n\s+TC_023_1_CSMS\s+1\.6\s+pass → fail", result.stdout)
    assert "Core" in result.stdout
    assert re.search(
        r"verified on \d+ of \d+ cases → failed", result.stdout
    )  # never a bare verified
    html = page.read_text("utf-8")
    assert "REGRESSED" in html
    assert "TC_023_1_CSMS" in html
    link = re.search(r'href="([^"]+/cases/TC_023_1_CSMS-1\.6\.html)"', html)
    assert link is not None
    assert (page.parent / link.group(1)).is_file()
    assert _cli("diff", str(a), str(a)).returncode == 0
    assert _cli("diff", str(a), str(tmp_path / "nope.json")).returncode == 2


def test_pytest_k_selects_a_case_by_its_oca_id(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "pytest", "testcases", "-p", "no:cacheprovider", "-q"]
    args += ["--ocpp-sut", SUT, "-k", "TC_001_CSMS", f"--junitxml={tmp_path / 'j.xml'}"]
    result = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\b1 passed\b", result.stdout), result.stdout[-2000:]
    (testcase,) = ET.parse(tmp_path / "j.xml").getroot().iter("testcase")
    assert testcase.get("name", "").startswith("TC_001_CSMS (")
    props = {p.get("name"): p.get("value") for p in testcase.iter("property")}
    assert props["oca_id"] == "TC_001_CSMS"
    assert props["verdict"] == "pass"
    assert json.dumps(props)  # properties are plain strings


def test_pytest_refuses_xdist_workers_for_a_run_against_a_sut(tmp_path: Path) -> None:
    """One SUT, one case at a time: ``-n 2`` with --ocpp-report is a usage error (exit 4) naming
    the option to drop, not a run whose results.json holds no case."""
    args = [sys.executable, "-m", "pytest", "testcases", "-p", "no:cacheprovider", "-q", "-n", "2"]
    args += [f"--ocpp-sut={SUT}", f"--ocpp-report={tmp_path / 'report'}", "--oca=TC_001_CSMS"]
    result = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 4, result.stdout[-2000:] + result.stderr[-2000:]
    assert "drop -n 2 (pytest-xdist)" in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "report").exists()


def test_run_and_pytest_offer_the_same_options() -> None:
    """One table (harness/options.py) feeds both command lines (issue 8 item 5)."""
    from harness.options import OPTIONS, flags

    run_help = _cli("run", "--help").stdout
    pytest_help = subprocess.run(
        [sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    for flag in flags():
        assert re.search(rf"(?<![\w-]){flag}\b", run_help), flag
    for opt in OPTIONS:
        assert re.search(rf"^\s+{opt.flag}\b", pytest_help, re.M), opt.flag
    assert "-- PYTEST_ARGS" in run_help


def test_run_passes_each_option_to_pytest_under_its_pytest_spelling() -> None:
    from harness.cli import _parser, run_options

    given = ["--sut", SUT, "--oca", "TC_B_*", "--oca", "TC_E_*", "--fault", "f1"]
    given += ["--ocpp-fault", "f2", "--variant", "v", "--ocpp-shuffle", "7", "--claims", "c.yaml"]
    ns = _parser().parse_args(["run", *given, "--", "-x", "-k", "boot"])
    options = run_options(ns, Path("r"))
    assert options[:2] == ["--ocpp-report=r", "--ocpp-summary=cases"]
    assert set(options[2:]) == {
        f"--ocpp-sut={SUT}",
        "--oca=TC_B_*",
        "--oca=TC_E_*",
        "--ocpp-fault=f1",
        "--ocpp-fault=f2",
        "--ocpp-variant=v",
        "--ocpp-shuffle=7",
        "--ocpp-claims=c.yaml",
    }
    assert ns.pytest_args == ["-x", "-k", "boot"]
    with pytest.raises(SystemExit):
        _parser().parse_args(["run", "--sut", SUT, "--ocpp-fa", "x"])  # no abbreviations


def test_the_suite_settings_of_run_are_the_checkouts() -> None:
    """harness/suite.ini (ocpp-harness run, installed or not) = pyproject's pytest settings."""
    import configparser
    import tomllib

    from harness.layout import PYTEST_INI

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    ini = configparser.ConfigParser()
    ini.read(PYTEST_INI, "utf-8")

    def values(value: object) -> list[str]:  # a list, or one line per entry in the ini file
        if isinstance(value, list):
            return [str(v) for v in value]
        if isinstance(value, bool):
            return [str(value).lower()]
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    expected = {k: values(v) for k, v in pyproject["tool"]["pytest"]["ini_options"].items()}
    assert {k: values(v) for k, v in ini["pytest"].items()} == expected


def test_a_profile_anywhere_on_disk_runs_with_the_suites_settings(tmp_path: Path) -> None:
    """Issue 8 item 4: a profile copied out of the checkout, run from another directory with
    relative paths, gets the checkout's pytest settings (no loop-scope deprecation, strict
    markers) and its report lands where the relative path says."""
    from harness.config import builtin_profile_path

    (tmp_path / "profiles").mkdir()
    shutil.copy(builtin_profile_path("reference-station-v201"), tmp_path / "profiles" / "x.yaml")
    args = ["run", "--sut", "profiles/x.yaml", "--report", "out", "--oca", "TC_B_01_CS"]
    result = subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 3, output[-3000:]  # one case of Core: incomplete
    assert "Deprecat" not in output, output[-3000:]
    assert "PytestConfigWarning" not in output, output[-3000:]
    document = _results(tmp_path / "out")
    assert [c["verdict"] for c in document["cases"]] == ["pass"]
    assert document["run"]["sut"]["profile_file"].endswith("profiles/x.yaml")
    assert not (ROOT / "out").exists()


def test_run_reads_the_results_file_once(
    passing: tuple[Path, subprocess.CompletedProcess[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 8 item 8: a huge results.json is loaded and validated once, not per printout."""
    from harness import cli
    from harness.report import schema

    report = tmp_path / "r"

    def child(args: list[str]) -> int:  # the pytest child: leaves the passing run's results
        shutil.copytree(passing[0], report)
        return 0

    loads: list[Path] = []
    real = schema.load_results

    def load(path: Path) -> dict[str, Any]:
        loads.append(path)
        return real(path)

    monkeypatch.setattr(cli, "supervise", child)
    monkeypatch.setattr(schema, "load_results", load)
    assert cli.main(["run", "--sut", SUT, "--report", str(report)]) == 0
    assert loads == [report / "results.json"]
    assert "outcome: VERIFIED (exit 0)" in capsys.readouterr().out
