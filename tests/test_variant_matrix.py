"""The variant matrix, the other half of the mutant matrix: with each legal variant seeded into
each built-in SUT it applies to (``harness.reference.variants``), every case of that profile
passes or is NOT-APPLICABLE with a reason. Mutants prove a case can fail; variants prove it does
not fail a correct device that differs from the reference. One child pytest per (profile,
variant) run; ``make test`` spreads them over pytest-xdist workers.

Cost (measured on the shared 2-core machine): 64 child runs, about 1,400 worker-seconds, some
60% of it the slow-answers chunks, which mostly wait; 13 min at ``-n 2`` with other jobs running.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.reference.variants import VARIANTS
from tests.matrix_support import (
    BUILTIN,
    VariantRun,
    all_cases,
    run_variant,
    variant_covered,
    variant_matrix,
)

RUNS = variant_matrix()
#: The verdicts a legal variant may give (DESIGN §5): a correct device passes, or the case is
#: impossible with a legal answer and says why.
ALLOWED = ("pass", "not-applicable")


def test_every_variant_is_run_on_every_profile_it_names() -> None:
    for name, variant in VARIANTS.items():
        assert variant.cases == () or any(variant.reaches(c.id) for c in all_cases()), (
            f"{name}: its case patterns {variant.cases} match no case"
        )
        for profile in variant.suts:
            assert profile in BUILTIN.values(), f"{name}: {profile} is no built-in profile"
            assert variant_covered(profile, name), f"{name} is not run on {profile}"


@pytest.mark.parametrize("run", RUNS, ids=[r.name for r in RUNS])
def test_variant_matrix(run: VariantRun, tmp_path: Path) -> None:
    document = run_variant(run, tmp_path / "report")
    cases = {c["id"]: c for c in document["cases"]}
    assert sorted(cases) == sorted(run.case_ids), (
        f"{run.name}: ran {sorted(cases)}, expected {sorted(run.case_ids)}\n{document['_output']}"
    )
    wrong = {
        cid: (c["verdict"], c["reason"]) for cid, c in cases.items() if c["verdict"] not in ALLOWED
    }
    assert not wrong, (
        f"{run.name}: a legal variant must not fail a case: {wrong}\n{document['_output']}"
    )
    silent = [
        cid for cid, c in cases.items() if c["verdict"] == "not-applicable" and not c["reason"]
    ]
    assert not silent, f"{run.name}: NOT-APPLICABLE without a reason: {silent}"
