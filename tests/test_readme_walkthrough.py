"""The README's "Testing your own charging station or CSMS" followed word for word (issue 8).

The profiles and command lines are read from the README itself: the station profile at the top of
the section (saved as ``my-station.yaml``), the rehearsal's commands that start the simulated
station and CSMS as separate processes (``ocpp-harness reference``: the harness reaches them over
the network only), the station run command (with the password the rehearsal exports), the CSMS
profile (``my-csms.yaml``, ``http`` actions against the simulated CSMS's control API) and its run
command. Only what a shared CI machine needs is changed: the README's ports become free ones, and
``.venv/bin/`` is the virtualenv running this test. The station run has ``actions: manual``: it
runs with a pseudo-terminal as its controlling terminal (stdin from /dev/null), and every
operator prompt is answered as the README says, by doing the step through the control API — with
the README's own ``curl`` line when it is the same step, sent with ``urllib`` (no curl needed) —
and pressing Enter. Both runs must verify the Core cases and write their reports.
"""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.processes import on_pty, stop

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
BIN = Path(sys.executable).parent
SECTION = README.split("## Testing your own charging station or CSMS", 1)[1].split("\n## ", 1)[0]
REHEARSAL = SECTION.split("### A rehearsal on a simulated station or CSMS", 1)[1].split("\n### ")[0]
#: The ports the README uses; each becomes a free one here.
README_PORTS = (9000, 8081, 9100, 8082)
PROMPT = re.compile(r">>> OPERATOR \((\w+)\): ([^\r\n]*)")
#: A whole run of the station's Core cases with prompts, or of the CSMS's.
RUN_BUDGET_S = 420


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def free_ports() -> dict[int, int]:
    ports: dict[int, int] = {}
    socks = []
    for readme_port in README_PORTS:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        socks.append(sock)
        ports[readme_port] = sock.getsockname()[1]
    for sock in socks:
        sock.close()
    return ports


def localised(text: str, ports: dict[int, int]) -> str:
    """The README's text with its ports replaced by this test's free ones."""
    for readme_port, port in ports.items():
        text = re.sub(rf"(?<!\d){readme_port}(?!\d)", str(port), text)
    return text


def command(line: str) -> list[str]:
    """A README command line as argv, ``.venv/bin/`` being this test's virtualenv."""
    words = shlex.split(line)
    words[0] = str(BIN / words[0].removeprefix(".venv/bin/"))
    return words


def shell_lines(block: str) -> tuple[dict[str, str], list[str]]:
    """A shell block's ``export NAME=value`` lines and its command lines."""
    exports: dict[str, str] = {}
    commands: list[str] = []
    for line in block.strip().splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            exports[name] = value
        elif line.strip() and not line.startswith("#"):
            commands.append(line.split(" #")[0].strip())
    return exports, commands


def env_prefix(line: str) -> tuple[dict[str, str], str]:
    """``NAME=value ... command`` split into the assignments and the command."""
    env: dict[str, str] = {}
    while match := re.match(r"([A-Z_][A-Z0-9_]*)=(\S+)\s+", line):
        env[match.group(1)] = match.group(2)
        line = line[match.end() :]
    return env, line


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


@contextmanager
def simulated(argv: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """Start a simulated device (``ocpp-harness reference ...``); yield its control API URL."""
    with log.open("w") as err:
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True, env=env
        )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        found = re.search(r"control API (http://\S+)", ready)
        assert found, (ready, log.read_text())
        yield found.group(1)
    finally:
        stop(proc, timeout=20)
    assert proc.returncode == 0, log.read_text()


def post(url: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, method="POST")
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert json.loads(answer.read())["ok"]


def curl_steps(block: str) -> dict[tuple[str, str], tuple[str, bytes]]:
    """The README's curl lines by (action, body): the URL and the body they send."""
    steps: dict[tuple[str, str], tuple[str, bytes]] = {}
    for line in shell_lines(block)[1]:
        words = shlex.split(line)
        assert words[0] == "curl", line
        url = next(w for w in words if w.startswith("http://"))
        body = words[words.index("-d") + 1] if "-d" in words else ""
        action = url.rstrip("/").rsplit("/", 1)[1]
        steps[(action, canonical(body))] = (url, body.encode())
    return steps


def canonical(body: str) -> str:
    return json.dumps(json.loads(body), sort_keys=True) if body else ""


def step_for(action: str, instruction: str) -> dict[str, Any]:
    """The control API parameters of the step a prompt asks for (from its instruction)."""
    params: dict[str, Any] = {}
    if found := re.search(r"EVSE (\d+) connector (\d+)", instruction):
        params = {"evse_id": int(found[1]), "connector_id": int(found[2])}
    if found := re.search(r"token '([^']*)' at EVSE (\d+)", instruction):
        params = {"id_token": found[1], "evse_id": int(found[2])}
    return params


def answer_prompts(
    argv: list[str], env: dict[str, str], cwd: Path, control: str, steps: dict[Any, Any]
) -> tuple[str, int, list[str]]:
    """Run ``argv`` on a pseudo-terminal (its controlling terminal, stdout and stderr; stdin
    /dev/null); do each prompted step through ``control`` and press Enter."""
    shown, cursor, done = "", 0, []
    deadline = time.monotonic() + RUN_BUDGET_S
    with on_pty(argv, cwd=cwd, env=env, output_to_pty=True) as (proc, master):
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    shown += os.read(master, 65536).decode(errors="replace")
                except OSError:
                    break
            while found := PROMPT.search(shown, cursor):
                rest = shown[found.end() :]
                if "\n" not in rest and "Waiting" not in rest:
                    break  # the prompt is still being written
                cursor = found.end()
                action, instruction = found[1], found[2]
                params = step_for(action, instruction)
                key = (action, canonical(json.dumps(params)) if params else "")
                default = (f"{control}/actions/{action}", json.dumps(params).encode())
                url, body = steps.get(key, default)
                post(url, body)
                done.append(f"{action} {params}" + (" (README curl line)" if key in steps else ""))
                os.write(master, b"\n")
            if proc.poll() is not None and not ready:
                break
        else:
            pytest.fail(f"the run did not end within {RUN_BUDGET_S} s:\n{shown[-3000:]}")
        proc.wait()
    return shown, proc.returncode, done


@pytest.mark.xdist_group("readme-walkthrough")
def test_the_station_walkthrough_with_operator_prompts(tmp_path: Path) -> None:
    ports = free_ports()
    (tmp_path / "my-station.yaml").write_text(localised(blocks(SECTION, "yaml")[0], ports))
    start_block, curl_block = blocks(REHEARSAL, "sh")[:2]
    exports, (start_line,) = shell_lines(localised(start_block, ports))
    run_line = shell_lines(blocks(SECTION, "sh")[0])[1][0]
    assigned, run_command = env_prefix(run_line)
    assert assigned == {"SUT_PASSWORD": "..."}, run_line  # the README's placeholder
    env = environment(**exports)
    with simulated(command(start_line), env, tmp_path / "station.log") as control:
        shown, code, done = answer_prompts(
            command(run_command),
            env,
            tmp_path,
            control,
            curl_steps(localised(curl_block, ports)),
        )
    assert code == 0, shown[-4000:]
    assert any("README curl line" in step for step in done), done
    assert "Core: verified on" in shown, shown[-3000:]
    assert re.search(r"report: reports/acme/index\.html", shown), shown[-2000:]
    assert (tmp_path / "reports" / "acme" / "index.html").is_file()
    assert "TC_B_01_CS" in shown  # the progress lines


@pytest.mark.xdist_group("readme-walkthrough")
def test_the_csms_walkthrough_with_http_actions(tmp_path: Path) -> None:
    ports = free_ports()
    start_block, run_block = blocks(REHEARSAL, "sh")[2:4]
    (tmp_path / "my-csms.yaml").write_text(localised(blocks(REHEARSAL, "yaml")[0], ports))
    exports, (start_line,) = shell_lines(localised(start_block, ports))
    assigned, run_command = env_prefix(shell_lines(run_block)[1][0])
    assert assigned == exports, (assigned, exports)
    env = environment(**exports)
    with ExitStack() as stack:
        stack.enter_context(simulated(command(start_line), env, tmp_path / "csms.log"))
        done = subprocess.run(
            command(run_command),
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=RUN_BUDGET_S,
            start_new_session=True,
        )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    assert "Core: verified on" in out, out[-3000:]
    assert (tmp_path / "reports" / "acme-csms" / "index.html").is_file()
    assert "POST /actions/remote_start" in (tmp_path / "csms.log").read_text()
