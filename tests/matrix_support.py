"""Helpers of the mutant-matrix self-test: find every OCA case and run pytest on a built-in SUT."""

from __future__ import annotations

import functools
import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.reference.faults import FAULTS
from harness.testcase import OcaCase
from tests import child_pytest

ROOT = Path(__file__).resolve().parents[1]
TESTCASES = ROOT / "testcases"
BUILTIN = {
    ("charging-station", "1.6"): "reference-station-v16",
    ("charging-station", "2.0.1"): "reference-station-v201",
    ("charging-station", "2.1"): "reference-station-v21",
    ("csms", "1.6"): "reference-csms-v16",
    ("csms", "2.0.1"): "reference-csms-v201",
    ("csms", "2.1"): "reference-csms-v21",
}


def all_cases() -> list[OcaCase]:
    """Every ``@oca`` case under testcases/, found by importing the modules."""
    return [case for case, _ in _cases_and_modules()]


@functools.cache
def _cases_and_modules() -> tuple[tuple[OcaCase, Path], ...]:
    found: list[tuple[OcaCase, Path]] = []
    for path in sorted(TESTCASES.rglob("test_*.py")):
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(module_name)
        for name in dir(module):
            func = getattr(module, name)
            for mark in getattr(func, "pytestmark", []):
                if mark.name == "oca" and isinstance(mark.args[0], OcaCase):
                    found.append((mark.args[0], path))
    return tuple(found)


def case_modules(case_ids: tuple[str, ...]) -> list[str]:
    """The test modules that hold ``case_ids``: a child run collects only those (collecting
    every module of testcases/ for one case cost about a second of CPU per child run, and the
    matrices start a thousand of them)."""
    wanted = set(case_ids)
    return sorted({str(path) for case, path in _cases_and_modules() if case.id in wanted})


@dataclass(frozen=True)
class MatrixRun:
    """One pytest run: a built-in profile, an optional fault, the cases it selects."""

    profile: str
    fault: str | None
    case_ids: tuple[str, ...]
    part: str = ""
    #: A legal variant seeded too: one that adds hardware (a fixed cable) some cases need.
    variant: str | None = None

    @property
    def name(self) -> str:
        base = f"{self.profile}+{self.fault}" if self.fault else f"{self.profile}+reference"
        base += f"+{self.variant}" if self.variant else ""
        return base + (f"[{self.part}]" if self.part else "")


#: A pass run of a whole profile takes minutes, mostly waiting: it is split into runs of at most
#: this many cases so that xdist spreads them (issue: ``make test`` under 20 minutes).
PASS_CHUNK = 40


def _pass_runs(profile: str, ids: tuple[str, ...]) -> list[MatrixRun]:
    if len(ids) <= PASS_CHUNK:
        return [MatrixRun(profile, None, ids)]
    return [
        MatrixRun(profile, None, ids[start : start + PASS_CHUNK], str(n))
        for n, start in enumerate(range(0, len(ids), PASS_CHUNK), 1)
    ]


#: Built-in profiles over TLS (security profiles 3 and 2) for the block A cases: the TLS faults
#: are seeded into the first (a TLS fault cannot show on a profile without TLS).
TLS_BUILTIN = {
    ("charging-station", "2.0.1"): ("reference-station-v201-sp3", "reference-station-v201-sp2"),
    ("csms", "2.0.1"): ("reference-csms-v201-sp3", "reference-csms-v201-sp2"),
    ("csms", "1.6"): ("reference-csms-v16-sp3", "reference-csms-v16-sp2"),
    ("charging-station", "1.6"): ("reference-station-v16-sp3", "reference-station-v16-sp2"),
}


def _applying(
    profile: str, cases: list[OcaCase], adds: tuple[str, ...] = (), drops: tuple[str, ...] = ()
) -> list[OcaCase]:
    """The cases that apply to a built-in ``profile`` (its security profile decides the block A
    ones: a TLS case is NOT-APPLICABLE without TLS, a Basic auth one with client certificates),
    declaring the PICS items ``adds`` too (a legal variant's hardware) and not ``drops`` (what
    a legal variant lacks)."""
    from harness.config import builtin_profile_path, load_profile
    from harness.features import with_items, without

    loaded = without(with_items(load_profile(builtin_profile_path(profile)), adds), drops)
    return [c for c in cases if c.not_applicable(loaded) is None]


def _hardware_runs(profile: str, version: str, role_cases: list[OcaCase]) -> list[MatrixRun]:
    """Runs of the cases that apply only with a legal variant's PICS items: added hardware (a
    fixed cable, HFS-2) or a feature it lacks (no unspecified-EVSE reservations: TC_H_13, NOT
    R-2): a pass run with the variant seeded, and a run per fault they kill with it seeded too
    (their faults break what only that variant does)."""
    from harness.reference.variants import VARIANTS

    plain = {c.id for c in _applying(profile, role_cases)}
    runs: list[MatrixRun] = []
    for name in sorted(VARIANTS):
        variant = VARIANTS[name]
        if not (variant.adds or variant.drops) or profile not in variant.suts:
            continue
        mine = _applying(profile, role_cases, variant.adds, variant.drops)
        extra = [c for c in mine if c.id not in plain]
        if not extra:
            continue
        runs.append(MatrixRun(profile, None, tuple(sorted(c.id for c in extra)), variant=name))
        for fault in sorted({f for c in extra for f in c.kills if version in FAULTS[f].versions}):
            ids = tuple(sorted(c.id for c in extra if fault in c.kills))
            runs.append(MatrixRun(profile, fault, ids, variant=name))
    return runs


def _tls_cases(cases: list[OcaCase]) -> tuple[str, ...]:
    """The block A cases among ``cases`` (they are what a TLS profile adds)."""
    return tuple(sorted(c.id for c in cases if c.id.startswith("TC_A_")))


def matrix() -> list[MatrixRun]:
    """A pass run per built-in profile, plus a run per (profile, fault) named by some case: one
    run covers every case of the profile that kills the fault (a fault is seeded alone, so runs
    are never shared between faults). A fault that does not exist in a version (its rule is only
    a SHOULD there, say) is not run for that version's cases.

    OCPP 2.1 runs the 2.0.1 cases against the same 2.x behaviour of the reference SUTs, so a
    fault run of 2.1 that repeats a 2.0.1 run (same role, fault and cases) is left out: the kill
    is proven once; the 2.1 pass run, the variant matrix and the shuffle matrix still run every
    case under 2.1. A 2.1 run whose cases differ (2.1-only cases or faults) stays."""
    from harness.reference.faults_a import A_FAULTS

    tls_faults = {f.name for f in A_FAULTS}
    runs: list[MatrixRun] = []
    cases = all_cases()
    proven: set[tuple[str, str, tuple[str, ...]]] = set()
    for (role, version), profile in BUILTIN.items():
        role_cases = [c for c in cases if str(c.role) == role and version in c.versions]
        mine = _applying(profile, role_cases)
        runs += _pass_runs(profile, tuple(sorted(c.id for c in mine)))
        over_tls = TLS_BUILTIN.get((role, version), ())
        for tls_profile in over_tls:  # the block A cases pass over TLS too
            over = _applying(tls_profile, role_cases)
            extra = {c.id for c in over} - {c.id for c in mine}  # apply over TLS only
            ids = tuple(sorted(set(_tls_cases(over)) | extra))
            if ids:
                runs += _pass_runs(tls_profile, ids)
        proven_ids = {c.id for c in mine}
        for n, tls_profile in enumerate(over_tls):
            # the TLS faults over profile 3; the faults of cases that apply over TLS only where
            # they first apply (profile 3, else profile 2: Basic auth cases)
            secured = _applying(tls_profile, role_cases)
            only_here = {c.id for c in secured} - proven_ids
            proven_ids |= only_here
            for fault in sorted({f for c in secured for f in c.kills}):
                ids = tuple(
                    sorted(
                        c.id
                        for c in secured
                        if fault in c.kills
                        and ((fault in tls_faults and n == 0) or c.id in only_here)
                    )
                )
                if ids:
                    runs.append(MatrixRun(tls_profile, fault, ids))
        faults = sorted({f for c in mine for f in c.kills if version in FAULTS[f].versions})
        for fault in faults:
            ids = tuple(sorted(c.id for c in mine if fault in c.kills))
            if fault in tls_faults:
                continue  # proven over TLS (2.0.1 above); 2.1 runs the same TLS code
            if version == "2.1" and (role, fault, ids) in proven:
                continue
            if version == "2.0.1":
                proven.add((role, fault, ids))
            runs.append(MatrixRun(profile, fault, ids))
        for run in _hardware_runs(profile, version, role_cases):
            key = (role, f"{run.variant}:{run.fault}", run.case_ids)
            if version == "2.1" and key in proven:
                continue  # as above: the 2.0.1 run with the same variant proves it
            proven.add(key)
            runs.append(run)
    return runs


def child_run(
    name: str,
    profile: str,
    case_ids: tuple[str, ...],
    report: Path,
    extra: tuple[str, ...] = (),
    timeout_s: float = 240,
) -> dict[str, Any]:
    """Run ``case_ids`` against a built-in ``profile`` in a child pytest (``extra``: more
    options, e.g. a fault, a variant or a shuffle seed) and return its results.json."""
    args = [
        *(case_modules(case_ids) or [str(TESTCASES)]),
        "-p",
        "no:cacheprovider",
        "-q",
        # "--opt=value": pytest finds its ini file (pyproject.toml: asyncio mode and loop scope,
        # filterwarnings) from the paths among the arguments before it knows the plugin's
        # options, and a separate report directory outside the checkout would be one of them
        f"--ocpp-sut={profile}",
        f"--ocpp-report={report}",
        f"--rootdir={ROOT}",
        *(f"--oca={case_id}" for case_id in case_ids),
        *extra,
    ]
    report.parent.mkdir(parents=True, exist_ok=True)
    child = child_pytest.run(args, ROOT, report.parent / f"{report.name}-output.txt", timeout_s)
    if child.returncode is None:
        raise AssertionError(f"{name}: still running after {timeout_s:g} s\n{child.output[-4000:]}")
    results = report / "results.json"
    if not results.is_file():
        raise AssertionError(
            f"{name}: no results.json (exit {child.returncode})\n{child.output[-6000:]}"
        )
    document: dict[str, Any] = json.loads(results.read_text("utf-8"))
    document["_output"] = child.output[-6000:]
    return document


def run_pytest(run: MatrixRun, report: Path, timeout_s: float = 240) -> dict[str, Any]:
    """Run the selected cases, with the run's fault seeded, in a child pytest; its results."""
    extra: tuple[str, ...] = (f"--ocpp-fault={run.fault}",) if run.fault else ()
    extra += (f"--ocpp-variant={run.variant}",) if run.variant else ()
    return child_run(run.name, run.profile, run.case_ids, report, extra, timeout_s)


# -- the variant matrix (tests/test_variant_matrix.py) ---------------------------------------------
#: Variants that change a reference SUT's TLS (run over security profile 3).
TLS_VARIANTS = frozenset({"tls-1.2-only", "rsa-keys"})
#: Variants whose runs mostly wait (each answer takes 60% of response_s): their cases are run in
#: chunks of :data:`CHUNK` so that xdist spreads them; they come first, the longest runs. The
#: other variants run in chunks of :data:`OTHER_CHUNK` (a whole station profile takes minutes,
#: mostly waiting: one run per variant would leave a long tail on one worker).
SPLIT_VARIANTS = frozenset({"slow-answers"})
CHUNK = 8
OTHER_CHUNK = 30


@dataclass(frozen=True)
class VariantRun:
    """One pytest run: a built-in profile with one legal variant seeded, the cases it selects."""

    profile: str
    variant: str
    case_ids: tuple[str, ...]
    part: str = ""

    @property
    def name(self) -> str:
        return f"{self.profile}+{self.variant}" + (f"[{self.part}]" if self.part else "")


def variant_matrix() -> list[VariantRun]:
    """A run per (built-in profile, legal variant that applies to it) over every case of the
    profile that the variant can reach (:meth:`~harness.reference.variants.Variant.reaches`), in
    chunks (:data:`CHUNK` for the variants in :data:`SPLIT_VARIANTS`, which come first).

    As in the mutant matrix (:func:`matrix`), OCPP 2.1 runs the 2.0.1 cases against the same 2.x
    behaviour of the reference SUTs: a variant that applies to both leaves out of its 2.1 runs
    the cases its 2.0.1 runs already prove (same role, same case); the 2.1-only cases stay. The
    2.1 pass run and the shuffle matrix still run every case under 2.1."""
    from harness.reference.variants import VARIANTS

    by_profile = {profile: key for key, profile in BUILTIN.items()}
    cases = all_cases()
    runs: list[VariantRun] = []
    for name in sorted(VARIANTS, key=lambda n: (n not in SPLIT_VARIANTS, n)):
        variant = VARIANTS[name]
        for base in variant.suts:
            role, version = by_profile[base]
            # a TLS variant shows only over TLS: it runs on the security profile 3 built-in
            profile = TLS_BUILTIN[(role, version)][0] if name in TLS_VARIANTS else base
            twin = BUILTIN.get((role, "2.0.1")) if version == "2.1" else None
            proven = twin in variant.suts and name not in TLS_VARIANTS
            mine = sorted(
                c.id
                for c in cases
                if str(c.role) == role
                and version in c.versions
                and variant.reaches(c.id)
                and not (proven and "2.0.1" in c.versions)
            )
            size = CHUNK if name in SPLIT_VARIANTS else OTHER_CHUNK
            if len(mine) <= size:
                runs.append(VariantRun(profile, name, tuple(mine)))
                continue
            for n, start in enumerate(range(0, len(mine), size), 1):
                runs.append(VariantRun(profile, name, tuple(mine[start : start + size]), str(n)))
    return [run for run in runs if run.case_ids]


def variant_covered(profile: str, name: str) -> bool:
    """Whether the variant matrix proves variant ``name`` on built-in ``profile``: a run of its
    own, or (2.1) the runs of its 2.0.1 twin, which prove the same cases (:func:`variant_matrix`)."""
    from harness.reference.variants import VARIANTS

    runs = {(run.profile, run.variant) for run in variant_matrix()}
    role, version = next(k for k, v in BUILTIN.items() if v == profile)
    on = TLS_BUILTIN[(role, version)][0] if name in TLS_VARIANTS else profile
    if (on, name) in runs:
        return True
    twin = BUILTIN.get((role, "2.0.1")) if version == "2.1" else None
    return twin is not None and twin in VARIANTS[name].suts and (twin, name) in runs


def run_variant(run: VariantRun, report: Path, timeout_s: float = 400) -> dict[str, Any]:
    """Run the cases of ``run`` with its variant seeded in a child pytest; its results.json."""
    extra = ("--ocpp-variant", run.variant)
    return child_run(run.name, run.profile, run.case_ids, report, extra, timeout_s)
