"""The machine-readable results of a run (``results.json``), schema ``ocpp-harness/results/2``.

Top level: ``schema``, ``run`` (harness version, start/end, the SUT profile and its SHA-256, the
SUT identity from its BootNotification, the claims and where they came from, verdict counts),
``outcome`` (verified | failed | incomplete, the exit code of ``ocpp-harness run`` and a
sentence), ``discrepancies``, ``profiles`` (claimed vs measured per certification profile),
``versions``, ``security_profiles``, ``coverage`` (OCA catalogue vs implemented cases),
``cases`` (one record per OCA case and version, with its frame trace) and ``not_run`` (cases
collected for this SUT that never ran). ``harness/report/results.schema.json`` is the
normative description; the README documents every field.
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


def run_header(run: HarnessRun) -> dict[str, Any]:
    """The ``run`` object: who was tested, with what, when, and against which claims."""
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
        "finished": run.finished,
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


def not_run_records(run: HarnessRun) -> list[dict[str, Any]]:
    """Collected cases that never produced a verdict: deselected, or not reached (``-x``, ^C)."""
    return [
        {
            "id": p.id,
            "title": p.title,
            "profile": p.profile,
            "version": run.version,
            "nodeid": p.nodeid,
            "reason": "deselected" if p.nodeid in run.deselected else "not reached",
            "not_applicable": p.not_applicable,
        }
        for nodeid, p in run.planned.items()
        if nodeid not in run.records
    ]


def results_document(run: HarnessRun, *, with_traces: bool = True) -> dict[str, Any]:
    """The whole ``results.json`` document of a finished run."""
    header = run_header(run)
    cases = [case_record(r, with_trace=with_traces) for r in run.records.values()]
    not_run = not_run_records(run)
    assessment = assess(
        cases,
        not_run,
        header["claims"],
        role=header["sut"]["role"],
        version=header["sut"]["ocpp"],
        security_profile=header["sut"]["security_profile"],
    )
    return {
        "schema": SCHEMA,
        "run": header,
        "outcome": assessment["outcome"],
        "discrepancies": assessment["discrepancies"],
        "profiles": assessment["profiles"],
        "versions": assessment["versions"],
        "security_profiles": assessment["security_profiles"],
        "coverage": assessment["coverage"],
        "cases": cases,
        "not_run": not_run,
    }
