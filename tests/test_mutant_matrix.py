"""The mutant matrix: every OCA case passes on the reference SUT for every version it lists, and
fails on every fault it names — on the requirement that fault targets (a case that no fault makes
fail proves nothing; a case that fails in set-up, on a precondition or on an unrelated check
proves nothing about its own check either).

At the end of the session the matrix prints how many of the cases' requirement checks a fault
proves (tests/matrix_summary.py, tests/requirement_checks.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.reference.faults import FAULTS, Fault
from tests.matrix_summary import KILLS_PROPERTY, Kill
from tests.matrix_support import BUILTIN, MatrixRun, all_cases, matrix, run_pytest
from tests.requirement_checks import scan_checks

RUNS = matrix()


#: (case, version) pairs no fault kills, each with the reason; kept exact so none is forgotten.
NO_FAULT: dict[tuple[str, str], str] = {
    ("RB_17_CS", "1.6"): "1.6 §4.1.1 makes a new CALL while one is open a SHOULD NOT (a warning), "
    "so rpc-rejects-late-response breaks no 1.6 MUST the case checks",
    ("RB_17_CSMS", "1.6"): "as RB_17_CS: csms-rpc-rejects-late-response breaks only a 1.6 SHOULD "
    "NOT",
}


#: (case, version) pairs NOT-APPLICABLE on their reference built-in for a reason only the run
#: shows (the case sees which of two legal behaviours the SUT has), each with that reason; the
#: pass runs accept exactly these as NOT-APPLICABLE, and require them to be so.
NOT_APPLICABLE_ON_REFERENCE: dict[tuple[str, str], str] = {
    ("TC_032_2_CS", "1.6"): "the reference charge point stops its transactions before it goes "
    "down (TC_032_1_CS), not after the reboot",
}


def test_every_case_names_faults_that_fit_it() -> None:
    builtin_of_role = {"charging-station": "reference-station", "csms": "reference-csms"}
    unkilled: set[tuple[str, str]] = set()
    for case in all_cases():
        assert case.kills, f"{case.id} kills nothing"
        for name in case.kills:
            fault = FAULTS[name]
            assert fault.sut == builtin_of_role[str(case.role)], (
                f"{case.id}: {name} is a {fault.sut} fault"
            )
            assert set(case.versions) & set(fault.versions), (
                f"{case.id}: fault {name} exists in none of {case.versions}"
            )
        for version in case.versions:
            if not any(version in FAULTS[name].versions for name in case.kills):
                unkilled.add((case.id, version))
    assert unkilled == set(NO_FAULT), (
        f"no fault for {sorted(unkilled - set(NO_FAULT))}; "
        f"NO_FAULT lists killed ones: {sorted(set(NO_FAULT) - unkilled)}"
    )


def test_every_kill_names_a_requirement_the_case_checks() -> None:
    """Each (case, fault, version) expects a requirement, and a check of the cases says it
    (part of a check's text, or a text the check's template matches)."""
    checks = list(scan_checks().values())
    problems = []
    for case in all_cases():
        for name in case.kills:
            for version in sorted(set(case.versions) & set(FAULTS[name].versions)):
                expected = FAULTS[name].expects(case.id, version)
                fits = [
                    c
                    for c in checks
                    if expected in c.text or c.pattern(whole=False).match(expected)
                ]
                if not expected or not fits:
                    problems.append(f"{name} expects {expected!r} of {case.id} ({version})")
    assert not problems, "no check says:\n" + "\n".join(problems)


def test_fault_overrides_name_existing_cases() -> None:
    ids = {c.id for c in all_cases()}
    for fault in FAULTS.values():
        for key, _ in fault.per_case:
            assert key.partition("@")[0] in ids, f"{fault.name}: no case {key}"


def test_a_kill_is_a_fail_on_the_targeted_requirement() -> None:
    fault = Fault(
        "x",
        "reference-station",
        ("1.6", "2.0.1"),
        "breaks x",
        "B01.FR.04",
        (("TC_001_CS", "1.6 §4.6: Heartbeat"), ("TC_X@1.6", "1.6 §5")),
    )
    wanted = "B01.FR.04/G02: Heartbeat at the interval"
    assert fault.killed("TC_B_01_CS", "2.0.1", "fail", wanted)
    assert not fault.killed("TC_B_01_CS", "2.0.1", "error", wanted)
    assert not fault.killed("TC_B_01_CS", "2.0.1", "inconclusive", wanted)
    assert not fault.killed("TC_B_01_CS", "2.0.1", "fail", "B01.FR.01: BootNotification at boot")
    assert not fault.killed("TC_B_01_CS", "2.0.1", "fail", f"precondition: {wanted}")
    assert not fault.killed("TC_B_01_CS", "2.0.1", "fail", None)
    assert fault.killed("TC_001_CS", "1.6", "fail", "1.6 §4.6: Heartbeat at the interval")
    assert not fault.killed("TC_001_CS", "1.6", "fail", wanted)
    assert fault.expects("TC_X", "1.6") == "1.6 §5"
    assert fault.expects("TC_X", "2.0.1") == "B01.FR.04"


def test_every_case_id_is_unique_per_role() -> None:
    ids = [c.id for c in all_cases()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_each_combination_has_cases() -> None:
    covered = {(str(c.role), v) for c in all_cases() for v in c.versions}
    assert set(BUILTIN) <= covered, set(BUILTIN) - covered


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_matrix(
    run: MatrixRun, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    document = run_pytest(run, tmp_path / "report")
    cases = {c["id"]: c for c in document["cases"]}
    assert sorted(cases) == sorted(run.case_ids), (
        f"{run.name}: ran {sorted(cases)}, expected {sorted(run.case_ids)}\n{document['_output']}"
    )
    if run.fault is None:
        expected = {
            cid: "not-applicable"
            if (cid, str(c["version"])) in NOT_APPLICABLE_ON_REFERENCE
            else "pass"
            for cid, c in cases.items()
        }
        wrong = {cid: c["verdict"] for cid, c in cases.items() if c["verdict"] != expected[cid]}
        reasons = {cid: cases[cid]["reason"] for cid in wrong}
        assert not wrong, (
            f"{run.name}: expected every case to pass, got {wrong}\n{reasons}\n"
            f"{document['_output']}"
        )
        return
    fault = FAULTS[run.fault]
    kills = [
        Kill(
            run.profile,
            fault.name,
            cid,
            str(c["version"]),
            str(c["verdict"]),
            c["failed_requirement"] or "",
            fault.killed(cid, str(c["version"]), str(c["verdict"]), c["failed_requirement"]),
        )
        for cid, c in cases.items()
    ]
    record_property(KILLS_PROPERTY, json.dumps([k.to_json() for k in kills]))
    missed = {
        k.case: (
            f"{k.verdict.upper()} on {k.failed_requirement or cases[k.case]['reason']!r}; "
            f"expected a FAIL on {fault.expects(k.case, k.version)!r}"
        )
        for k in kills
        if not k.killed
    }
    assert not missed, (
        f"{run.name}: not killed by the case's own check: {missed}\n{document['_output']}"
    )
