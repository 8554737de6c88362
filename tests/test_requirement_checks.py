"""The static scan of the cases' requirement checks and what a FAIL proves (the matrix figure)."""

from __future__ import annotations

from pathlib import Path

from tests.matrix_summary import Kill, prove
from tests.requirement_checks import WILDCARD, Check, check_of, scan_checks

HELPERS = """
from harness.verdicts import SutFailure

KEPT = "robustness: the connection is kept"


def fail(peer, req, expected, actual):
    raise SutFailure(req, expected, actual)


def require_working(peer, req="Part 2 FR.02: the SUT keeps working"):
    fail(peer, req, "", "")
"""

CASES = """
from harness.checks import require, should
from testcases.helpers import KEPT, fail

LATE_REQ = "Part 4 §4.1.1: a late answer is taken"
PENDING = ("StatusNotification", "Heartbeat")


async def test_one(csms, name):
    local = "B06.FR.10: a known variable is Accepted"
    require(True, req=local, expected="", actual="")
    await csms.expect("BootNotification", req="B01.FR.01: BootNotification at boot")
    await csms.expect("TriggerMessage", req=f"{LATE_REQ}: the next command follows")
    for action in PENDING:
        csms.forbid(action, f"B02.FR.02: no {action} while Pending")
    fail(csms, KEPT, "", "")
    fail(csms, LATE_REQ, "", "")
    should(csms, False, req="RFC 6455 §7.1.7 (SHOULD): a close frame", expected="", actual="")
    await csms.wait_connected(req="precondition: the station is connected")
    require(True, req=name, expected="", actual="")
    require(True, req=f"{name}", expected="", actual="")
    probe = f"{name} (looking)"
    require(True, req=probe, expected="", actual="")
"""


def _scan(tmp_path: Path) -> dict[str, Check]:
    root = tmp_path / "testcases"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "helpers.py").write_text(HELPERS)
    (root / "test_x.py").write_text(CASES)
    return {
        text: check
        for text, check in scan_checks(root).items()
        if not check.where.startswith("harness/")
    }


def test_scan_finds_what_the_cases_check(tmp_path: Path) -> None:
    found = _scan(tmp_path)
    assert sorted(found) == sorted(
        [
            "robustness: the connection is kept",
            "Part 2 FR.02: the SUT keeps working",
            "Part 4 §4.1.1: a late answer is taken",
            "Part 4 §4.1.1: a late answer is taken: the next command follows",
            "B06.FR.10: a known variable is Accepted",
            "B01.FR.01: BootNotification at boot",
            f"B02.FR.02: no {WILDCARD} while Pending",
        ]
    )
    assert found["B01.FR.01: BootNotification at boot"].where == "testcases/test_x.py:12"


def test_the_real_scan_counts_the_fuzzer_and_no_precondition() -> None:
    texts = set(scan_checks())
    assert any(t.startswith("a schema-valid request is answered") for t in texts)
    assert not any(t.startswith("precondition") for t in texts)


def test_a_failed_requirement_names_the_most_specific_check(tmp_path: Path) -> None:
    checks_by_text = _scan(tmp_path)
    checks = checks_by_text.values()
    late = "Part 4 §4.1.1: a late answer is taken"
    assert check_of(late, checks) == Check(late, checks_by_text[late].where)
    follows = check_of(f"{late}: the next command follows", checks)
    assert follows is not None
    assert follows.text.endswith("the next command follows")
    pending = check_of("B02.FR.02: no Heartbeat while Pending", checks)
    assert pending is not None
    assert pending.text == f"B02.FR.02: no {WILDCARD} while Pending"
    probe = check_of(
        "robustness: the connection is kept (BootNotification: a field missing)", checks
    )
    assert probe is not None
    assert probe.text == "robustness: the connection is kept"
    assert check_of("B02.FR.02: no Heartbeat while Rejected", checks) is None
    assert check_of("B01.FR.01: BootNotification at boot, twice", checks) is None


def test_only_valid_kills_prove_a_check(tmp_path: Path) -> None:
    checks = _scan(tmp_path)
    boot = "B01.FR.01: BootNotification at boot"
    kills = [
        Kill("p", "f1", "TC_1", "2.0.1", "fail", boot, killed=False),
        Kill("p", "f2", "TC_2", "2.0.1", "fail", "B06.FR.10: a known variable is Accepted", True),
    ]
    proof = prove(kills, checks, runs=2, planned=3)
    assert set(proof.proven) == {"B06.FR.10: a known variable is Accepted"}
    assert proof.headline().startswith(f"mutant matrix: 1 of {len(checks)} requirement checks")
    assert "partial" in proof.headline()
    assert f"- {boot}" in proof.details()
