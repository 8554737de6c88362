"""Verdicts that do not depend on what ran before (issue "Verdicts that hold on real devices").

Each test runs small cases of its own against the built-in reference station (2.0.1) in a child
pytest: the OCA general preconditions are restored before every case (Part 6 §2.1) or the case is
INCONCLUSIVE naming what is not met; frames outside a case go to the "between cases" trace; a
forbidden CALL and a missing one are reported as what they are, with the failing point in the
trace; a burst of CALLs is a SHOULD NOT warning.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest_plugins = ["pytester"]

HEADER = """
from harness import CsmsPeer, SutActions, oca

V = ("2.0.1",)
HB = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
"""


def _run(pytester: pytest.Pytester, body: str, *args: str) -> dict[str, Any]:
    module = pytester.makepyfile(test_cases=HEADER + body)
    report = pytester.path / "report"
    result = pytester.runpytest_subprocess(
        str(module), "-p", "no:cacheprovider", "--ocpp-report", str(report), *args, timeout=120
    )
    assert "Traceback" not in result.stdout.str(), result.stdout.str()[-3000:]
    document: dict[str, Any] = json.loads((report / "results.json").read_text("utf-8"))
    return document


def _cases(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {case["id"]: case for case in document["cases"]}


PLUGGED_THEN_CHECKED = """
@oca("TC_E_03_CS", "leaves an EV plugged in", profile="core", versions=V,
     kills=("tx-reports-wrong-token",))
async def test_leaves_plugged(csms: CsmsPeer, sut: SutActions) -> None:
    await sut.plug_in(evse_id=1)
    await csms.expect("StatusNotification", evse_id=1, connector_status="Occupied")


@oca("TC_B_09_CS", "changes HeartbeatInterval and leaves it", profile="core", versions=V,
     kills=("config-change-not-applied",))
async def test_leaves_changed(csms: CsmsPeer) -> None:
    (await csms.call("SetVariables", set_variable_data=[{**HB, "attributeValue": "123"}])).must()


@oca("TC_B_06_CS", "starts from the preconditions", profile="core", versions=V,
     kills=("getvariables-rejects-known",))
async def test_starts_clean(csms: CsmsPeer) -> None:
    assert csms.state.not_available() == {}, csms.state.connectors
    read = (await csms.call("GetVariables", get_variable_data=[HB])).must()
    value = read["getVariableResult"][0]["attributeValue"]
    assert value != "123", f"HeartbeatInterval still {value}"
    assert not any("StatusNotification" in (e.action or "") for e in csms.trace), "restore frames"
"""


def test_preconditions_are_restored_before_each_case(pytester: pytest.Pytester) -> None:
    """An EV left plugged in and a changed variable are put back before the next case, in the
    between-cases trace, not in the case's own."""
    document = _run(pytester, PLUGGED_THEN_CHECKED)
    verdicts = {cid: c["verdict"] for cid, c in _cases(document).items()}
    assert verdicts == {"TC_E_03_CS": "pass", "TC_B_09_CS": "pass", "TC_B_06_CS": "pass"}, [
        c["reason"] for c in document["cases"]
    ]
    between = json.dumps(document.get("between_cases", {}))
    assert "preconditions of TC_B_06_CS" in between
    assert "Occupied" in between or "Available" in between


FAULTED = """
@oca("TC_E_03_CS", "the station reports a fault", profile="core", versions=V,
     kills=("tx-reports-wrong-token",))
async def test_reports_fault(csms: CsmsPeer) -> None:
    csms.state.connectors[(1, 1)] = "Faulted"  # as if the station had reported it


@oca("TC_B_06_CS", "needs every connector Available", profile="core", versions=V,
     kills=("getvariables-rejects-known",))
async def test_needs_available(csms: CsmsPeer) -> None:
    raise AssertionError("must not run: its precondition is not met")
"""


def test_unrestorable_precondition_is_inconclusive(pytester: pytest.Pytester) -> None:
    document = _run(pytester, FAULTED)
    case = _cases(document)["TC_B_06_CS"]
    assert case["verdict"] == "inconclusive", case
    assert case["reason"] == (
        "precondition not met: EVSE 1 connector 1 Faulted after TC_E_03_CS"
    ), case["reason"]


EVIDENCE = """
@oca("TC_E_03_CS", "forbids what the station then sends", profile="core", versions=V,
     kills=("tx-reports-wrong-token",))
async def test_forbidden(csms: CsmsPeer, sut: SutActions) -> None:
    csms.forbid("StatusNotification", "X01: no StatusNotification here")
    await sut.plug_in(evse_id=1)
    await csms.expect("Authorize", within_s=2)


@oca("TC_B_06_CS", "waits for what never comes", profile="core", versions=V,
     kills=("getvariables-rejects-known",))
async def test_missing(csms: CsmsPeer) -> None:
    await csms.expect("Authorize", within_s=0.3, req="X02: an Authorize")
"""


def test_forbidden_and_missing_messages_are_reported_as_what_they_are(
    pytester: pytest.Pytester,
) -> None:
    cases = _cases(_run(pytester, EVIDENCE))
    forbidden = cases["TC_E_03_CS"]
    assert forbidden["verdict"] == "fail"
    assert forbidden["failed_requirement"] == "X01: no StatusNotification here"
    assert forbidden["actual"].startswith("StatusNotification "), forbidden["actual"]
    missing = cases["TC_B_06_CS"]
    assert missing["failed_requirement"] == "X02: an Authorize"
    failing = [e for e in missing["trace"] if e["seq"] == missing["failing_frame"]]
    assert failing, missing["trace"]
    assert failing[0]["raw"].startswith("deadline passed: no Authorize"), failing
    for case in cases.values():
        assert case["trace"][0]["raw"].startswith("handshake") is False  # connect is between


def test_shuffled_order_gives_the_same_verdicts(pytester: pytest.Pytester) -> None:
    """``--ocpp-shuffle``: a case that needs the preconditions passes after one that breaks
    them, whatever the order."""
    orders = []
    for seed in ("1", "2", "3"):
        document = _run(pytester, PLUGGED_THEN_CHECKED, "--ocpp-shuffle", seed)
        orders.append([c["id"] for c in document["cases"]])  # in the order they ran
        assert {c["verdict"] for c in document["cases"]} == {"pass"}, document["cases"]
    assert len({tuple(o) for o in orders}) > 1, f"three seeds, one order: {orders}"


REBOOTED = """
@oca("TC_B_01_CS", "reboots the station and ends at once", profile="core", versions=V,
     kills=("boot-ignores-interval",))
async def test_reboots(csms: CsmsPeer, sut: SutActions) -> None:
    await sut.reboot()


@oca("TC_B_06_CS", "starts once the station booted again", profile="core", versions=V,
     kills=("getvariables-rejects-known",))
async def test_after_reboot(csms: CsmsPeer) -> None:
    assert csms.state.boot == "Accepted"
    assert not any(e.action == "BootNotification" for e in csms.trace), "boot blamed on me"
    (await csms.call("GetVariables", get_variable_data=[HB])).must()
"""


def test_a_case_starts_only_once_the_station_booted_again(pytester: pytest.Pytester) -> None:
    """A station rebooting between cases is waited for until its BootNotification is answered
    Accepted: the boot belongs to the between-cases trace, not to the next case."""
    cases = _cases(_run(pytester, REBOOTED))
    assert {cid: c["verdict"] for cid, c in cases.items()} == {
        "TC_B_01_CS": "pass",
        "TC_B_06_CS": "pass",
    }, [c["reason"] for c in cases.values()]
