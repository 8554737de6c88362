"""Order independence of the whole catalogue: every built-in SUT, every case of its role and
version, run in three seeded random orders (``--ocpp-shuffle``), gives the verdicts it gives in
order (the mutant matrix's reference runs: every case passes, or is NOT-APPLICABLE with a
reason). A case that only passes after some other case, or that breaks the next one, fails here.

OCPP 2.1 runs the 2.0.1 cases against the same 2.x behaviour of the reference SUTs (as in the
mutant and variant matrices, ``tests/matrix_support.py``): its profiles are shuffled with the
first seed only, every case still in the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matrix_support import BUILTIN, all_cases, child_run

SEEDS = ("1", "2", "3")
ALLOWED = ("pass", "not-applicable")
#: (profile, seed) runs: every seed for 1.6 and 2.0.1, the first for 2.1.
RUNS = [
    (profile, seed)
    for profile in sorted(BUILTIN.values())
    for seed in (SEEDS[:1] if profile.endswith("-v21") else SEEDS)
]


def _cases_of(profile: str) -> tuple[str, ...]:
    (role, version) = next(key for key, name in BUILTIN.items() if name == profile)
    return tuple(sorted(c.id for c in all_cases() if str(c.role) == role and version in c.versions))


@pytest.mark.parametrize(("profile", "seed"), RUNS, ids=[f"{p}-{s}" for p, s in RUNS])
def test_shuffled_suite_gives_the_in_order_verdicts(
    profile: str, seed: str, tmp_path: Path
) -> None:
    case_ids = _cases_of(profile)
    document = child_run(
        f"{profile}+shuffle-{seed}",
        profile,
        case_ids,
        tmp_path / "report",
        ("--ocpp-shuffle", seed),
        timeout_s=600,
    )
    verdicts = {c["id"]: c["verdict"] for c in document["cases"]}
    assert sorted(verdicts) == sorted(case_ids), document["_output"]
    wrong = {
        c["id"]: (c["verdict"], c["reason"])
        for c in document["cases"]
        if c["verdict"] not in ALLOWED or (c["verdict"] == "not-applicable" and not c["reason"])
    }
    order = [c["id"] for c in document["cases"]]
    assert not wrong, f"{profile} shuffled with seed {seed} (order {order}): {wrong}"
