"""``ocpp-harness``: thin command line over pytest and the report modules.

* ``ocpp-harness run --sut FILE [--oca PATTERN] [--ocpp-... ] [-- pytest args]`` — run the OCA
  cases for a SUT and hold its claims against the verdicts; it takes every option of the pytest
  plugin under the same spelling (one table, :mod:`harness.options`; issue 8 item 5) and runs the
  cases of the checkout or of the installed wheel (:mod:`harness.layout`; item 6) with the
  suite's pytest settings (``harness/suite.ini``; item 4), in the current directory, so relative
  profile, claims and report paths mean what they say;
* ``ocpp-harness demo`` — every built-in reference SUT, reports in ``reports/demo/``;
* ``ocpp-harness report RESULTS.json`` — render the HTML report (index and case pages) again;
* ``ocpp-harness diff A/results.json B/results.json [--html OUT]`` — what regressed between runs;
* ``ocpp-harness reference station|csms ...`` — a reference SUT as a separate process
  (:mod:`harness.reference.serve`);
* ``ocpp-harness catalogue [--version V] [--role R] [--profile P] [--blocks B,C] [--format json]``
  — per role and profile, the OCA catalogue's ids, how many are implemented, the missing ones
  (:mod:`harness.catalogue.coverage_report`); with ``--actions`` the SUT actions each case may
  ask for (:mod:`harness.catalogue.case_actions`);
* ``ocpp-harness variants [--format json]`` — the legal variants of the built-in SUTs
  (``--ocpp-variant NAME``): name, the built-in profiles they apply to, what changes, the rule.

Exit status of ``run``: 0 when every claimed profile is verified, 1 when a claimed profile failed,
2 for usage errors (bad profile, unknown option, unreadable results), 3 when nothing failed but a
claimed profile is incomplete (cases not run, INCONCLUSIVE, harness ERROR) or not testable, and
when the run was interrupted (SIGTERM, ^C, a crash: the report keeps every finished case).
``diff`` exits 1 when anything regressed, 0 otherwise.

SIGTERM or SIGINT to ``run`` reaches the pytest child as SIGTERM (at once; a ^C from a terminal
reaches both processes, so SIGINT is forwarded only if the child has not stopped within
:data:`harness.pytest_child.SIGINT_FORWARD_S`): the child stops in order and writes the report of
every finished case (:mod:`harness.pytest_child`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from harness.config import builtin_profile_names
from harness.options import OPTIONS
from harness.pytest_child import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    outcome,
    pytest_command,
    run_pytest,
    supervise,
)

#: Longest first (the 2.x station runs take minutes, mostly waiting): ``--jobs`` workers then
#: finish close together.
DEMO_PROFILES = (
    "reference-station-v201",
    "reference-station-v21",
    "reference-station-v16",
    "reference-csms-v16",
    "reference-csms-v201",
    "reference-csms-v21",
    # security profiles 2 and 3 over real TLS (a PKI per session)
    "reference-station-v201-sp3",
    "reference-csms-v201-sp3",
    "reference-station-v201-sp2",
    "reference-csms-v201-sp2",
    "reference-csms-v16-sp3",
    "reference-csms-v16-sp2",
    "reference-station-v16-sp3",
    "reference-station-v16-sp2",
)


RUN_HELP: dict[str, Any] = {
    "description": "Run the OCA test cases against a SUT and hold its claims against the "
    "verdicts. The options are the pytest plugin's, spelled the same (the short forms --sut, "
    "--report, --claims, --fault and --variant too).",
    "epilog": "Other pytest arguments go after --, e.g.: ocpp-harness run --sut "
    "reference-station-v201 --oca 'TC_B_*' -- -x -v",
    "allow_abbrev": False,
}


def _run_options(run: argparse.ArgumentParser) -> None:
    """``run``'s options: every plugin option of :data:`harness.options.OPTIONS` and its aliases."""
    for opt in OPTIONS:
        kwargs = opt.argparse_kwargs()
        if opt.dest == "ocpp_sut":
            names = ", ".join(builtin_profile_names())
            kwargs.update(required=True, help=f"SUT profile YAML or built-in name ({names})")
        elif opt.dest == "ocpp_report":
            kwargs["help"] += " (default: reports/<profile name>)"
        run.add_argument(opt.flag, *opt.aliases, **kwargs)
    run.add_argument(
        "pytest_args", nargs="*", metavar="-- PYTEST_ARGS", help="extra pytest arguments"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ocpp-harness", description="OCPP conformance test harness"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _run_options(sub.add_parser("run", help="run the OCA test cases against a SUT", **RUN_HELP))
    demo = sub.add_parser("demo", help="run every built-in reference SUT and write reports/demo/")
    demo.add_argument("--out", default="reports/demo", help="output directory")
    demo.add_argument("--jobs", type=int, default=2, help="profiles run in parallel")
    report = sub.add_parser("report", help="render the HTML report again from a results.json")
    report.add_argument("results", help="path to results.json")
    report.add_argument("--out", help="output directory (default: beside results.json)")
    diff = sub.add_parser("diff", help="compare two runs: regressions, fixes, profile changes")
    diff.add_argument("before", help="results.json of the earlier run (A)")
    diff.add_argument("after", help="results.json of the later run (B)")
    diff.add_argument("--html", metavar="OUT", help="also write the comparison as an HTML page")
    variants = sub.add_parser(
        "variants", help="list the legal variants of the built-in reference SUTs"
    )
    variants.add_argument("--format", choices=("text", "json"), default="text")
    catalogue = sub.add_parser(
        "catalogue",
        help="how many OCA catalogue cases exist and are implemented, per role and profile",
        description="Per SUT role and certification profile: the catalogue's mandatory and "
        "conditional ids, how many have a test case, per block, and the missing ones.",
    )
    catalogue.add_argument("--version", default="2.0.1", help="OCPP version (default 2.0.1)")
    catalogue.add_argument("--role", help="cs or csms (default: both)")
    catalogue.add_argument("--profile", help="certification profile, e.g. core (default: all)")
    catalogue.add_argument("--blocks", action="append", help="OCA blocks, e.g. B,C (default: all)")
    catalogue.add_argument("--format", choices=("text", "json"), default="text")
    catalogue.add_argument(
        "--actions",
        action="store_true",
        help="instead: the SUT actions each case may ask for (json: case id -> actions)",
    )
    certs = sub.add_parser(
        "certs",
        help="generate the PKI for security profiles 2/3 and firmware signing (certs init)",
        description="certs init [DIR]: write (or keep, while valid) the CSMS, CPO and "
        "manufacturer hierarchies, station and bad certificates under DIR/<algorithm>/, and "
        "say which roots to install where (DIR/<algorithm>/README.txt).",
    )
    certs.add_argument("action", choices=("init",), help="init: write or refresh the files")
    certs.add_argument("dir", nargs="?", default="certs", help="directory (default: certs)")
    certs.add_argument("--algorithm", choices=("ecdsa", "rsa", "both"), default="both")
    certs.add_argument("--host", default="localhost", help="CSMS host: CN of the server cert")
    certs.add_argument(
        "--identity",
        action="append",
        help="station identity (CN of a station certificate); repeatable (default: CS001)",
    )
    certs.add_argument("--organization", help="O of the CSO certificates")
    reference = sub.add_parser(
        "reference",
        help="run a built-in reference SUT as a separate process (a simulated station or CSMS "
        "with an HTTP control API; ocpp-harness reference station --help)",
        add_help=False,
    )
    reference.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def print_outcome(document: dict[str, Any]) -> None:
    """The per-profile table and the outcome line, as the last lines of ``run``'s output."""
    from harness.report.terminal import profile_lines

    print(f"\nocpp-harness: claims vs measured ({document['run']['sut']['name']})")
    for line, _ in profile_lines(document):
        print(line)


def _print_interruption(document: dict[str, Any]) -> None:
    run = document["run"]
    if run.get("interrupted"):
        n = len(document["cases"])
        print(f"interrupted ({run['interruption']}): the report keeps the {n} finished cases")


def run_options(ns: argparse.Namespace, report: Path) -> list[str]:
    """The plugin options of ``run`` for its pytest child, in the pytest spelling."""
    options = [f"--ocpp-report={report}"]
    if ns.ocpp_summary is None:
        options.append("--ocpp-summary=cases")  # run prints the per-profile table itself
    for opt in OPTIONS:
        if opt.dest != "ocpp_report":
            options += opt.pytest_args(getattr(ns, opt.dest))
    return options


def cmd_run(ns: argparse.Namespace) -> int:
    report = Path(ns.ocpp_report or f"reports/{Path(ns.ocpp_sut).stem}")
    results = report / "results.json"
    results.unlink(missing_ok=True)  # a stale file must not answer for this run
    code = supervise(pytest_command([*run_options(ns, report), *ns.pytest_args]))
    status, document = outcome(code, results)
    if document is not None and status != EXIT_USAGE:
        print_outcome(document)
        _print_interruption(document)
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
        (out / name / "results.json").unlink(missing_ok=True)
        code = run_pytest(name, out / name, [], [], quiet=True)
        status, document = outcome(code, out / name / "results.json")
        summary = _outcome_line(document)
        print(f"  {name:<24} {summary} ({time.monotonic() - t0:.1f} s)", flush=True)
        return name, status, time.monotonic() - t0

    with ThreadPoolExecutor(max_workers=max(1, ns.jobs)) as pool:
        results = list(pool.map(one, DEMO_PROFILES))
    from harness.report.demo import write_demo_index

    index = write_demo_index(out, [name for name, _, _ in results])
    failed = [name for name, status, _ in results if status != EXIT_OK]
    print(f"demo finished in {time.monotonic() - started:.1f} s: {index}")
    if failed:
        print(
            f"not all built-in SUTs verified: {', '.join(failed)} (see {out}/<profile>/pytest.log)"
        )
    return EXIT_FAILED if failed else EXIT_OK


def _outcome_line(document: dict[str, Any] | None) -> str:
    if document is None:
        return "NO RESULTS"
    counts = document["run"]["counts"]
    tally = ", ".join(f"{n} {v}" for v, n in counts.items() if n) or "nothing ran"
    line = f"{document['outcome']['status'].upper():<10} {tally}"
    on = [
        f"{p['title']}: {p['verified_on']['text']}"
        for p in document["profiles"]
        if p["profile"] in document["outcome"]["gated_on"] and p.get("verified_on")
    ]
    return f"{line} ({'; '.join(on)})" if on else line


def cmd_report(ns: argparse.Namespace) -> int:
    from harness.report.html import write_html
    from harness.report.schema import ResultsError, load_results

    path = Path(ns.results)
    try:
        document = load_results(path)
    except ResultsError as exc:
        print(f"ocpp-harness report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from harness.report.live import attach_traces

    attach_traces(document, path.parent)  # a snapshot keeps the traces in cases/*.jsonl
    target = write_html(document, Path(ns.out) if ns.out else path.parent)
    print(f"report: {target} ({len(document['cases'])} case pages)")
    return EXIT_OK


def cmd_diff(ns: argparse.Namespace) -> int:
    from harness.report.diff import compare, diff_lines
    from harness.report.schema import ResultsError, load_results

    try:
        before = load_results(Path(ns.before))
        after = load_results(Path(ns.after))
    except ResultsError as exc:
        print(f"ocpp-harness diff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    diff = compare(before, after, a_path=ns.before, b_path=ns.after)
    for line in diff_lines(diff):
        print(line)
    if ns.html:
        from harness.report.html import render_diff

        out = Path(ns.html)
        out.parent.mkdir(parents=True, exist_ok=True)
        for side, given in (("a", ns.before), ("b", ns.after)):
            rel = os.path.relpath(Path(given).resolve().parent, out.resolve().parent)
            diff[side]["href"] = Path(rel).as_posix()
        out.write_text(render_diff(diff), "utf-8")
        print(f"html: {out}")
    return int(diff["exit_code"])


def cmd_variants(ns: argparse.Namespace) -> int:
    """Print the variant registry: a table, or JSON (a list of name/suts/changes/rule)."""
    import json
    import textwrap

    from harness.reference.variants import VARIANTS

    rows = [VARIANTS[name] for name in sorted(VARIANTS)]
    if ns.format == "json":
        print(json.dumps([v.as_json() for v in rows], indent=2))
        return EXIT_OK
    for v in rows:
        print(v.name)
        print(f"  suts:    {', '.join(v.suts)}")
        for label, text in (("changes", v.changes), ("rule", v.rule)):
            lines = textwrap.wrap(text, 88) or [""]
            print(f"  {label + ':':<8} {lines[0]}")
            for line in lines[1:]:
                print(f"           {line}")
    return EXIT_OK


def cmd_catalogue(ns: argparse.Namespace) -> int:
    from harness.catalogue.coverage_report import main as catalogue

    if ns.actions:
        import json

        from harness.catalogue.case_actions import actions_by_case, render_markdown
        from harness.layout import testcases_dir

        by_case = actions_by_case(testcases_dir())
        if ns.format == "json":
            print(json.dumps({k: sorted(v) for k, v in sorted(by_case.items())}, indent=2))
        else:
            print(render_markdown(by_case), end="")
        return 0

    return catalogue(ns.version, ns.role, ns.profile, ns.blocks, ns.format)


def cmd_certs(ns: argparse.Namespace) -> int:
    """``certs init``: one line per file written or kept (paths only), then the roots to install."""
    from harness.pki.command import certs_init
    from harness.pki.recipes import DEFAULT_ORGANIZATION

    try:
        for line in certs_init(
            Path(ns.dir),
            algorithm=ns.algorithm,
            host=ns.host,
            identities=ns.identity or ["CS001"],
            organization=ns.organization or DEFAULT_ORGANIZATION,
        ):
            print(line)
    except ValueError as exc:
        print(f"ocpp-harness certs: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_reference(ns: argparse.Namespace) -> int:
    from harness.reference.serve import main as serve

    return serve(ns.args)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["reference"]:  # its own parser, --help included
        return cmd_reference(argparse.Namespace(args=args[1:]))
    ns = _parser().parse_args(args)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    handlers = {
        "run": cmd_run,
        "demo": cmd_demo,
        "report": cmd_report,
        "diff": cmd_diff,
        "variants": cmd_variants,
        "catalogue": cmd_catalogue,
        "certs": cmd_certs,
        "reference": cmd_reference,
    }
    return handlers[ns.command](ns)


if __name__ == "__main__":
    sys.exit(main())
