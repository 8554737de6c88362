"""The plugin as a user meets it (through pytester): profile errors, fault selection, verdicts
and evidence against the reference station and against hostile stations."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
B_CASES = ROOT / "testcases" / "v201" / "test_b_provisioning.py"

pytest_plugins = ["pytester"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _station_profile(path: Path, port: int) -> Path:
    path.write_text(
        "name: hostile test station\n"
        "sut:\n"
        "  role: charging-station\n"
        '  ocpp: "2.0.1"\n'
        "  identity: HOSTILE1\n"
        "  security_profile: 1\n"
        "  password_env: HOSTILE_PASSWORD\n"
        f"  listen: {{host: 127.0.0.1, port: {port}}}\n"
        "  actions: {type: manual}\n"
        "  timeouts: {response_s: 1, action_s: 2, connect_s: 2}\n",
        "utf-8",
    )
    return path


def test_malformed_profile_stops_with_precise_message(pytester: pytest.Pytester) -> None:
    bad = pytester.path / "bad.yaml"
    bad.write_text(
        'name: x\nsut:\n  role: charging-station\n  ocpp: "2.0"\n  identity: A\n', "utf-8"
    )
    result = pytester.runpytest_subprocess(
        str(B_CASES), "--ocpp-sut", str(bad), "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*bad.yaml: sut.ocpp: '2.0' is not a supported OCPP version*Example*"]
    )


def test_unknown_fault_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(str(B_CASES), "--ocpp-fault", "boot-ignores-intervall")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*unknown fault 'boot-ignores-intervall'*Did you mean boot-ignores-interval*"]
    )


def test_reference_station_passes_and_writes_reports(pytester: pytest.Pytester) -> None:
    report = pytester.path / "report"
    result = pytester.runpytest_subprocess(
        str(B_CASES), "--oca", "TC_B_06_CS", "--ocpp-report", str(report)
    )
    result.assert_outcomes(passed=1)
    document = json.loads((report / "results.json").read_text("utf-8"))
    (case,) = document["cases"]
    assert (case["id"], case["version"], case["verdict"]) == ("TC_B_06_CS", "2.0.1", "pass")
    assert case["trace"], "a verdict without evidence"
    assert document["run"]["sut"]["identity"]["vendor"] == "ocpp-harness"
    for name in (
        "junit.xml",
        "index.html",
        "cases/TC_B_06_CS-2.0.1.jsonl",
        "cases/TC_B_06_CS-2.0.1.html",
    ):
        assert (report / name).is_file(), name
    assert any((report / "allure-results").iterdir())


def test_fault_turns_the_verdict_into_fail_with_evidence(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        str(B_CASES), "--oca", "TC_B_06_CS", "--ocpp-fault", "getvariables-rejects-known"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*-> B06.FR.10: a known variable is Accepted*",
            "*Expected: attributeStatus='Accepted'*",
            "*OCPP trace*",
            "*GetVariables*",
        ]
    )


@pytest.fixture
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    port = _free_port()
    mode: str = request.param
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hostile_station", f"ws://127.0.0.1:{port}/HOSTILE1", mode],
        cwd=ROOT,
    )
    try:
        yield _station_profile(tmp_path / "hostile.yaml", port), mode
    finally:
        proc.kill()
        proc.wait(timeout=5)


@pytest.mark.parametrize("hostile", ["silent", "garbage", "drop", "wrong-id"], indirect=True)
def test_hostile_station_gives_fail_with_evidence(
    pytester: pytest.Pytester, hostile: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A station that says nothing, sends garbage, drops the link or answers with the wrong id:
    FAIL with evidence within the profile's timeouts — never a hang, an ERROR or a traceback."""
    profile, mode = hostile
    monkeypatch.setenv("HOSTILE_PASSWORD", "unused")
    report = pytester.path / "report"
    result = pytester.runpytest_subprocess(
        str(B_CASES),
        "--oca",
        "TC_B_06_CS",
        "--ocpp-sut",
        str(profile),
        "--ocpp-report",
        str(report),
        timeout=60,
    )
    document = json.loads((report / "results.json").read_text("utf-8"))
    (case,) = document["cases"]
    assert case["verdict"] == "fail", (mode, case["reason"])
    assert case["failed_requirement"], case
    assert "Traceback" not in result.stdout.str()


def test_missing_password_variable_is_one_usage_error(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile whose password variable is not set stops the run at once with one message
    naming the variable and the fix: no case runs, no traceback."""
    monkeypatch.delenv("HOSTILE_PASSWORD", raising=False)
    profile = _station_profile(tmp_path / "station.yaml", _free_port())
    result = pytester.runpytest_subprocess(str(B_CASES), "--ocpp-sut", str(profile))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*HOSTILE_PASSWORD is not set*export HOSTILE_PASSWORD=*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def _csms_profile(path: Path, url: str) -> Path:
    path.write_text(
        "name: unreachable test CSMS\n"
        "sut:\n"
        "  role: csms\n"
        '  ocpp: "2.0.1"\n'
        "  identity: CS-SETUP\n"
        "  security_profile: 0\n"
        f"  url: {url}\n"
        "  actions: {type: manual}\n"
        "  timeouts: {response_s: 1, action_s: 2, connect_s: 2}\n",
        "utf-8",
    )
    return path


def _one_setup_line(result: pytest.RunResult, *fragments: str) -> None:
    """Issue 8 item 4: the run stops before any case with one line and the usage status."""
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    out = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in out
    lines = [line for line in out.splitlines() if "SUT profile:" in line]
    assert len(lines) == 1, out
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert " passed" not in out
    assert " failed" not in out


def test_a_listen_port_in_use_is_one_setup_error(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTILE_PASSWORD", "hostile-password-123")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        profile = _station_profile(tmp_path / "station.yaml", port)
        result = pytester.runpytest_subprocess(
            str(B_CASES), "--ocpp-sut", str(profile), "-p", "no:cacheprovider"
        )
    _one_setup_line(result, "sut.listen", f"port {port}", "already in use", "another port")


@pytest.mark.parametrize(
    ("url", "fragments"),
    [
        (
            "ws://127.0.0.1:{port}/ocpp",
            ("sut.url", "nothing listens at 127.0.0.1", "start the CSMS"),
        ),
        (
            "ws://no-such-host.invalid/ocpp",
            ("sut.url", "'no-such-host.invalid' cannot be resolved"),
        ),
    ],
)
def test_an_unreachable_csms_is_one_setup_error(
    pytester: pytest.Pytester, tmp_path: Path, url: str, fragments: tuple[str, ...]
) -> None:
    profile = _csms_profile(tmp_path / "csms.yaml", url.format(port=_free_port()))
    result = pytester.runpytest_subprocess(
        str(ROOT / "testcases" / "v201"), "--ocpp-sut", str(profile), "-p", "no:cacheprovider"
    )
    _one_setup_line(result, *fragments)
    out = result.stdout.str()
    assert "spec warning: sut.security_profile 0" in out  # item 4: 2.x without security runs
