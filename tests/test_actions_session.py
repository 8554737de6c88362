"""SUT actions in real processes (issue 8 items 1 and 7): the operator prompt reaches the
controlling terminal of a process whose stdin is /dev/null, also inside a plain ``pytest`` run
without ``-s``; with no controlling terminal it says so at once; the lifecycle ``start`` and
``stop`` actions run once per session, and a failing ``start`` ends the run as a setup error.

The pseudo-terminal is the child's controlling terminal: the child starts a new session and
claims the pty slave with ``TIOCSCTTY`` before it runs the code under test.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import on_pty

ROOT = Path(__file__).resolve().parents[1]


_OPERATOR = """
import asyncio, sys
from harness.actions import ManualOperator

async def main() -> None:
    try:
        await ManualOperator(20).perform("plug_in", "Plug an EV into EVSE 1 connector 1")
        print("RESULT confirmed")
    except Exception as exc:
        print("RESULT", type(exc).__name__, exc)

asyncio.run(main())
"""

_FAKE_CASES = """
from harness import SutActions


async def test_plug_in(sut: SutActions) -> None:
    await sut.plug_in(evse_id=1, connector_id=1)


async def test_again(sut: SutActions) -> None:
    assert sut.provides("plug_in")
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def _on_pty(
    args: list[str], answers: list[tuple[str, str]], *, cwd: Path, within_s: float = 60
) -> tuple[str, str, int]:
    """Run ``python args`` with a pty as its controlling terminal and stdin from /dev/null;
    type each answer once its prompt text was printed on the terminal. Returns (what the
    terminal showed, stdout + stderr, exit code)."""
    shown, pending, cursor = "", list(answers), 0
    deadline = time.monotonic() + within_s
    with on_pty([sys.executable, *args], cwd=cwd, env=_env()) as (proc, master):
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                shown += os.read(master, 4096).decode(errors="replace")
            while pending and (found := shown.find(pending[0][0], cursor)) >= 0:
                cursor = found + len(pending[0][0])  # each prompt is answered once
                os.write(master, pending.pop(0)[1].encode())
            if proc.poll() is not None and not ready:
                break
        out, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    return shown, out.decode(errors="replace"), proc.returncode


def test_prompt_reaches_the_controlling_terminal_with_stdin_redirected(tmp_path: Path) -> None:
    script = tmp_path / "operator.py"
    script.write_text(_OPERATOR, "utf-8")
    shown, out, code = _on_pty([str(script)], [("Waiting up to 20 s", "\n")], cwd=tmp_path)
    assert ">>> OPERATOR (plug_in): Plug an EV into EVSE 1 connector 1" in shown
    assert "RESULT confirmed" in out, (shown, out)
    assert code == 0


def test_no_controlling_terminal_is_inconclusive_at_once(tmp_path: Path) -> None:
    script = tmp_path / "operator.py"
    script.write_text(_OPERATOR, "utf-8")
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        start_new_session=True,  # a new session has no controlling terminal (as under setsid)
        cwd=tmp_path,
        env=_env(),
        timeout=30,
        check=False,
    )
    assert time.monotonic() - start < 15  # interpreter start-up; the prompt itself does not wait
    assert "RESULT Inconclusive operator action needed but no terminal is attached: Plug an EV" in (
        done.stdout.decode()
    )


def _profile(tmp_path: Path, actions: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(
        "name: actions session\n"
        "sut:\n"
        "  role: charging-station\n"
        '  ocpp: "2.0.1"\n'
        "  builtin: reference-station\n"
        "  identity: CS1\n"
        "  listen: {host: 127.0.0.1, port: 0}\n"
        f"  actions: {actions}\n"
        "  timeouts: {response_s: 5, action_s: 20, connect_s: 10}\n",
        "utf-8",
    )
    return path


def _pytest_args(tmp_path: Path, profile: Path) -> list[str]:
    cases = tmp_path / "test_fake_cases.py"
    cases.write_text(_FAKE_CASES, "utf-8")
    return [
        "-m",
        "pytest",
        str(cases),
        "-c",
        str(ROOT / "pyproject.toml"),
        "--rootdir",
        str(tmp_path),
        "--ocpp-sut",
        str(profile),
        "-q",
        "-p",
        "no:cacheprovider",
    ]


def test_plain_pytest_run_prompts_on_the_terminal(tmp_path: Path) -> None:
    """Without ``-s`` (output captured) and with stdin at /dev/null, as under ocpp-harness run."""
    actions = '{type: manual, prompts: {start: "Switch the station {{identity}} on"}}'
    args = _pytest_args(tmp_path, _profile(tmp_path, actions))
    answers = [("(start): Switch the station CS1 on", "\n"), ("(plug_in): Plug an EV", "\n")]
    shown, out, code = _on_pty(args, answers, cwd=tmp_path, within_s=120)
    assert code == 0, (shown, out)
    assert "2 passed" in out
    assert shown.count(">>> OPERATOR") == 2  # start, plug_in; stop is not configured
    assert shown.count("confirmed") == 2


def _run_shell_profile(
    tmp_path: Path, commands: str
) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """A pytest run (no terminal) of the fake cases with ``type: shell`` and ``commands``."""
    args = _pytest_args(tmp_path, _profile(tmp_path, f"{{type: shell, commands: {commands}}}"))
    done = subprocess.run(
        [sys.executable, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=tmp_path,
        env=_env(),
        timeout=120,
        check=False,
    )
    return done, done.stdout.decode() + done.stderr.decode()


def test_lifecycle_start_and_stop_run_once_per_session(tmp_path: Path) -> None:
    log = tmp_path / "lifecycle.log"
    commands = f'{{start: "echo start {{{{identity}}}} >> {log}", stop: "echo stop >> {log}"}}'
    _, out = _run_shell_profile(tmp_path, commands)
    # plug_in has no command: INCONCLUSIVE (skipped), never a hang
    assert "no shell command configured for 'plug_in'" in out, out
    assert log.read_text("utf-8") == "start CS1\nstop\n"


def test_failing_start_is_one_setup_error_and_stop_still_runs(tmp_path: Path) -> None:
    log = tmp_path / "lifecycle.log"
    commands = f'{{start: "echo not reachable >&2; exit 4", stop: "echo stop >> {log}"}}'
    done, out = _run_shell_profile(tmp_path, commands)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, out
    assert "sut.actions: the start action failed: the shell command `echo" in out
    assert "exited with 4 (stderr: not reachable)" in out
    assert "Traceback" not in out
    assert log.read_text("utf-8") == "stop\n"


def test_stop_runs_after_an_interrupt(tmp_path: Path) -> None:
    log = tmp_path / "lifecycle.log"
    commands = f'{{start: "echo start >> {log}", stop: "echo stop >> {log}"}}'
    args = _pytest_args(tmp_path, _profile(tmp_path, f"{{type: shell, commands: {commands}}}"))
    slow = tmp_path / "test_fake_cases.py"
    slow.write_text(
        "import asyncio\n\n\nasync def test_slow(sut: object) -> None:\n"
        "    await asyncio.sleep(60)\n",
        "utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while not log.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)  # inside the case now
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == pytest.ExitCode.INTERRUPTED, out.decode()
    assert log.read_text("utf-8") == "start\nstop\n"


def test_ocpp_harness_run_prompts_on_the_terminal(tmp_path: Path) -> None:
    """``ocpp-harness run`` runs pytest as a child: the prompt still reaches the terminal."""
    actions = '{type: manual, prompts: {start: "Switch the station {{identity}} on"}}'
    profile = _profile(tmp_path, actions)
    args = ["-m", "harness.cli", "run", "--sut", str(profile), "--oca", "TC_B_06_CS"]
    args += ["--report", str(tmp_path / "out")]
    answers = [("(start): Switch the station CS1 on", "\n")]
    shown, out, _ = _on_pty(args, answers, cwd=tmp_path, within_s=120)
    assert shown.count(">>> OPERATOR") == 1, (shown, out)
    document = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert [(c["id"], c["verdict"]) for c in document["cases"]] == [("TC_B_06_CS", "pass")]
