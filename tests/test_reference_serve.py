"""The reference SUTs as separate processes (``harness.reference.serve``): they connect over the
network only, their operator actions go through the HTTP control API, and SIGTERM stops them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.processes import stop

READY = re.compile(r"control API (http://\S+)")


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start ``python -m harness.reference.serve ARGS``; yield it and its control URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.reference.serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = READY.search(line)
        assert found, line
        yield proc, found.group(1)
    finally:
        stop(proc)


def post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        result: dict[str, Any] = json.loads(answer.read())
        return result


def wait_for(check: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_station_and_csms_as_processes_driven_through_the_control_api() -> None:
    with serving("csms", "--listen", "127.0.0.1:0") as (csms, csms_control):
        status = get(csms_control + "/status")
        assert status["stations"] == []
        assert status["listen"].startswith("ws://127.0.0.1:")
        code, answer = post(csms_control + "/actions/remote_start", {"id_token": "VALID001"})
        assert code == 409
        assert "none is connected" in answer["error"]
        code, answer = post(csms_control + "/actions/unknown", {})
        assert code == 404
        assert "remote_start" in answer["error"]
    assert csms.returncode == 0


def test_a_station_process_connects_and_takes_actions() -> None:
    with (
        serving("csms", "--listen", "127.0.0.1:0") as (_, csms_control),
        serving("station", "--csms", _csms_url(csms_control), "--identity", "CS-PROC") as (
            station,
            control,
        ),
    ):
        wait_for(lambda: get(control + "/status")["ready"])
        assert get(csms_control + "/status")["stations"] == ["CS-PROC"]
        assert post(control + "/actions/plug_in", {"evse_id": 1}) == (
            200,
            {"ok": True, "result": None},
        )
        code, answer = post(csms_control + "/actions/remote_start", {"id_token": "VALID001"})
        assert code == 200
        assert answer["result"]["status"] == "Accepted"
        code, answer = post(control + "/actions/plug_in", {"evse": 1})
        assert code == 400
        assert "evse" in answer["error"]
    assert station.returncode == 0


def _csms_url(control: str) -> str:
    listen = get(control + "/status").get("listen")
    assert listen, "the CSMS's /status names where it listens"
    return str(listen)
