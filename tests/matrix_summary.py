"""The mutant matrix's figure: how many requirement checks of the cases a fault proves.

Each fault run of the matrix (tests/test_mutant_matrix.py) records, per case, the kill it saw as a
``user_properties`` entry (which survives pytest-xdist). :class:`MatrixTally`, registered by
tests/conftest.py, gathers them in the controlling process and at the end of the session prints
one line to the terminal and writes the details to ``reports/matrix-summary.txt``:

    mutant matrix: 70 of 151 requirement checks proven by a fault ...

A check (:mod:`tests.requirement_checks`) is *proven* when at least one case FAILs on it with a
fault seeded and that FAIL is the kill the fault expects (``Fault.killed``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.requirement_checks import Check, check_of, scan_checks

#: The ``user_properties`` name a fault run records its kills under (a JSON list).
KILLS_PROPERTY = "mutant_kills"
SUMMARY_FILE = Path(__file__).resolve().parents[1] / "reports" / "matrix-summary.txt"


@dataclass(frozen=True, slots=True)
class Kill:
    """What one case did with one fault seeded, as the matrix judged it."""

    profile: str
    fault: str
    case: str
    version: str
    verdict: str
    failed_requirement: str
    killed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "fault": self.fault,
            "case": self.case,
            "version": self.version,
            "verdict": self.verdict,
            "failed_requirement": self.failed_requirement,
            "killed": self.killed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Kill:
        return cls(
            str(data["profile"]),
            str(data["fault"]),
            str(data["case"]),
            str(data["version"]),
            str(data["verdict"]),
            str(data["failed_requirement"] or ""),
            bool(data["killed"]),
        )


@dataclass(frozen=True, slots=True)
class Proof:
    """Which checks the kills prove (and by which kills), out of all checks."""

    checks: dict[str, Check]
    proven: dict[str, list[Kill]]
    runs: int
    runs_planned: int

    def headline(self) -> str:
        partial = "" if self.runs >= self.runs_planned else " (partial run)"
        return (
            f"mutant matrix: {len(self.proven)} of {len(self.checks)} requirement checks proven "
            f"by a fault (distinct req= texts of testcases/ and the schema fuzzer's; proven: a "
            f"case FAILs on it with the fault seeded; {self.runs} of {self.runs_planned} fault "
            f"runs{partial})"
        )

    def details(self) -> str:
        lines = [self.headline(), "", "Proven:"]
        for text in sorted(self.proven):
            kills = self.proven[text]
            by = ", ".join(sorted({f"{k.fault} ({k.case} {k.version})" for k in kills}))
            lines.append(f"  + {text}\n      by {by}")
        lines += ["", "Not proven by any fault:"]
        for text, check in sorted(self.checks.items(), key=lambda item: item[1].where):
            if text not in self.proven:
                lines.append(f"  - {text}  [{check.where}]")
        return "\n".join(lines) + "\n"


def prove(kills: Iterable[Kill], checks: dict[str, Check], runs: int, planned: int) -> Proof:
    """The checks the valid kills among ``kills`` name."""
    proven: dict[str, list[Kill]] = {}
    for kill in kills:
        if not kill.killed:
            continue
        check = check_of(kill.failed_requirement, checks.values())
        if check is not None:
            proven.setdefault(check.text, []).append(kill)
    return Proof(checks, proven, runs, planned)


class MatrixTally:
    """Gathers the fault runs' kills during the session; prints the figure at its end."""

    def __init__(self) -> None:
        self.kills: list[Kill] = []
        self.runs = 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for name, value in report.user_properties:
            if name == KILLS_PROPERTY:
                self.runs += 1
                self.kills += [Kill.from_json(item) for item in json.loads(str(value))]

    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        if not self.runs or hasattr(config, "workerinput"):
            return
        terminalreporter.write_sep("-", "mutant matrix")
        try:  # testcases/ is read again here: a module broken meanwhile must not end the session
            from tests.matrix_support import matrix

            planned = sum(1 for run in matrix() if run.fault)
            proof = prove(self.kills, scan_checks(), self.runs, planned)
        except Exception as exc:  # reported below; the session's verdict stands
            terminalreporter.write_line(
                f"mutant matrix: the proven-checks figure could not be computed "
                f"({type(exc).__name__}: {exc})"
            )
            return
        SUMMARY_FILE.parent.mkdir(parents=True, exist_ok=True)
        SUMMARY_FILE.write_text(proof.details(), "utf-8")
        terminalreporter.write_line(proof.headline())
        terminalreporter.write_line(f"checks proven and not proven: {SUMMARY_FILE}")
