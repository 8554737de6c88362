"""The machine-readable results of a run (``results.json``), schema version 1.

Layout: ``{"schema": "ocpp-harness/results/1", "run": {...}, "cases": [...]}``. The run header
carries the harness version, the SUT profile (name, file, SHA-256, role, OCPP version, built-in
and seeded faults), the SUT identity (from its BootNotification, or the CSMS URL), start and end
time and verdict counts. One case record per OCA case and version: ``id``, ``title``,
``profile``, ``role``, ``version``, ``verdict`` (pass | fail | inconclusive | not-applicable |
error), ``duration_s``, ``reason``, ``failed_requirement``, ``expected``, ``actual`` and ``trace``
(the frame list; also written as ``cases/<id>-<version>.jsonl``).
"""

from __future__ import annotations

from typing import Any

from harness.run import CaseRecord, HarnessRun

SCHEMA = "ocpp-harness/results/1"


def run_header(run: HarnessRun) -> dict[str, Any]:
    profile = run.profile
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
            "builtin": profile.sut.builtin,
            "faults": sorted(run.faults),
            "identity": dict(run.sut_identity),
        },
        "claims": {
            "profiles": list(profile.claims.profiles),
            "versions": [str(v) for v in profile.claims.versions],
            "security_profiles": list(profile.claims.security_profiles),
        },
        "counts": run.counts(),
    }


def case_record(record: CaseRecord, *, with_trace: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "profile": record.profile,
        "role": record.role,
        "version": record.version,
        "verdict": record.verdict.value,
        "duration_s": round(record.duration_s, 3),
        "reason": record.reason,
        "failed_requirement": record.failed_requirement,
        "expected": record.expected,
        "actual": record.actual,
        "kills": list(record.kills),
        "warnings": [
            {"axis": f.axis.value, "requirement": f.requirement, "message": f.message}
            for f in record.findings
        ],
        "nodeid": record.nodeid,
        "trace_file": f"cases/{record.key}.jsonl",
    }
    if with_trace:
        out["trace"] = record.trace.to_dicts() if record.trace is not None else []
        out["trace_dropped"] = record.trace.dropped if record.trace is not None else 0
    return out


def results_document(run: HarnessRun) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "run": run_header(run),
        "cases": [case_record(r) for r in run.records.values()],
    }
