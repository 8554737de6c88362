"""Bounded under a hostile SUT (issue 8, item 8): the harness against a SUT that floods frames.

The script starts a flooding SUT (:mod:`tests.hostile_station` or :mod:`tests.hostile_csms` in
``flood`` mode: 1,000 frames a second of about 4 KiB each, reconnecting when dropped) for
``--seconds``, and runs the harness against it as a user would, in a child process::

    python -m pytest testcases --ocpp-sut <profile> --ocpp-report <dir>

It samples the child's peak resident memory (``VmHWM`` of ``/proc/<pid>/status`` while it runs,
and the kernel's ``ru_maxrss`` once it has ended), and prints four figures against their targets:
peak RSS (500 MB), ``results.json`` (50 MB), the report folder (200 MB) and the terminal output
(1 MB, stdout and stderr together). The exit status is 0 when every figure is under its target,
1 when one is not, 2 when the run left no ``results.json``.

Usage: ``python benchmarks/flood.py [--seconds 60] [--role station|csms|both] [--oca PATTERN]...
[--json] [--keep DIR]`` (``--oca`` narrows the cases run, as the harness option does; ``--json``
prints one JSON object; ``--keep`` leaves the report there instead of a temporary directory).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the hostile peers live in tests/ (run as a script too)
    sys.path.insert(0, str(ROOT))
MB = 1_000_000
#: The targets of issue 8 item 8, in bytes.
TARGETS = {
    "rss_peak": 500 * MB,
    "results_json": 50 * MB,
    "report_folder": 200 * MB,
    "terminal_output": 1 * MB,
}
#: The harness run is stopped (SIGTERM, then SIGKILL) if it has not ended this long after the
#: flood did: a hang is a failure of its own.
GRACE_S = 600.0


@dataclass
class Figures:
    """What one flooded run measured (sizes in bytes)."""

    role: str
    seconds: float
    wall_s: float
    exit_status: int
    cases: int
    rss_peak: int
    results_json: int
    report_folder: int
    terminal_output: int

    def missed(self) -> list[str]:
        """The figures over their target."""
        return [name for name, limit in TARGETS.items() if getattr(self, name) >= limit]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_profile(path: Path, role: str, port: int, seconds: float) -> Path:
    """A SUT profile for the hostile peer: operator steps left to a terminal that is not there
    (each such case is INCONCLUSIVE at once), timeouts scaled to the flood's length so the
    harness is busy about as long as the SUT floods (1 s / 2 s for a short flood, 5 s / 10 s
    for a minute)."""
    from tests.hostile_station import write_hostile_profile

    return write_hostile_profile(path, role, port, response_s=max(1, round(seconds / 12)))


def folder_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _vm_hwm(pid: int) -> int:
    """Peak resident memory of a live process in bytes (0 once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text("ascii")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class _Collector(threading.Thread):
    """Counts (and keeps the tail of) what a child writes to one pipe."""

    def __init__(self, stream: IO[bytes] | None) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.size = 0
        self.tail = b""

    def run(self) -> None:
        if self.stream is None:
            return
        while chunk := self.stream.read(65536):
            self.size += len(chunk)
            self.tail = (self.tail + chunk)[-4000:]


def run_flooded(role: str, seconds: float, report: Path, oca: list[str]) -> Figures:
    """One harness run against a SUT of ``role`` that floods for ``seconds``."""
    port = free_port()
    sut_role = "charging-station" if role == "station" else "csms"
    profile = write_profile(report.parent / f"flood-{role}.yaml", sut_role, port, seconds)
    if role == "station":
        hostile = ["tests.hostile_station", f"ws://127.0.0.1:{port}/HOSTILE1"]
    else:
        hostile = ["tests.hostile_csms", str(port)]
    env = {**os.environ, "HOSTILE_PASSWORD": "unused"}
    flood = subprocess.Popen(
        [sys.executable, "-m", *hostile, "flood", f"{seconds:g}"], cwd=ROOT, env=env
    )
    if role == "csms":
        time.sleep(0.5)  # let it listen: the harness station connects at once
    selection = [arg for pattern in oca for arg in ("--oca", pattern)]
    args = [sys.executable, "-m", "pytest", "testcases", "-p", "no:cacheprovider"]
    args += ["--ocpp-sut", str(profile), "--ocpp-report", str(report), *selection]
    started = time.monotonic()
    child = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = _Collector(child.stdout), _Collector(child.stderr)
    out.start()
    err.start()
    peak = 0
    deadline = started + seconds + GRACE_S
    try:
        while True:
            # wait4 on this child alone (not RUSAGE_CHILDREN: the flooder is a child too): its
            # ru_maxrss is the kernel's own peak, exact even for a peak between two samples.
            done, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done == child.pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                peak = max(peak, usage.ru_maxrss * 1024)
                break
            peak = max(peak, _vm_hwm(child.pid))
            if time.monotonic() > deadline:
                child.terminate()
                deadline = float("inf")
            time.sleep(0.2)
    finally:
        if child.returncode is None:
            child.kill()
            child.wait()
        flood.kill()
        flood.wait()
    out.join(10)
    err.join(10)
    results = report / "results.json"
    cases = 0
    if results.is_file():
        cases = len(json.loads(results.read_text("utf-8"))["cases"])
    elif not os.environ.get("FLOOD_QUIET"):
        sys.stderr.write(out.tail.decode("utf-8", "replace") + err.tail.decode("utf-8", "replace"))
    return Figures(
        role=role,
        seconds=seconds,
        wall_s=round(time.monotonic() - started, 1),
        exit_status=child.returncode if child.returncode is not None else -1,
        cases=cases,
        rss_peak=peak,
        results_json=results.stat().st_size if results.is_file() else -1,
        report_folder=folder_size(report) if report.is_dir() else 0,
        terminal_output=out.size + err.size,
    )


def _row(figures: Figures) -> str:
    def mb(value: int) -> str:
        return f"{value / MB:7.1f} MB"

    cells = [f"{figures.role:8}", f"{figures.cases:4d} cases", f"{figures.wall_s:6.1f} s"]
    for name, limit in TARGETS.items():
        value = getattr(figures, name)
        mark = "ok" if value < limit else "OVER"
        cells.append(f"{name} {mb(value)} (< {limit // MB} MB {mark})")
    return "  ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the SUT floods")
    parser.add_argument("--role", choices=("station", "csms", "both"), default="station")
    parser.add_argument("--oca", action="append", default=[], help="cases to run (--oca)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", type=Path, help="write the report(s) here")
    options = parser.parse_args(argv)
    roles = ("station", "csms") if options.role == "both" else (options.role,)
    runs: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="ocpp-flood-") as tmp:
        base = options.keep or Path(tmp)
        for role in roles:
            report = base / f"report-{role}"
            report.mkdir(parents=True, exist_ok=True)
            runs.append(run_flooded(role, options.seconds, report, options.oca))
    missed = {f.role: f.missed() for f in runs if f.missed()}
    broken = [f.role for f in runs if f.results_json < 0]
    if options.json:
        document = {
            "targets": TARGETS,
            "runs": [asdict(f) for f in runs],
            "missed": missed,
            "ok": not missed and not broken,
        }
        print(json.dumps(document))
    else:
        for figures in runs:
            print(_row(figures))
        for role, names in missed.items():
            print(f"{role}: over target: {', '.join(names)}")
    if broken:
        return 2
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
