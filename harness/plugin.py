"""pytest hooks of ocpp-harness: options, markers, collection filtering, reports (DESIGN §3).

Loaded through the ``pytest11`` entry point ``ocpp``; disable with ``-p no:ocpp``. Heavy modules
(peers, reference SUTs, reporters) are imported inside the hooks that need them.
"""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.config import ProfileError, load_claims, load_profile, resolve_profile_path
from harness.options import OPTIONS
from harness.testcase import MARKER, case_of

if TYPE_CHECKING:
    from harness.config import SutProfile
    from harness.reference.variants import Seeded

RUN_PLUGIN = "ocpp-harness-run"
#: The results document of the finished session, for the terminal summary.
DOCUMENT_KEY = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``ocpp`` options and their ini twins, from the table ``ocpp-harness run`` shares."""
    group = parser.getgroup("ocpp", "OCPP conformance harness")
    for opt in OPTIONS:  # harness/options.py: one table for pytest and ocpp-harness run
        group.addoption(opt.flag, **opt.argparse_kwargs())
        if opt.ini == "args":
            parser.addini(opt.dest, opt.ini_help or opt.help, type="args")
        elif opt.ini == "string":
            parser.addini(opt.dest, opt.ini_help or opt.help, default="")


def _refuse_parallel_run(config: pytest.Config) -> None:
    """A run of the cases against a SUT (``--ocpp-sut`` or ``--ocpp-report``) is one SUT, one case
    at a time: pytest-xdist workers would drive the same station or CSMS at once, and none of them
    writes the report. Refused with a usage error rather than an empty results.json."""
    parallel = getattr(config.option, "numprocesses", None)
    if not parallel or getattr(config.option, "dist", "no") == "no":
        return
    if hasattr(config, "workerinput"):
        return
    if _option(config, "ocpp_sut") or _option(config, "ocpp_report"):
        raise pytest.UsageError(
            f"ocpp-harness runs the OCA cases one at a time against one SUT: drop -n {parallel} "
            "(pytest-xdist) from a run with --ocpp-sut or --ocpp-report (workers would drive "
            "the same SUT at once, and no report could be written)"
        )


def _option(config: pytest.Config, dest: str) -> str | None:
    value = config.getoption(dest) or config.getini(dest)
    return str(value) if value else None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(case): an OCA test case (set with harness.oca(...): id, title, profile, "
        "versions, faults it kills)",
    )
    from harness.fixtures import RUN_KEY
    from harness.reference.faults import UnknownFault, select_faults
    from harness.run import HarnessRun

    _refuse_parallel_run(config)
    try:
        profile = load_profile(resolve_profile_path(_option(config, "ocpp_sut")))
        claims_file = _option(config, "ocpp_claims")
        if claims_file:
            import dataclasses

            profile = dataclasses.replace(profile, claims=load_claims(claims_file))
        from harness.features import validate as validate_features

        validate_features(profile)  # sut.features: PICS items of Part 5 for the role
    except ProfileError as exc:
        raise pytest.UsageError(f"SUT profile: {exc}") from None
    if not profile.sut.builtin:
        try:
            profile.sut.password()  # a missing password variable stops the run here, once
        except ProfileError as exc:
            raise pytest.UsageError(f"SUT profile: {exc}") from None
    faults: frozenset[str] = frozenset()
    if config.getoption("ocpp_faults"):
        if not profile.sut.builtin:
            raise pytest.UsageError("--ocpp-fault only applies to a built-in reference SUT")
        try:
            faults = select_faults(
                config.getoption("ocpp_faults"), profile.sut.builtin, str(profile.sut.ocpp)
            )
        except UnknownFault as exc:
            raise pytest.UsageError(str(exc)) from None
    variants = _variants(config, profile)
    if variants:
        from harness.features import with_items, without
        from harness.reference.variants import added_features, dropped_features

        profile = without(profile, dropped_features(variants.names))  # a variant may lack some
        profile = with_items(profile, added_features(variants.names))  # or have more
    report = _option(config, "ocpp_report")
    report_dir = Path(report) if report else None
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        if not getattr(config.option, "xmlpath", None):
            config.option.xmlpath = str(report_dir / "junit.xml")
        if hasattr(config.option, "allure_report_dir") and not config.option.allure_report_dir:
            config.option.allure_report_dir = str(report_dir / "allure-results")
            config.option.clean_alluredir = True
    run = HarnessRun(profile, faults, report_dir)
    claims_path = _option(config, "ocpp_claims")
    run.claims_file = Path(claims_path) if claims_path else None
    run.oca_patterns = tuple(config.getoption("ocpp_oca"))
    if variants:
        from harness.reference.variants import seed

        seed(run, variants)
    config.stash[RUN_KEY] = run
    config.pluginmanager.register(run, RUN_PLUGIN)
    config.pluginmanager.register(importlib.import_module("harness.fixtures"), "ocpp-fixtures")
    from harness.report.progress import register as register_progress

    register_progress(config)  # case start/end lines and long waits (issue 8 item 2)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The SUT under test, and the spec warnings about its profile (once, at the top)."""
    from harness.fixtures import RUN_KEY

    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return []
    sut = run.profile.sut
    lines = [f"ocpp-harness: {run.profile.name} ({sut.role}, OCPP {sut.ocpp})"]
    lines += [f"ocpp-harness: spec warning: {text}" for text in run.profile.warnings]
    return lines


def _variants(config: pytest.Config, profile: SutProfile) -> Seeded | None:
    """``--ocpp-variant`` (or the ``ocpp_variants`` ini key) validated for a built-in SUT."""
    from harness.reference.variants import Seeded, UnknownVariant, select_variants

    names = list(config.getoption("ocpp_variants") or config.getini("ocpp_variants") or [])
    if not names:
        return None
    if not profile.sut.builtin:
        raise pytest.UsageError("--ocpp-variant only applies to a built-in reference SUT")
    try:
        chosen = select_variants(names, profile.sut.builtin, str(profile.sut.ocpp))
    except UnknownVariant as exc:
        raise pytest.UsageError(str(exc)) from None
    return Seeded(chosen, float(profile.sut.timeouts.response_s))


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Keep the cases for the SUT's role and version (and ``--oca``); mark the rest deselected."""
    from harness.fixtures import RUN_KEY

    run = config.stash[RUN_KEY]
    sut = run.profile.sut
    patterns = config.getoption("ocpp_oca")
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        case = case_of(item)
        if case is None:
            keep.append(item)
            continue
        fits = case.role == sut.role and str(sut.ocpp) in case.versions
        if patterns and not any(fnmatch.fnmatchcase(case.id, p) for p in patterns):
            fits = False
        if not fits:
            dropped.append(item)
            continue
        reason = case.not_applicable(run.profile)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"NOT-APPLICABLE: {reason}"))
        keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    seed = config.getoption("ocpp_shuffle")
    shuffle = str(seed) if seed is not None else _option(config, "ocpp_shuffle")
    if shuffle is not None:
        _shuffle(items, shuffle)


def _shuffle(items: list[pytest.Item], seed: str) -> None:
    """``--ocpp-shuffle SEED``: the OCA cases in a seeded random order (issue: verdicts must not
    depend on which cases ran before); other tests keep their places."""
    import random

    slots = [i for i, item in enumerate(items) if case_of(item) is not None]
    cases = [items[i] for i in slots]
    random.Random(f"ocpp-shuffle:{seed}").shuffle(cases)
    for slot, item in zip(slots, cases, strict=True):
        items[slot] = item


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Issue 8 item 4: a profile that cannot work on this machine (listen port in use, nothing
    at the CSMS's address) stops the run before the first case with one line naming the key and
    the fix (pytest's usage-error status; ``ocpp-harness run`` exits 2)."""
    from harness.fixtures import RUN_KEY
    from harness.peers.setup_checks import SetupError, preflight

    run = session.config.stash.get(RUN_KEY, None)
    if run is None or session.config.option.collectonly:
        return
    if not any(case_of(item) is not None for item in session.items):
        return
    from harness.peers.tls_setup import TlsConfigError, check_files

    try:
        check_files(run.profile)  # a certificate file missing (sut.tls), before the network
        preflight(run.profile.sut)
    except (SetupError, TlsConfigError) as exc:
        run.setup_error = str(exc)
        raise pytest.UsageError(f"SUT profile: {exc}") from None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Allure labels (epic = OCPP version, feature = profile, story = OCA block, id = OCA id)."""
    case = case_of(item)
    if case is not None:
        _allure_labels(item, case)
    try:
        return (yield)
    finally:
        if case is not None:
            _allure_trace(item)


def _allure_labels(item: pytest.Item, case: object) -> None:
    from harness.testcase import OcaCase

    if not isinstance(case, OcaCase) or not item.config.pluginmanager.hasplugin("allure_pytest"):
        return
    import allure

    from harness.fixtures import RUN_KEY
    from harness.report.coverage import profile_title

    run = item.config.stash[RUN_KEY]
    allure.dynamic.epic(f"OCPP {run.version}")
    allure.dynamic.feature(profile_title(case.profile))
    allure.dynamic.story(f"Block {case.block}")
    allure.dynamic.id(case.id)
    allure.dynamic.title(f"{case.id} {case.title}")


def _allure_trace(item: pytest.Item) -> None:
    if not item.config.pluginmanager.hasplugin("allure_pytest"):
        return
    import allure

    from harness.run import TRACE_KEY

    trace = item.stash.get(TRACE_KEY, None)
    if trace is not None:
        allure.attach(
            trace.render(), name="OCPP trace", attachment_type=allure.attachment_type.TEXT
        )


def pytest_itemcollected(item: pytest.Item) -> None:
    """``-k TC_B_01_CS`` selects a case by its OCA id as well as by its function name."""
    case = case_of(item)
    if case is not None:
        item.extra_keyword_matches.add(case.id)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write results.json, index.html and the case pages; keep the document for the summary.

    Runs before the session fixtures are torn down, so a teardown that hangs after SIGTERM
    cannot keep the report from being written; an interrupted run is marked so."""
    from harness.fixtures import RUN_KEY

    run = session.config.stash.get(RUN_KEY, None)
    if run is None:
        return
    run.finish(int(exitstatus))
    with run.stop.shielded():  # a repeated SIGTERM/^C must not cut the report short
        if run.report_dir is not None:
            from harness.report import write_run

            session.config.stash[DOCUMENT_KEY] = write_run(run, run.report_dir)
        elif run.records or run.planned:
            from harness.report.results import results_document

            session.config.stash[DOCUMENT_KEY] = results_document(run, with_traces=False)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Cases that did not pass, then one row per certification profile and the outcome."""
    document = config.stash.get(DOCUMENT_KEY, None)
    if document is None or not (document["cases"] or document["not_run"]):
        return
    from harness.fixtures import RUN_KEY

    run = config.stash.get(RUN_KEY, None)
    if run is not None and run.setup_error:
        return  # the one set-up error line says it all; nothing ran
    from harness.report.terminal import summary_lines

    terminalreporter.section("OCPP compliance: claims vs measured")
    table = _option(config, "ocpp_summary") != "cases"  # "cases": the caller prints it
    for line, colour in summary_lines(document, table=table):
        terminalreporter.write_line(line, **({colour: True} if colour else {}))
    report_dir = _option(config, "ocpp_report")
    if report_dir and table:  # with the table, the caller prints where the report is
        terminalreporter.write_line(f"report: {Path(report_dir) / 'index.html'}")
