"""Crafted result sets for the report self-tests, built through the real run model.

:func:`sample_run` returns a :class:`HarnessRun` whose records cover every verdict kind, a case
that never ran, unicode and markup in SUT frames, warnings on both axes, and (optionally) a
trace of thousands of frames — the things a report must render without lying or breaking.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from harness.config import Claims, OcppVersion, load_profile, resolve_profile_path
from harness.ocppj.frames import parse_frame
from harness.run import CaseRecord, HarnessRun, PlannedCase
from harness.trace import Flow, Trace
from harness.verdicts import Axis, Finding, Verdict

MARKUP = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
UNICODE = "Ladesäule Nord — 充电桩 ⚡ 🚗 €0,39/kWh"


def frame(trace: Trace, flow: Flow, data: list[Any], *, problem: str | None = None) -> None:
    """Record ``data`` (an OCPP-J frame as a list) as it would cross the wire."""
    raw = json.dumps(data, ensure_ascii=False)
    trace.record(flow, raw, parse_frame(raw, "2.0.1"), problem=problem)


def boot_trace(name: str, *, vendor: str = "Acme", extra_frames: int = 0) -> Trace:
    """A BootNotification exchange, then ``extra_frames`` Heartbeat round trips."""
    trace = Trace(name, limit=50_000)
    trace.event("station 'CS1' connected (subprotocol ocpp2.0.1)")
    station = {"vendorName": vendor, "model": "AC22"}
    frame(
        trace,
        Flow.RECEIVED,
        [2, "b1", "BootNotification", {"reason": "PowerUp", "chargingStation": station}],
    )
    now = "2026-01-01T00:00:00Z"
    frame(trace, Flow.SENT, [3, "b1", {"currentTime": now, "interval": 300, "status": "Accepted"}])
    for n in range(extra_frames // 2):
        frame(trace, Flow.RECEIVED, [2, f"h{n}", "Heartbeat", {}])
        frame(trace, Flow.SENT, [3, f"h{n}", {"currentTime": now}])
    return trace


def _record(
    run: HarnessRun, case_id: str, title: str, verdict: Verdict, **fields: Any
) -> CaseRecord:
    record = CaseRecord(
        case_id, title, fields.pop("profile", "core"), "charging-station", "2.0.1",
        f"testcases/v201/test_sample.py::test_{case_id.lower()}", ("some-fault",),
        verdict=verdict, duration_s=0.25, **fields,
    )  # fmt: skip
    run.records[record.nodeid] = record
    run.planned[record.nodeid] = PlannedCase(case_id, title, record.profile, record.nodeid, None)
    return record


def sample_run(*, claims: Claims | None = None, frames: int = 0) -> HarnessRun:
    """A finished run of the reference station profile with one case per verdict kind."""
    profile = load_profile(resolve_profile_path("reference-station-v201"))
    if claims is not None:
        profile = dataclasses.replace(profile, claims=claims)
    run = HarnessRun(profile, frozenset(), None)
    run.sut_identity = {
        "identity": "CS1",
        "vendor": UNICODE,
        "model": "AC22",
        "serial": "S-1",
        "firmware": "4.2.0",
    }
    ok = _record(run, "TC_B_01_CS", "Cold Boot Charging Station - Accepted", Verdict.PASS)
    ok.trace = boot_trace("ok", extra_frames=frames)
    ok.findings = [
        Finding(Axis.OCTT, "OCTT TC_B_01", "the official tool expects the Heartbeat within 1 s")
    ]

    bad = _record(
        run, "TC_B_06_CS", "Get Variables - single value", Verdict.FAIL,
        reason="B06: a known variable is Accepted: expected Accepted; actual " + MARKUP,
        failed_requirement="B06: a known variable is Accepted",
        expected="attributeStatus='Accepted'", actual="attributeStatus=" + MARKUP,
    )  # fmt: skip
    bad.trace = boot_trace("bad", vendor=MARKUP)
    frame(bad.trace, Flow.SENT, [2, "g1", "GetVariables", {"getVariableData": []}])
    frame(
        bad.trace,
        Flow.RECEIVED,
        [3, "g1", {"getVariableResult": [], "note": MARKUP}],
        problem="payload does not follow the schema: " + MARKUP,
    )
    bad.failure_seq = len(bad.trace)
    frame(bad.trace, Flow.SENT, [2, "c1", "ClearCache", {}])  # cleanup after the failure
    bad.findings = [Finding(Axis.SPEC, "B06.FR.01", "dateTime without time zone: " + UNICODE)]

    _record(
        run,
        "TC_B_02_CS",
        "Cold Boot Charging Station - Pending",
        Verdict.INCONCLUSIVE,
        reason="the operator did not reboot the station within 120 s",
    )
    _record(
        run,
        "TC_B_03_CS",
        "Cold Boot Charging Station - Rejected",
        Verdict.NOT_APPLICABLE,
        reason="NOT-APPLICABLE: needs feature C-44",
    )
    _record(
        run,
        "TC_B_09_CS",
        "Set Variables - single value",
        Verdict.ERROR,
        reason="harness error: KeyError: 'x'",
    )
    _record(
        run,
        "TC_K_01_CS",
        "Set Charging Profile - TxDefaultProfile " + UNICODE,
        Verdict.PASS,
        profile="smart-charging",
    )
    nodeid = "testcases/v201/test_sample.py::test_never"
    run.planned[nodeid] = PlannedCase(
        "TC_E_03_CS", "Local start transaction - Cable plugin first", "core", nodeid, None
    )
    run.deselected.add(nodeid)
    run.finish()
    return run


def claims(*profiles: str, versions: tuple[str, ...] = ("2.0.1",)) -> Claims:
    """Claims of ``profiles`` (slugs) for ``versions``."""
    return Claims(profiles=profiles, versions=tuple(OcppVersion(v) for v in versions))
