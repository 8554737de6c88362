"""The machine-readable results of a run (``results.json``), schema ``ocpp-harness/results/2``.

Top level: ``schema``, ``run`` (harness version, start/end, the SUT profile and its SHA-256, the
SUT identity from its BootNotification, the claims and where they came from, verdict counts),
``outcome`` (verified | failed | incomplete, the exit code of ``ocpp-harness run`` and a
sentence), ``discrepancies``, ``profiles`` (claimed vs measured per certification profile),
``versions``, ``security_profiles``, ``coverage`` (OCA catalogue vs implemented cases),
``cases`` (one record per OCA case and version, with its frame trace), ``not_run`` (cases
collected for this SUT that never ran, or were cut short by an interruption) and, when the
peers recorded one, ``between_cases`` (frames outside any case: never counted as a case).
``run.interrupted`` says the run did not finish (a signal, ^C, a crash, or a snapshot written
while it was still running); its outcome is then ``incomplete`` (exit 3) whatever it found.
``harness/report/results.schema.json`` is the normative description; the README documents
every field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from harness.report.claims import assess
from harness.report.coverage import requirement_of
from harness.run import CaseRecord, HarnessRun
from harness.trace import Trace
from harness.verdicts import Axis, Verdict

SCHEMA = "ocpp-harness/results/2"


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


#: The interruption a snapshot written during the run states (it holds if the process dies).
IN_PROGRESS = "not finished when this was written: still running, or killed"


def run_header(run: HarnessRun, *, in_progress: bool = False) -> dict[str, Any]:
    """The ``run`` object: who was tested, with what, when, and against which claims."""
    interruption = run.interruption or (IN_PROGRESS if in_progress else None)
    profile = run.profile
    claims = profile.claims
    source: dict[str, Any] = {"kind": "profile", "file": None, "sha256": None}
    if run.claims_file is not None:
        source = {
            "kind": "claims-file",
            "file": str(run.claims_file),
            "sha256": _sha256(run.claims_file),
        }
    return {
        "harness_version": run.harness_version,
        "started": run.started,
        "finished": "" if in_progress else run.finished,
        "interrupted": interruption is not None,
        "interruption": interruption,
        "duration_s": round(run.duration_s, 3),
        "sut": {
            "name": profile.name,
            "profile_file": str(profile.path) if profile.path else None,
            "profile_sha256": profile.sha256,
            "role": str(profile.sut.role),
            "ocpp": str(profile.sut.ocpp),
            "security_profile": profile.sut.security_profile,
            "features": list(profile.sut.features),
            "builtin": profile.sut.builtin,
            "faults": sorted(run.faults),
            "identity": dict(run.sut_identity),
        },
        "claims": {
            "source": source,
            "profiles": list(claims.profiles),
            "versions": [str(v) for v in claims.versions],
            "security_profiles": list(claims.security_profiles),
            "features": list(claims.features),
        },
        "selection": {"oca": list(run.oca_patterns)},
        "counts": run.counts(),
    }


def failing_frame(record: CaseRecord) -> int | None:
    """The ``seq`` of the frame a FAIL is pinned on, or None.

    The last frame with a ``problem`` (the OCPP-J core found it malformed, schema-invalid or
    unexpected) up to the moment the failure was raised; without one, the last frame received
    from the SUT up to that moment. Frames recorded after the failure (cleanup) never count.
    """
    if record.verdict is not Verdict.FAIL or record.trace is None:
        return None
    limit = record.failure_seq
    entries = [e for e in record.trace if limit is None or e.seq <= limit]
    for entry in reversed(entries):
        if entry.problem:
            return entry.seq
    for entry in reversed(entries):
        if entry.flow == "received":
            return entry.seq
    return None


def reason_sentence(record: CaseRecord) -> str:
    """The reason behind the verdict (a PASS gets one too: autobahn-testsuite habit)."""
    if record.reason:
        return record.reason
    if record.verdict is Verdict.PASS:
        frames = len(record.trace) if record.trace is not None else 0
        return f"Every expectation of {record.id} was met ({frames} frames exchanged)."
    return f"{record.verdict.value}"


def trace_dicts(trace: Trace | None) -> list[dict[str, Any]]:
    """The frames of a trace as JSON objects (``seq``, ``flow``, ``wall``, ``raw``, ...)."""
    return trace.to_dicts() if trace is not None else []


def case_record(record: CaseRecord, *, with_trace: bool = True) -> dict[str, Any]:
    """One ``cases[]`` record; the per-case file ``cases/<id>-<version>.json`` is the same."""
    octt = [f for f in record.findings if f.axis is Axis.OCTT]
    out: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "profile": record.profile,
        "role": record.role,
        "version": record.version,
        "requirement": requirement_of(record.id),
        "verdict": record.verdict.value,
        "octt": "warning" if octt else "ok",
        "duration_s": round(record.duration_s, 3),
        "started": record.started,
        "reason": reason_sentence(record),
        "failed_requirement": record.failed_requirement,
        "expected": record.expected,
        "actual": record.actual,
        "kills": list(record.kills),
        "warnings": [
            {"axis": f.axis.value, "requirement": f.requirement, "message": f.message}
            for f in record.findings
        ],
        "nodeid": record.nodeid,
        "failing_frame": failing_frame(record),
        "trace_file": f"cases/{record.key}.jsonl",
        "trace_dropped": record.trace.dropped if record.trace is not None else 0,
    }
    if with_trace:
        out["trace"] = trace_dicts(record.trace)
    return out


def _not_run_reason(run: HarnessRun, nodeid: str) -> str:
    if nodeid in run.deselected:
        return "deselected"
    record = run.records.get(nodeid)
    return "interrupted" if record is not None and not record.complete else "not reached"


def not_run_records(run: HarnessRun) -> list[dict[str, Any]]:
    """Collected cases without a verdict: deselected, not reached (``-x``, ^C) or interrupted
    (running when the run was stopped: whatever it saw so far is no verdict)."""
    finished = {r.nodeid for r in run.finished_records()}
    return [
        {
            "id": p.id,
            "title": p.title,
            "profile": p.profile,
            "version": run.version,
            "nodeid": p.nodeid,
            "reason": _not_run_reason(run, nodeid),
            "not_applicable": p.not_applicable,
        }
        for nodeid, p in run.planned.items()
        if nodeid not in finished
    ]


def between_cases_record(trace: Trace) -> dict[str, Any]:
    """The ``between_cases`` object: frames that arrived outside any case, never a case."""
    return {
        "name": trace.name,
        "frames": len(trace),
        "problems": sum(1 for e in trace if e.problem),
        "trace_file": "cases/_between.jsonl",
        "page": "cases/_between.html",
        "trace_dropped": trace.dropped,
        "trace": trace_dicts(trace),
    }


def interrupted_outcome(
    outcome: dict[str, Any], header: dict[str, Any], cases: int, open_: int
) -> dict[str, Any]:
    """An interrupted run is ``incomplete`` (exit 3) whatever it found; the summary says what
    it did see."""
    s = "s" if cases != 1 else ""
    if open_:
        summary = (
            f"Interrupted ({header['interruption']}) after {cases} finished case{s}; {open_} "
            f"collected case{'s' if open_ != 1 else ''} without a verdict: nothing is verified."
        )
    else:
        summary = (
            f"Interrupted ({header['interruption']}) after its last case: all {cases} collected "
            f"case{s} have a verdict, but the run did not end normally."
        )
    if outcome["status"] == "failed":
        summary += f" Failures already seen: {outcome['summary']}"
    return {**outcome, "status": "incomplete", "exit_code": 3, "summary": summary}


#: Raw frame text the final ``results.json`` carries inline, all cases together (issue 8 item 8:
#: under 50 MB with each frame's parsed payload and the indentation). The cases past it keep
#: their trace in their ``trace_file`` only (``cases/<id>-<version>.jsonl``), and say so by
#: having no ``trace``: what reads the report (``ocpp-harness report``) takes it from there.
INLINE_TRACE_CHARS = 12 * 1024 * 1024


def _trace_chars(trace: Trace | None) -> int:
    return sum(len(entry.raw) for entry in trace) if trace is not None else 0


def inline_traces(records: list[CaseRecord], budget: int = INLINE_TRACE_CHARS) -> set[str]:
    """The keys of the cases whose trace goes into ``results.json``: in run order, while the
    traces so far fit into ``budget`` characters of raw text."""
    keys: set[str] = set()
    used = 0
    for record in records:
        used += _trace_chars(record.trace)
        if used > budget:
            break
        keys.add(record.key)
    return keys


def results_document(
    run: HarnessRun, *, with_traces: bool = True, in_progress: bool = False
) -> dict[str, Any]:
    """The whole ``results.json`` document of a run (``in_progress``: a snapshot during it;
    ``with_traces``: the traces inline, as far as :data:`INLINE_TRACE_CHARS` allows)."""
    header = run_header(run, in_progress=in_progress)
    records = run.finished_records()
    inline = inline_traces(records) if with_traces else set()
    cases = [case_record(r, with_trace=r.key in inline) for r in records]
    not_run = not_run_records(run)
    assessment = assess(
        cases,
        not_run,
        header["claims"],
        role=header["sut"]["role"],
        version=header["sut"]["ocpp"],
        security_profile=header["sut"]["security_profile"],
    )
    outcome = assessment["outcome"]
    if header["interrupted"]:
        open_ = sum(1 for c in not_run if c["reason"] != "deselected")
        outcome = interrupted_outcome(outcome, header, len(cases), open_)
    document = {
        "schema": SCHEMA,
        "run": header,
        "outcome": outcome,
        "discrepancies": assessment["discrepancies"],
        "profiles": assessment["profiles"],
        "versions": assessment["versions"],
        "security_profiles": assessment["security_profiles"],
        "coverage": assessment["coverage"],
        "cases": cases,
        "not_run": not_run,
    }
    if run.between_cases is not None:
        between = between_cases_record(run.between_cases)
        if not with_traces:
            del between["trace"]
        document["between_cases"] = between
    return document
