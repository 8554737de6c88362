"""Run ``ocpp-csms`` (PyPI, an independent OCPP 1.6J CSMS) as a separate process for interop tests.

ocpp-csms is AGPL-3.0-or-later: it lives in its own virtualenv under ``<repo>/.interop/``
(git-ignored), is started only through its console script and is reached only over
``ws://127.0.0.1``. Nothing here imports it, and its virtualenv never shares site-packages with
ours. Its behaviour is described in ``tests/interop/README.md``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "ocpp-csms"
VERSION = "0.1.0"
PIN = f"{PACKAGE}=={VERSION}"
#: Where the virtualenv goes, relative to the repository root (``.interop/`` is git-ignored).
VENV_DIR = Path(".interop") / "ocpp-csms-venv"
#: Written into the virtualenv after a complete install; its text is the pin that was installed.
MARKER = ".ocpp-harness-installed"
INSTALL_TIMEOUT_S = 300.0
READY_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 20.0  # a loaded machine (the self-tests on two cores) can take seconds
_LISTENING = re.compile(rb"^listening on port (\d+)\s*$", re.MULTILINE)


class InteropSetupError(RuntimeError):
    """The peer could not be installed or started; the message carries its output."""


def _executable(venv: Path, name: str) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / f"{name}.exe"
    return venv / "bin" / name


def _clean_env() -> dict[str, str]:
    """Our environment without what would leak this project's packages into the other venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    env["PYTHONUNBUFFERED"] = "1"  # event lines reach the log as they happen
    return env


def _run(args: list[str], timeout_s: float, what: str) -> None:
    try:
        proc = subprocess.run(
            args,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=_clean_env(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = _text(exc.stdout) + _text(exc.stderr)
        raise InteropSetupError(
            f"{what}: no result within {timeout_s:g} s\n{out[-4000:]}"
        ) from None
    if proc.returncode != 0:
        raise InteropSetupError(
            f"{what}: exit {proc.returncode}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )


def _text(data: str | bytes | None) -> str:
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


def ensure_venv(root: Path, *, timeout_s: float = INSTALL_TIMEOUT_S) -> Path:
    """The ``ocpp-csms`` executable in ``<root>/.interop/ocpp-csms-venv``, installed if needed.

    The first call creates the virtualenv with this interpreter and pip-installs the pinned
    version (each step bounded by ``timeout_s``); later calls find the install marker and return
    at once. An incomplete or differently pinned virtualenv is removed and built again. A lock
    file keeps two concurrent test processes from building it at the same time. Failures raise
    :class:`InteropSetupError` with pip's output.
    """
    venv = root / VENV_DIR
    exe = _executable(venv, PACKAGE)
    marker = venv / MARKER
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f"{venv.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if exe.is_file() and marker.is_file() and marker.read_text().strip() == PIN:
            return exe
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)], timeout_s, f"creating {venv}")
        pip = [str(_executable(venv, "python")), "-m", "pip"]
        _run(
            [*pip, "install", "--disable-pip-version-check", "--no-input", PIN],
            timeout_s,
            f"pip install {PIN} into {venv}",
        )
        if not exe.is_file():
            raise InteropSetupError(f"pip installed {PIN} but {exe} does not exist")
        marker.write_text(PIN + "\n")
    return exe


def _stop(proc: subprocess.Popen[bytes]) -> int:
    """SIGINT (ocpp-csms exits 0 and closes its sockets with 1000), then kill; the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait(timeout=STOP_TIMEOUT_S)


@contextlib.contextmanager
def running_ocpp_csms(
    exe: Path, *, log_path: Path | None = None, ready_s: float = READY_TIMEOUT_S
) -> Iterator[str]:
    """Run ``ocpp-csms`` on a free loopback port; yield the base URL ``ws://127.0.0.1:N/ocpp``.

    It binds 127.0.0.1 only (its default is every interface). ``--port 0`` lets the server take a
    free port atomically (no pick-then-bind race); it prints ``listening on port N`` once bound,
    which is the readiness signal, awaited for at most ``ready_s``. ocpp-csms takes the charge
    point id from the last URL path segment, so ``<base>/<identity>`` (what the harness station
    connects to) names the station ``<identity>``. Its stdout (one line per event) and stderr go
    to ``log_path`` (default ``.interop/ocpp-csms.log`` beside the virtualenv), followed by its
    exit code. On leaving, it is stopped with SIGINT, then killed.
    """
    log = log_path or exe.parents[2] / "ocpp-csms.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    args = [str(exe), "--host", "127.0.0.1", "--port", "0"]
    with log.open("wb") as sink:
        sink.write(f"$ {' '.join(args)}\n".encode())
        sink.flush()
        start = sink.tell()
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, env=_clean_env()
        )
    code: int | None = None
    try:
        port = _await_port(proc, log, start, ready_s)
        yield f"ws://127.0.0.1:{port}/ocpp"
    finally:
        code = _stop(proc)
        with log.open("ab") as sink:
            sink.write(f"# ocpp-csms exit code {code}\n".encode())


def _await_port(proc: subprocess.Popen[bytes], log: Path, start: int, ready_s: float) -> int:
    deadline = time.monotonic() + ready_s
    while True:
        output = log.read_bytes()[start:]
        found = _LISTENING.search(output)
        if found:
            return int(found.group(1))
        if proc.poll() is not None:
            raise InteropSetupError(
                f"ocpp-csms exited with {proc.returncode} before listening:\n{output.decode(errors='replace')}"
            )
        if time.monotonic() > deadline:
            raise InteropSetupError(
                f"ocpp-csms printed no 'listening on port' line within {ready_s:g} s:\n"
                + output.decode(errors="replace")
            )
        time.sleep(0.05)
