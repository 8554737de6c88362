"""The pytest child of ``ocpp-harness run`` and ``demo``: its command line, its supervision
and the exit status read from the ``results.json`` it leaves (see :mod:`harness.cli`).

SIGTERM or SIGINT to ``run`` reaches the pytest child as SIGTERM (at once; a ^C from a terminal
reaches both processes, so SIGINT is forwarded only if the child has not stopped within
:data:`SIGINT_FORWARD_S`): the child stops in order and writes the report of every finished case.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from harness.layout import CHECKOUT, PYTEST_INI, suite_root, testcases_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
#: pytest's exit status when a session was interrupted (KeyboardInterrupt, SIGTERM).
PYTEST_INTERRUPTED = 2
#: Seconds a SIGINT to ``run`` waits for the child (which a terminal's ^C reached too) before
#: it is forwarded as SIGTERM.
SIGINT_FORWARD_S = 1.0


def _testcases() -> Path:
    testcases = testcases_dir()
    if not testcases.is_dir():
        raise SystemExit(
            f"ocpp-harness: test cases not found at {testcases} (neither an installed "
            "ocpp-harness nor a checkout)"
        )
    return testcases


def pytest_command(options: list[str]) -> list[str]:
    """The pytest child's command line: the suite's cases and settings, then ``options``.

    ``-c harness/suite.ini`` with the suite's directory as rootdir and confcutdir gives every run
    the suite's settings, wherever the profile is and whatever the current directory holds
    (issue 8 item 4); ``-P`` keeps the current directory off ``sys.path``.
    """
    root = str(suite_root())
    return [
        sys.executable,
        "-P",
        "-m",
        "pytest",
        str(_testcases()),
        "-c",
        str(PYTEST_INI),
        f"--rootdir={root}",
        f"--confcutdir={root}",
        "-p",
        "no:cacheprovider",
        "-q",
        *options,
    ]


def _child_env() -> dict[str, str] | None:
    """The child's environment: a checkout's package stays importable (installed or not)."""
    if suite_root() != CHECKOUT:
        return None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(CHECKOUT), env.get("PYTHONPATH")) if p)
    return env


def run_pytest(
    sut: str, report: Path, faults: list[str], extra: list[str], *, quiet: bool = False
) -> int:
    """Run pytest on the test cases in a child process; returns its exit code."""
    options = [
        f"--ocpp-sut={sut}",
        f"--ocpp-report={report}",
        *[f"--ocpp-fault={f}" for f in faults],
        *extra,
    ]
    args = pytest_command(options)
    if quiet:
        log = report / "pytest.log"
        report.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out:
            return subprocess.run(
                args, stdout=out, stderr=subprocess.STDOUT, env=_child_env(), check=False
            ).returncode
    return supervise(args)


def supervise(args: list[str]) -> int:
    """Run the pytest child; SIGTERM/SIGINT to this process stop it in order (module doc)."""
    child = subprocess.Popen(args, env=_child_env())
    pending: dict[str, float] = {}

    def forward(signum: int, frame: object) -> None:
        if signum == signal.SIGTERM:
            _signal(child, signal.SIGTERM)
        else:
            pending.setdefault("sigint", time.monotonic())

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                return child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                since = pending.pop("sigint", None)
                if since is None:
                    continue
                if time.monotonic() - since >= SIGINT_FORWARD_S:
                    _signal(child, signal.SIGTERM)
                else:
                    pending["sigint"] = since
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _signal(child: subprocess.Popen[bytes], sig: int) -> None:
    if child.poll() is None:
        child.send_signal(sig)


def outcome(pytest_code: int, results: Path) -> tuple[int, dict[str, Any] | None]:
    """The exit status of ``run`` (see the module doc) and the results document it rests on.

    ``results.json`` is read and validated here, once per run, however large it is (issue 8
    item 8); the document is None when there is none or it cannot be read.
    """
    if pytest_code in (3, 4) and not results.is_file():  # internal error, usage error
        return EXIT_USAGE, None
    if not results.is_file():
        interrupted = pytest_code == PYTEST_INTERRUPTED or pytest_code < 0  # < 0: a signal
        return (EXIT_USAGE if pytest_code and not interrupted else EXIT_INCOMPLETE), None
    from harness.report.schema import ResultsError, load_results

    try:
        document = load_results(results)
    except ResultsError as exc:
        print(f"ocpp-harness: {exc}", file=sys.stderr)
        return EXIT_USAGE, None
    if pytest_code == 4:  # usage error after an earlier file was left behind
        return EXIT_USAGE, document
    if document["run"].get("interrupted"):
        return EXIT_INCOMPLETE, document
    return int(document["outcome"]["exit_code"]), document


def exit_status(pytest_code: int, results: Path) -> int:
    """The exit status of ``run``, from the outcome in ``results.json`` (see the module doc)."""
    return outcome(pytest_code, results)[0]
