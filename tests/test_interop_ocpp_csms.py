"""Interop: the OCPP 1.6 central-system cases against ocpp-csms 0.1.0, an independent 1.6J CSMS.

ocpp-csms (PyPI, AGPL) runs as a separate process from its own virtualenv (``.interop/``, built
once), on loopback only; the harness runs in a child pytest with a SUT profile pointing at it.
Whatever verdicts its behaviour earns are fine. This test checks that each 1.6 CSMS case ended in
a real verdict with its evidence, and that the verdicts are the reviewed ones in
``tests/interop/ocpp-csms.expected.json`` (reasons: ``tests/interop/README.md``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.interop.ocpp_csms import ensure_venv, running_ocpp_csms
from tests.matrix_support import ROOT, TESTCASES, all_cases

INTEROP = Path(__file__).resolve().parent / "interop"
PROFILE_TEMPLATE = INTEROP / "ocpp-csms-1.6.profile.yaml.in"
EXPECTED = INTEROP / "ocpp-csms.expected.json"
RUN_TIMEOUT_S = 180


def _frames(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The frames that crossed the wire in a case (connection events left out)."""
    return [e for e in case.get("trace", []) if e.get("flow") in ("sent", "received")]


def _text(data: str | bytes | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else data or ""


def _table(cases: list[dict[str, Any]]) -> str:
    return "\n".join(f"  {c['id']:<16} {c['verdict']:<13} {c['reason'] or ''}" for c in cases)


def test_v16_central_system_cases_against_ocpp_csms(tmp_path: Path) -> None:
    """Every 1.6 CSMS case ends in a real verdict with evidence, equal to the reviewed verdicts.

    Evidence: each case has frames in its trace, except that an INCONCLUSIVE case may have none
    (its operator step can come before any frame, and then nothing reached the wire: its reason,
    which names the step, is the evidence); every verdict but PASS has a reason; each FAIL names
    the requirement with Expected and Actual.
    """
    exe = ensure_venv(ROOT)
    report = tmp_path / "report"
    log_path = tmp_path / "ocpp-csms.log"
    with running_ocpp_csms(exe, log_path=log_path) as url:
        profile = tmp_path / "ocpp-csms-1.6.yaml"
        profile.write_text(PROFILE_TEMPLATE.read_text("utf-8").replace("@URL@", url), "utf-8")
        # "--opt=value": a bare path argument outside the repository (tmp_path) would join the
        # paths pytest searches for its config, so pyproject.toml (asyncio_mode) could be missed.
        args = [sys.executable, "-m", "pytest", str(TESTCASES), f"--ocpp-sut={profile}",
                f"--ocpp-report={report}", "-p", "no:cacheprovider", "-q"]  # fmt: skip
        try:
            proc = subprocess.run(
                args,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,  # no terminal: operator steps are INCONCLUSIVE at once
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"the harness run hung (> {RUN_TIMEOUT_S} s)\n{_text(exc.stdout)[-6000:]}")
    log = log_path.read_text("utf-8", errors="replace")
    output = (
        f"{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}\nocpp-csms log ({log_path}):\n{log[-3000:]}"
    )
    # ocpp-csms names the charge point after the last URL segment: <url>/INTEROP-CP-1.
    assert "ConnectedEvent(charge_point_id='INTEROP-CP-1')" in log, output
    # how fast the peer exits on SIGINT is its own affair (under load it can take longer than the
    # stop allows, and it is then killed): that it was stopped and its exit code logged is ours
    assert "# ocpp-csms exit code" in log, f"ocpp-csms was not stopped\n{output}"
    results = report / "results.json"
    assert results.is_file(), f"no results.json (exit {proc.returncode})\n{output}"
    cases: list[dict[str, Any]] = json.loads(results.read_text("utf-8"))["cases"]

    wanted = sorted(c.id for c in all_cases() if str(c.role) == "csms" and "1.6" in c.versions)
    assert sorted(c["id"] for c in cases) == wanted, (
        f"ran other cases than the 1.6 CSMS ones\n{output}"
    )
    assert all(c["version"] == "1.6" for c in cases), _table(cases)

    errors = [c for c in cases if c["verdict"] == "error"]
    assert not errors, f"harness ERROR (a bug of ours):\n{_table(errors)}\n{output}"

    # INCONCLUSIVE and NOT-APPLICABLE (decided from the profile) may come before any exchange
    no_frames = [
        c
        for c in cases
        if not _frames(c) and c["verdict"] not in ("inconclusive", "not-applicable")
    ]
    assert not no_frames, f"verdicts without frames as evidence:\n{_table(no_frames)}"
    unsaid = [c for c in cases if c["verdict"] != "pass" and not c["reason"]]
    assert not unsaid, f"verdicts without a reason:\n{_table(unsaid)}"

    unexplained = [
        c for c in cases
        if c["verdict"] == "fail" and not (c["failed_requirement"] and c["expected"] and c["actual"])
    ]  # fmt: skip
    assert not unexplained, f"FAIL without requirement/Expected/Actual:\n{_table(unexplained)}"

    got = {c["id"]: c["verdict"] for c in cases}
    expected: dict[str, str] = json.loads(EXPECTED.read_text("utf-8"))
    assert got == expected, (
        f"verdicts differ from {EXPECTED.relative_to(ROOT)} — if ocpp-csms behaves as the reasons"
        f" say, review and update that file and tests/interop/README.md\n"
        f"expected: {json.dumps(expected, sort_keys=True)}\n"
        f"got:      {json.dumps(got, sort_keys=True)}\n"
        f"reasons:\n{_table(cases)}"
    )
