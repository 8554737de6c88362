"""The compact verdict table printed at the end of a run."""

from __future__ import annotations

from harness.run import HarnessRun
from harness.verdicts import Verdict

_MARK = {
    Verdict.PASS: "PASS",
    Verdict.FAIL: "FAIL",
    Verdict.INCONCLUSIVE: "INCONCLUSIVE",
    Verdict.NOT_APPLICABLE: "N/A",
    Verdict.ERROR: "ERROR",
}


def summary_lines(run: HarnessRun) -> list[str]:
    """One line per case (id, version, verdict, failed requirement) and a totals line."""
    lines = [f"SUT: {run.profile.name} (OCPP {run.version}, {run.profile.sut.role})"]
    if run.faults:
        lines.append(f"seeded faults: {', '.join(sorted(run.faults))}")
    for record in sorted(run.records.values(), key=lambda r: r.id):
        tail = f"  -> {record.failed_requirement}" if record.failed_requirement else ""
        if record.verdict in (Verdict.ERROR, Verdict.INCONCLUSIVE, Verdict.NOT_APPLICABLE):
            tail = f"  ({record.reason[:100]})"
        lines.append(f"  {record.id:<16} {record.version:<6} {_MARK[record.verdict]:<12}{tail}")
    counts = run.counts()
    lines.append("  " + ", ".join(f"{n} {v}" for v, n in counts.items() if n))
    return lines
