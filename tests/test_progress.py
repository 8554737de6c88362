"""Live progress (issue 8 item 2): a line when an OCA case starts and ends, a long wait says what
it waits for, plain text when not a terminal, the per-profile table once.

The child runs use the built-in reference station and announce waits after 0.3 s instead of
3 s (a ``-p`` plugin of the test's own), so a wait of the case (TC_B_01_CS waits a heartbeat
interval of some seconds for its Heartbeat) is announced on every run, however loaded the machine.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import progress
from harness.peers import CsmsPeer
from harness.verdicts import SutFailure

ROOT = Path(__file__).resolve().parents[1]
SUT = "reference-station-v201"
ESCAPES = re.compile(r"[\x1b\r]")
HEARTBEAT_WAIT = re.compile(r"TC_B_01_CS  \.\.\. waiting up to \d+(\.\d+)? s for Heartbeat")


def _child(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest on the test cases in a child process, its output a pipe (not a terminal)."""
    plugin = tmp_path / "progress_quick.py"
    plugin.write_text("import harness.progress\nharness.progress.ANNOUNCE_AFTER_S = 0.3\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PY_COLORS", "FORCE_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "testcases", "-p", "no:cacheprovider",
         "-p", "progress_quick", f"--rootdir={ROOT}", "--ocpp-sut", SUT, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_quiet_run_prints_a_line_per_case_start_and_end_and_the_long_waits(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report"
    result = _child(
        tmp_path, "-q", "--oca", "TC_B_01_CS", "--oca", "TC_B_02_CS",
        "--ocpp-report", str(report), "--ocpp-summary", "cases",
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-2000:]
    lines = out.splitlines()
    starts = [line for line in lines if re.match(r"TC_B_0[12]_CS +\(\d/2\) .+ \.\.\.$", line)]
    assert starts == [
        "TC_B_01_CS  (1/2) Cold Boot Charging Station - Accepted ...",
        "TC_B_02_CS  (2/2) Cold Boot Charging Station - Pending ...",
    ], out[-3000:]
    ends = [line for line in lines if re.match(r"TC_B_0[12]_CS +PASS +\d+\.\d s$", line)]
    assert [e.split()[0] for e in ends] == ["TC_B_01_CS", "TC_B_02_CS"], out[-3000:]
    # in order: start, (waits), end, next start
    assert lines.index(starts[0]) < lines.index(ends[0]) < lines.index(starts[1])
    assert [w for w in lines if HEARTBEAT_WAIT.fullmatch(w)], out[-3000:]
    # the lines take the place of pytest's dots; its counts stay
    assert not [line for line in lines if re.fullmatch(r"[.sFE]+( *\[ *\d+%\])?", line)], out
    assert re.search(r"\b2 passed\b", out)
    assert not ESCAPES.search(out), "escape codes or carriage returns in a non-terminal output"
    # --ocpp-summary cases: the cases and counts, not the per-profile table (the CLI prints it)
    assert "  cases: 2 PASS" in out
    assert not re.search(r"profile +claimed +verdict", out), out[-2000:]
    assert "outcome:" not in out
    assert "report: " not in out
    # progress goes to the terminal only, never into the report files
    for path in report.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            assert not HEARTBEAT_WAIT.search(text), path
            assert "(1/2) Cold Boot" not in text, path


def test_a_case_that_did_not_pass_ends_with_its_verdict_and_requirement(tmp_path: Path) -> None:
    result = _child(tmp_path, "--oca", "TC_B_02_CS", "--ocpp-fault", "pending-sends-status")
    out = result.stdout
    assert result.returncode == 1, out[-3000:] + result.stderr[-2000:]
    assert re.search(r"^TC_B_02_CS  FAIL  \d+\.\d s  B02\.FR\.02: .*StatusNotification", out, re.M)
    assert not ESCAPES.search(out)
    # plain pytest, no switch: the summary ends with the per-profile table
    assert re.search(r"profile +claimed +verdict", out), out[-2000:]


def test_verbose_run_keeps_pytests_lines_and_adds_the_waits(tmp_path: Path) -> None:
    result = _child(tmp_path, "-v", "--oca", "TC_B_01_CS")
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-2000:]
    assert HEARTBEAT_WAIT.search(out), out[-3000:]
    assert re.search(r"test_cold_boot_accepted PASSED", out), out[-3000:]
    assert "(1/1)" not in out, "with -v pytest's own line per test is the case line"


def test_progress_off_leaves_pytests_output_alone(tmp_path: Path) -> None:
    result = _child(tmp_path, "-q", "--oca", "TC_B_02_CS", "--ocpp-progress", "off")
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-2000:]
    assert "TC_B_02_CS  " not in out
    assert "watching" not in out
    assert re.search(r"^\.", out, re.M), out[-2000:]


# -- the wait announcer ----------------------------------------------------------------------------
@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What waits announce, with the threshold at 0.05 s."""
    monkeypatch.setattr(progress, "ANNOUNCE_AFTER_S", 0.05)
    lines: list[str] = []
    previous = progress.set_sink(lines.append)
    yield lines
    progress.set_sink(previous)


async def test_a_long_wait_says_once_what_it_waits_for(said: list[str]) -> None:
    with progress.waiting("BootNotification", 30):
        await asyncio.sleep(0.5)
    assert said == ["waiting up to 30 s for BootNotification"]


async def test_a_short_wait_says_nothing_even_later(said: list[str]) -> None:
    with progress.waiting("the answer to GetVariables", 30):
        await asyncio.sleep(0)
    with progress.waiting("BootNotification", 0.04):  # over before the threshold anyway
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.3)  # the first wait's timer was cancelled when it ended
    assert said == []


async def test_a_text_that_costs_something_is_built_only_when_announced(said: list[str]) -> None:
    built: list[str] = []

    def what() -> str:
        built.append("x")
        return "the operator: plug in EVSE 1"

    with progress.waiting(what, 120):
        await asyncio.sleep(0)
    assert built == []
    with progress.waiting(what, 120), progress.watching("no StatusNotification may come", 2):
        await asyncio.sleep(0.5)
    assert sorted(said) == [
        "waiting up to 120 s for the operator: plug in EVSE 1",
        "watching 2 s: no StatusNotification may come",
    ]
    assert built == ["x"]


async def test_without_a_sink_a_wait_costs_no_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "ANNOUNCE_AFTER_S", 0.01)
    previous = progress.set_sink(None)
    try:
        announcer = progress.waiting("BootNotification", 30)
        with announcer:
            await asyncio.sleep(0.1)
        assert announcer._timer is None
    finally:
        progress.set_sink(previous)


def test_a_wait_outside_an_event_loop_is_not_announced(said: list[str]) -> None:
    with progress.waiting("BootNotification", 30):
        pass
    assert said == []


async def test_a_peer_wait_announces_what_it_expects(said: list[str]) -> None:
    peer = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=5, action_s=5)
    with pytest.raises(SutFailure):
        await peer.expect("StatusNotification", within_s=0.4, connector_status="Occupied")
    assert said == ["waiting up to 0.4 s for StatusNotification with connectorStatus='Occupied'"]


def test_peers_print_nothing_without_the_progress_plugin() -> None:
    """No OCA case runs in this session: the progress plugin installed no sink."""
    assert progress.current_sink() is None


async def test_a_shell_action_that_takes_a_while_says_what_it_waits_for(said: list[str]) -> None:
    from harness.actions import ShellOperator

    await ShellOperator({"plug_in": "sleep 0.5"}, 5).perform("plug_in", "Plug in EVSE 1")
    assert said == ["waiting up to 5 s for the plug_in command: sleep 0.5"]
