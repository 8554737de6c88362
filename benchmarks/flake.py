"""Determinism: the full suite, run again and again against each built-in reference SUT, must give
the same verdicts every time (a flaky verdict is worse than none).

For each of the six built-in profiles the script runs ``pytest testcases`` ``--runs`` times in a
child process (``--ocpp-report`` into a temporary directory), reads each ``results.json`` and
compares every case's verdict with the one of the first run. It prints one row per profile, the
cases whose verdict changed (with their verdicts and reasons), and the total count of differing
verdicts; the exit status is 0 when that count is 0. A run that ends in a pytest error (exit
status 2-5: collection or usage error, internal error, nothing collected) or leaves no
``results.json`` is shown with its output and counts every case of the first run as differing.

With ``--shuffle`` the first run keeps the collected order (the baseline) and run *n* uses
``--ocpp-shuffle n``: a verdict that changes with the order of the cases shows up as differing.

Usage: ``python benchmarks/flake.py [--runs 20] [--jobs 2] [--profile NAME]... [--quick]
[--shuffle]`` (``--quick``: 2 runs). Extra pytest arguments follow ``--``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILES = (
    "reference-station-v16",
    "reference-station-v201",
    "reference-station-v21",
    "reference-csms-v16",
    "reference-csms-v201",
    "reference-csms-v21",
)
#: A hung child run is killed after this long and counts as a run without results.
RUN_TIMEOUT_S = 900
#: Changed cases listed per profile.
MAX_SHOWN = 10


@dataclass
class Run:
    """One suite run: its verdicts by case key (``id-version``) and reasons, or why it has none."""

    verdicts: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    broken: str = ""


def run_suite(profile: str, report: Path, extra: list[str]) -> Run:
    args = [
        sys.executable,
        "-m",
        "pytest",
        str(ROOT / "testcases"),
        "-q",
        "-p",
        "no:cacheprovider",
        f"--rootdir={ROOT}",
        "--ocpp-sut",
        profile,
        "--ocpp-report",
        str(report),
        *extra,
    ]
    started = time.monotonic()
    try:
        proc = subprocess.run(
            args, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
        )
        tail = proc.stdout[-800:]
    except subprocess.TimeoutExpired:
        return Run(seconds=time.monotonic() - started, broken=f"no end after {RUN_TIMEOUT_S} s")
    run = Run(seconds=time.monotonic() - started)
    results = report / "results.json"
    if proc.returncode not in (0, 1) or not results.is_file():
        # 2-5: interrupted, internal error, usage error, nothing collected (pytest.ExitCode)
        run.broken = f"pytest exit {proc.returncode}: {tail}"
        return run
    document = json.loads(results.read_text("utf-8"))
    for case in document["cases"]:
        key = f"{case['id']}-{case['version']}"
        run.verdicts[key] = case["verdict"]
        run.reasons[key] = case.get("reason") or ""
    return run


@dataclass
class Outcome:
    """All runs of one profile and how their verdicts differ from the first run's."""

    profile: str
    runs: list[Run]

    @property
    def baseline(self) -> dict[str, str]:
        return self.runs[0].verdicts if self.runs else {}

    def differing(self) -> dict[str, Counter[str]]:
        """Case key -> how often each verdict came, for the cases whose verdict ever changed."""
        keys = set(self.baseline).union(*(r.verdicts for r in self.runs))
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for run in self.runs:
            for key in keys:
                seen[key][run.verdicts.get(key, "missing")] += 1
        return {key: count for key, count in seen.items() if len(count) > 1}

    def differing_count(self) -> int:
        """Verdicts (case x run) that differ from the first run's verdict for the case."""
        total = 0
        keys = set(self.baseline).union(*(r.verdicts for r in self.runs))
        for run in self.runs[1:]:
            total += sum(
                run.verdicts.get(key, "missing") != self.baseline.get(key, "missing")
                for key in keys
            )
        return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="suite runs per profile (20)")
    parser.add_argument("--quick", action="store_true", help="2 runs per profile")
    parser.add_argument("--jobs", type=int, default=2, help="child runs at a time (2)")
    parser.add_argument(
        "--profile", action="append", choices=PROFILES, help="only this profile (repeatable)"
    )
    parser.add_argument(
        "--shuffle",
        action="store_true",
        help="run n > 1 with --ocpp-shuffle n (the first run is in order: the baseline)",
    )
    parser.add_argument("extra", nargs="*", help="pytest arguments, after --")
    options = parser.parse_args()
    runs = 2 if options.quick else options.runs
    profiles = options.profile or list(PROFILES)
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="ocpp-flake-") as tmp,
        ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool,
    ):
        futures = {
            (profile, index): pool.submit(
                run_suite,
                profile,
                Path(tmp) / f"{profile}-{index}",
                options.extra
                + (["--ocpp-shuffle", str(index)] if options.shuffle and index else []),
            )
            for index in range(runs)
            for profile in profiles
        }
        outcomes = [
            Outcome(profile, [futures[(profile, i)].result() for i in range(runs)])
            for profile in profiles
        ]
    wall = time.monotonic() - started
    print(f"{'profile':<24} {'runs':>4} {'cases':>5} {'differing':>9} {'s/run':>6}  verdicts")
    total = 0
    for outcome in outcomes:
        differing = outcome.differing_count()
        total += differing
        counts = Counter(outcome.baseline.values())
        per_run = sum(r.seconds for r in outcome.runs) / max(1, len(outcome.runs))
        print(
            f"{outcome.profile:<24} {len(outcome.runs):>4} {len(outcome.baseline):>5} "
            f"{differing:>9} {per_run:>6.1f}  "
            + ", ".join(f"{v} {n}" for v, n in sorted(counts.items()))
        )
    for outcome in outcomes:
        for index, run in enumerate(outcome.runs):
            if run.broken:
                print(f"  {outcome.profile} run {index + 1}: {run.broken}")
        changed = sorted(outcome.differing().items())
        for key, seen in changed[:MAX_SHOWN]:
            print(f"  {outcome.profile} {key}: " + ", ".join(f"{v} x{n}" for v, n in seen.items()))
            for run in outcome.runs:
                verdict = run.verdicts.get(key)
                if verdict not in (None, outcome.baseline.get(key)):
                    print(f"      {verdict}: {run.reasons.get(key, '')[:300]}")
                    break
        if len(changed) > MAX_SHOWN:
            print(f"  {outcome.profile}: {len(changed) - MAX_SHOWN} more cases changed verdict")
    order = "shuffled after the first" if options.shuffle else "in order"
    print(
        f"differing verdicts: {total} (over {runs} runs x {len(profiles)} profiles, {order}, "
        f"{wall:.0f} s)"
    )
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
