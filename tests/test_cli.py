"""``ocpp-harness run``'s exit status as CI sees it: 0 all passed, 1 a failure, 2 usage error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_passes_on_the_reference(tmp_path: Path) -> None:
    result = _cli("run", "--sut", "reference-csms-v16", "--report", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    counts = json.loads((tmp_path / "results.json").read_text("utf-8"))["run"]["counts"]
    assert counts["pass"] > 0
    assert counts["fail"] == 0


def test_run_exits_1_when_a_case_fails(tmp_path: Path) -> None:
    result = _cli(
        "run",
        "--sut",
        "reference-csms-v16",
        "--report",
        str(tmp_path),
        "--fault",
        "csms-accepts-unknown-token",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "TC_023_1_CSMS" in result.stdout


def test_run_exits_2_on_a_bad_profile(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsut: {role: station}\n", "utf-8")
    result = _cli("run", "--sut", str(bad), "--report", str(tmp_path / "r"))
    assert result.returncode == 2
    assert "sut.role" in result.stderr


def test_report_renders_again_from_results(tmp_path: Path) -> None:
    assert _cli("run", "--sut", "reference-csms-v16", "--report", str(tmp_path)).returncode == 0
    (tmp_path / "index.html").unlink()
    result = _cli("report", str(tmp_path / "results.json"))
    assert result.returncode == 0
    assert "TC_001_CSMS" in (tmp_path / "index.html").read_text("utf-8")
