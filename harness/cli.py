"""``ocpp-harness``: thin command line over pytest and the report modules.

* ``ocpp-harness run --sut FILE [--report DIR] [-- pytest args]`` — run the OCA cases for a SUT;
* ``ocpp-harness demo`` — every built-in reference SUT, reports in ``reports/demo/``;
* ``ocpp-harness report RESULTS.json`` — render the HTML report again from a results file.

Exit status of ``run``: 0 when every case passed (or did not apply), 1 when any case failed,
errored or was inconclusive, 2 for usage errors (bad profile, unknown option).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.config import builtin_profile_names

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
ROOT = Path(__file__).resolve().parents[1]
TESTCASES = ROOT / "testcases"
DEMO_PROFILES = (
    "reference-station-v16",
    "reference-station-v201",
    "reference-station-v21",
    "reference-csms-v16",
    "reference-csms-v201",
    "reference-csms-v21",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ocpp-harness", description="OCPP conformance test harness"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the OCA test cases against a SUT")
    run.add_argument(
        "--sut",
        required=True,
        help="SUT profile YAML or built-in name (" + ", ".join(builtin_profile_names()) + ")",
    )
    run.add_argument("--report", help="report directory (default: reports/<profile name>)")
    run.add_argument(
        "--fault", action="append", default=[], help="seed a fault into a built-in SUT"
    )
    run.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    demo = sub.add_parser("demo", help="run every built-in reference SUT and write reports/demo/")
    demo.add_argument("--out", default="reports/demo", help="output directory")
    demo.add_argument("--jobs", type=int, default=2, help="profiles run in parallel")
    report = sub.add_parser("report", help="render index.html again from a results.json")
    report.add_argument("results", help="path to results.json")
    return parser


def _testcases() -> Path:
    if not TESTCASES.is_dir():
        raise SystemExit(f"ocpp-harness: test cases not found at {TESTCASES} (run from a checkout)")
    return TESTCASES


def run_pytest(
    sut: str, report: Path, faults: list[str], extra: list[str], *, quiet: bool = False
) -> int:
    """Run pytest on the test cases in a child process; returns its exit code."""
    args = [
        sys.executable,
        "-m",
        "pytest",
        str(_testcases()),
        "--ocpp-sut",
        sut,
        "--ocpp-report",
        str(report),
        "-p",
        "no:cacheprovider",
        "-q",
        f"--rootdir={ROOT}",
        *[f"--ocpp-fault={f}" for f in faults],
        *extra,
    ]
    if quiet:
        log = report / "pytest.log"
        report.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out:
            return subprocess.run(
                args, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, check=False
            ).returncode
    return subprocess.run(args, cwd=ROOT, check=False).returncode


def exit_status(pytest_code: int, results: Path) -> int:
    if pytest_code in (3, 4):  # internal error, usage error
        return EXIT_USAGE
    if not results.is_file():
        return EXIT_USAGE if pytest_code else EXIT_FAILED
    counts = json.loads(results.read_text("utf-8"))["run"]["counts"]
    bad = counts.get("fail", 0) + counts.get("error", 0) + counts.get("inconclusive", 0)
    if not any(counts.values()):
        return EXIT_FAILED  # nothing ran: not a success
    return EXIT_FAILED if bad else EXIT_OK


def cmd_run(ns: argparse.Namespace) -> int:
    report = Path(ns.report or f"reports/{Path(ns.sut).stem}")
    code = run_pytest(ns.sut, report, ns.fault, ns.pytest_args)
    status = exit_status(code, report / "results.json")
    if (report / "index.html").is_file():
        print(f"report: {report / 'index.html'}")
    return status


def cmd_demo(ns: argparse.Namespace) -> int:
    out = Path(ns.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"ocpp-harness demo: {len(DEMO_PROFILES)} built-in SUTs, reports in {out}/", flush=True)

    def one(name: str) -> tuple[str, int, float]:
        t0 = time.monotonic()
        code = run_pytest(name, out / name, [], [], quiet=True)
        status = exit_status(code, out / name / "results.json")
        summary = _counts_line(out / name / "results.json")
        print(
            f"  {name:<24} {'ok ' if status == EXIT_OK else 'FAIL'} {summary} ({time.monotonic() - t0:.1f} s)",
            flush=True,
        )
        return name, status, time.monotonic() - t0

    with ThreadPoolExecutor(max_workers=max(1, ns.jobs)) as pool:
        results = list(pool.map(one, DEMO_PROFILES))
    from harness.report.demo import write_demo_index

    index = write_demo_index(out, [name for name, _, _ in results])
    failed = [name for name, status, _ in results if status != EXIT_OK]
    print(f"demo finished in {time.monotonic() - started:.1f} s: {index}")
    if failed:
        print(f"not all built-in SUTs passed: {', '.join(failed)} (see {out}/<profile>/pytest.log)")
    return EXIT_FAILED if failed else EXIT_OK


def _counts_line(results: Path) -> str:
    if not results.is_file():
        return "(no results)"
    counts = json.loads(results.read_text("utf-8"))["run"]["counts"]
    return ", ".join(f"{n} {v}" for v, n in counts.items() if n) or "nothing ran"


def cmd_report(ns: argparse.Namespace) -> int:
    from harness.report.html import render_index

    path = Path(ns.results)
    if not path.is_file():
        print(f"ocpp-harness report: no such file {path}", file=sys.stderr)
        return EXIT_USAGE
    document = json.loads(path.read_text("utf-8"))
    target = path.parent / "index.html"
    target.write_text(render_index(document), "utf-8")
    print(f"report: {target}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    ns = _parser().parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    handlers = {"run": cmd_run, "demo": cmd_demo, "report": cmd_report}
    return handlers[ns.command](ns)


if __name__ == "__main__":
    sys.exit(main())
