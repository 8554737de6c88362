"""Child pytest runs of the self-tests' matrices, forked from a warm process.

The mutant, variant and shuffle matrices start about 800 child pytest runs. A fresh interpreter
spends about 0.8 s of CPU of its 1.4 s importing (``ocpp`` alone 0.45 s: every message class of
three versions) before it runs a case that mostly waits. Each xdist worker therefore keeps one
:mod:`multiprocessing` fork server that has imported the heavy third-party packages once
(:data:`PRELOAD`); a child run is a fork of it calling ``pytest.main`` with the same arguments a
``python -m pytest`` child would get, its output going to a file.

Only packages that are not pytest plugins are preloaded: pytest rewrites the asserts of plugin
modules (the harness itself, pytest-asyncio, ...) as it imports them, and one imported before
would be run unrewritten and warned about (an error under ``filterwarnings = error``). So the
harness and the test cases are imported by pytest in each child, from the byte-code cache.

``OCPP_HARNESS_CHILD=subprocess`` runs every child as a plain subprocess instead (the reference
behaviour, to rule the fork server out when a matrix result looks odd).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

#: Imported once by the fork server: what a child would otherwise import every time.
PRELOAD = (
    "pytest",
    "ocpp.v16",
    "ocpp.v201",
    "ocpp.v21",
    "ocpp.charge_point",
    "websockets.asyncio.client",
    "websockets.asyncio.server",
    "cryptography.x509",
    "cryptography.hazmat.primitives.asymmetric.rsa",
    "cryptography.hazmat.primitives.asymmetric.ec",
    "jinja2",
    "yaml",
    "fastjsonschema",
)


@dataclass(frozen=True)
class ChildResult:
    """What a child run left: its exit code (None: killed at the timeout) and its output."""

    returncode: int | None
    output: str


def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(list(PRELOAD))
    return context


def _child(args: list[str], cwd: str, output: str) -> None:
    """In the forked child: output to ``output``, then pytest as ``python -m pytest`` would."""
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.chdir(cwd)
    sys.path.insert(0, cwd)  # what ``-m`` puts first
    sys.argv = [sys.executable, *args]
    import pytest

    code = pytest.main(args)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(int(code))


def run(args: list[str], cwd: Path, output: Path, timeout_s: float) -> ChildResult:
    """Run ``pytest args`` in ``cwd`` within ``timeout_s``; its stdout and stderr in ``output``."""
    if os.environ.get("OCPP_HARNESS_CHILD") == "subprocess":
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", *args],
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            text = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            return ChildResult(None, text)
        output.write_text(proc.stdout + proc.stderr, "utf-8")
        return ChildResult(proc.returncode, proc.stdout + proc.stderr)
    process = _context().Process(target=_child, args=(args, str(cwd), str(output)))
    # multiprocessing re-imports the parent's main module in the server and in each child (a
    # script's imports of the harness would then run before pytest could rewrite it): hidden
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        process.start()
    finally:
        sys.modules["__main__"] = main
    process.join(timeout_s)
    if process.is_alive():
        process.kill()
        process.join(10)
        code: int | None = None
    else:
        code = process.exitcode
    text = output.read_text("utf-8", errors="replace") if output.is_file() else ""
    return ChildResult(code, text)
