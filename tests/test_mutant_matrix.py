"""The mutant matrix: every OCA case passes on the reference SUT for every version it lists, and
fails on every fault it names (a case that no fault makes fail proves nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.reference.faults import FAULTS
from tests.matrix_support import BUILTIN, MatrixRun, all_cases, matrix, run_pytest

RUNS = matrix()


def test_every_case_names_faults_that_fit_it() -> None:
    builtin_of_role = {"charging-station": "reference-station", "csms": "reference-csms"}
    for case in all_cases():
        assert case.kills, f"{case.id} kills nothing"
        for name in case.kills:
            fault = FAULTS[name]
            assert fault.sut == builtin_of_role[str(case.role)], (
                f"{case.id}: {name} is a {fault.sut} fault"
            )
            missing = [v for v in case.versions if v not in fault.versions]
            assert not missing, f"{case.id}: fault {name} does not exist for {missing}"


def test_every_case_id_is_unique_per_role() -> None:
    ids = [c.id for c in all_cases()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_each_combination_has_cases() -> None:
    covered = {(str(c.role), v) for c in all_cases() for v in c.versions}
    assert set(BUILTIN) <= covered, set(BUILTIN) - covered


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_matrix(run: MatrixRun, tmp_path: Path) -> None:
    document = run_pytest(run, tmp_path / "report")
    verdicts = {c["id"]: c["verdict"] for c in document["cases"]}
    assert sorted(verdicts) == sorted(run.case_ids), (
        f"{run.name}: ran {sorted(verdicts)}, expected {sorted(run.case_ids)}\n{document['_output']}"
    )
    wanted = "fail" if run.fault else "pass"
    wrong = {cid: v for cid, v in verdicts.items() if v != wanted}
    reasons = {c["id"]: c["reason"] for c in document["cases"] if c["id"] in wrong}
    assert not wrong, (
        f"{run.name}: expected every case to {wanted}, got {wrong}\n{reasons}\n{document['_output']}"
    )
