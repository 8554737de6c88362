"""The robustness cases grade each check by the strength of its rule, read malformed answers at
once, and end with a follow-up that uses what the SUT offers (testcases/robustness/)."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any, cast

import pytest

from harness.ocppj import Call, CallError, CallResult
from harness.trace import Flow, Trace
from harness.verdicts import Axis, NotApplicable, SutFailure
from testcases.robustness import test_rpc_exchanges as exchanges
from testcases.robustness import test_rpc_v21 as v21
from testcases.robustness import test_websocket as websocket
from testcases.robustness.follow_up import WORKING, require_working, trigger_refusal
from testcases.robustness.reactions import (
    CLOSE_FRAME_REQ,
    Peer,
    Reaction,
    answers,
    code_note,
    describe,
    judge_close,
    react,
    require_answer,
    require_error,
    require_no_answer,
)
from tests.robustness_fakes import FakeLink, ScriptedStation, error, result

MALFORMED_ERROR = '[4,"rb03-1","FormatViolation","no payload"]'


def _peer(version: str = "2.0.1") -> Any:
    """Enough of a peer for the trace-reading helpers: a trace, a version, warnings."""
    found: list[tuple[Axis, str, str]] = []
    return SimpleNamespace(
        trace=Trace("t"),
        version=version,
        response_s=0.3,
        findings=found,
        warn=lambda axis, req, msg: found.append((axis, req, msg)),
    )


# -- malformed answers and codes of another version ----------------------------------------------
def test_a_malformed_callerror_is_an_answer_and_says_so() -> None:
    peer = _peer()
    peer.trace.record(Flow.RECEIVED, MALFORMED_ERROR, None, problem="CALLERROR must have 5")
    peer.trace.record(Flow.RECEIVED, '[2,"c","Heartbeat"]', None, problem="CALL must have 4")
    found = answers(peer, 0, ("rb03-1",))
    assert len(found) == 1  # the malformed CALL is no answer
    text = describe(found[0], "2.0.1")
    assert text.startswith("a malformed CALLERROR under unique id 'rb03-1'")
    assert answers(peer, 0, ("other",)) == []
    with pytest.raises(SutFailure, match="malformed CALLERROR"):
        require_error(peer, found[0], codes={"FormatViolation"}, ids=("rb03-1",), req="r")
    with pytest.raises(SutFailure, match="malformed"):
        require_no_answer(peer, 0, ("rb03-1",), req="r")


def test_an_unreadable_frame_counts_as_an_answer_whatever_the_id() -> None:
    peer = _peer()
    peer.trace.record(Flow.RECEIVED, "{oops", None, problem="not valid JSON")
    assert len(answers(peer, 0, ("any",))) == 1


async def test_an_immediate_or_malformed_answer_ends_the_wait_at_once() -> None:
    """RB_02/RB_03: an answer that arrived before the wait began, or a malformed one, is taken
    at once, never reported as "no answer" after the full wait."""
    peer = _peer()
    peer.response_s = 30.0
    link = cast(Any, FakeLink())
    peer.trace.record(
        Flow.RECEIVED,
        '[4,"-1","RpcFrameworkError","",{}]',
        CallError("-1", "RpcFrameworkError", "", {}),
    )
    started = time.monotonic()
    entry = await require_answer(peer, link, 0, req="r")
    assert entry.unique_id == "-1"
    peer.trace.record(Flow.RECEIVED, MALFORMED_ERROR, None, problem="CALLERROR must have 5")
    reaction = await react(peer, link, 1, 30.0, ids=("rb03-1",))
    assert reaction.answers
    assert time.monotonic() - started < 1.0


def test_a_code_of_the_other_version_is_named_with_its_spelling() -> None:
    note = code_note("OccurenceConstraintViolation", "2.0.1")
    assert "OCPP 1.6 code" in note
    assert "OCPP 2.0.1 says OccurrenceConstraintViolation" in note
    assert "says FormationViolation" in code_note("FormatViolation", "1.6")
    assert "2.x code" in code_note("RpcFrameworkError", "1.6")
    assert code_note("FormatViolation", "2.1") == ""
    assert "nor of any OCPP version" in code_note("Oops", "2.1")
    peer = _peer("2.0.1")
    peer.trace.record(
        Flow.RECEIVED,
        '[4,"a","OccurenceConstraintViolation","",{}]',
        CallError("a", "OccurenceConstraintViolation", "", {}),
    )
    entry = answers(peer, 0)[0]
    with pytest.raises(SutFailure, match=r"OCPP 2\.0\.1 says OccurrenceConstraintViolation"):
        require_error(peer, entry, codes={"OccurrenceConstraintViolation"}, ids=("a",), req="RB_07")


# -- how a close is graded ------------------------------------------------------------------------
def test_a_close_without_frame_or_with_another_code_only_warns() -> None:
    """RFC 6455 §7.1.7 (SHOULD send a close frame) and §7.4.1 (MAY use a code): warnings."""
    peer = _peer()
    judge_close(cast(Peer, peer), Reaction([], True, None, "no close frame"), 1003, "binary")
    judge_close(cast(Peer, peer), Reaction([], True, 1011, "code 1011"), 1003, "binary")
    judge_close(cast(Peer, peer), Reaction([], True, 1003, "code 1003"), 1003, "binary")
    assert [req for _, req, _ in peer.findings] == [
        CLOSE_FRAME_REQ,
        "RFC 6455 §7.4.1 (MAY): binary is refused with close code 1003",
    ]
    assert all(axis is Axis.SPEC for axis, _, _ in peer.findings)


def _station(version: str = "2.0.1", **kwargs: Any) -> ScriptedStation:
    script = {
        "TriggerMessage": result(status="Accepted"),
        "GetVariables": result(
            getVariableResult=[
                {
                    "attributeStatus": "Accepted",
                    "attributeValue": "60",
                    "component": {"name": "OCPPCommCtrlr"},
                    "variable": {"name": "OfflineThreshold"},
                }
            ]
        ),
        "GetConfiguration": result(configurationKey=[]),
    }
    return ScriptedStation(version, script, **kwargs)


@pytest.mark.parametrize("code", [1011, None])
async def test_binary_frame_closed_any_way_passes_with_a_warning(code: int | None) -> None:
    station = _station(close_on_send=code)
    await websocket._binary(station)
    assert len(station.findings) == 1
    assert station.findings[0].axis is Axis.SPEC


async def test_invalid_utf8_kept_open_fails() -> None:
    """RFC 6455 §8.1 (MUST fail the connection): keeping it open is a FAIL, not a warning."""
    station = _station()
    with pytest.raises(SutFailure) as caught:
        await websocket._invalid_utf8(station)
    assert caught.value.requirement == websocket.UTF8_REQ
    assert "(MUST)" in caught.value.requirement
    assert caught.value.actual.startswith("the connection kept open")


async def test_invalid_utf8_closed_with_another_code_passes_with_a_warning() -> None:
    station = _station(close_on_send=1002)
    await websocket._invalid_utf8(station)
    assert [f.requirement for f in station.findings] == [
        "RFC 6455 §7.4.1 (MAY): text that is not UTF-8 is refused with close code 1007"
    ]


# -- the follow-up uses what the station offers -----------------------------------------------------
async def test_follow_up_uses_the_trigger_where_it_is_accepted() -> None:
    station = _station()
    await require_working(station)
    assert station.sent_actions == ["TriggerMessage"]


@pytest.mark.parametrize(
    ("version", "answer", "read"),
    [
        ("2.0.1", result(status="Rejected"), "GetVariables"),
        ("2.1", result(status="NotImplemented"), "GetVariables"),
        ("2.0.1", error("NotSupported"), "GetVariables"),
        ("1.6", error("NotImplemented"), "GetConfiguration"),
        ("1.6", result(status="Rejected"), "GetConfiguration"),
    ],
)
async def test_follow_up_reads_a_value_where_the_trigger_is_refused(
    version: str, answer: Any, read: str
) -> None:
    """A refused trigger is one unrelated answer: the case goes on with a read, no failure."""
    station = _station(version)
    station.script["TriggerMessage"] = answer
    await require_working(station)
    assert station.sent_actions == ["TriggerMessage", read]
    assert station.findings == []


async def test_an_accepted_trigger_without_its_message_warns_and_reads() -> None:
    station = _station(heartbeat=False)
    await require_working(station)
    assert station.sent_actions == ["TriggerMessage", "GetVariables"]
    assert [f.requirement.split(" ")[0] for f in station.findings] == ["F06.FR.10"]


async def test_follow_up_fails_when_the_read_is_not_answered() -> None:
    station = _station("1.6")
    station.script["TriggerMessage"] = result(status="Rejected")
    station.script["GetConfiguration"] = error("InternalError")
    with pytest.raises(SutFailure) as caught:
        await require_working(station)
    assert caught.value.requirement == WORKING


def test_trigger_refusal_reasons() -> None:
    def outcome(response: CallResult | CallError) -> Any:
        return SimpleNamespace(
            error=response if isinstance(response, CallError) else None,
            get=lambda key: getattr(response, "payload", {}).get(key),
        )

    assert trigger_refusal(outcome(CallResult("x", {"status": "Accepted"}))) is None
    assert "Rejected" in str(trigger_refusal(outcome(CallResult("x", {"status": "Rejected"}))))
    refused = trigger_refusal(outcome(CallError("x", "NotImplemented", "", {})))
    assert refused == "it answered TriggerMessage with CALLERROR NotImplemented"


# -- cases that cannot run without a trigger --------------------------------------------------------
@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
async def test_rb17_with_trigger_rejected_is_not_applicable(version: str) -> None:
    station = _station(version)
    station.script["TriggerMessage"] = result(status="Rejected")
    profile = cast(Any, SimpleNamespace(sut=SimpleNamespace(evses=[])))
    with pytest.raises(NotApplicable, match="does not take TriggerMessage"):
        await exchanges.test_slow_responder_station(station, profile)


@pytest.mark.parametrize(
    ("version", "value", "seconds"),
    [("2.0.1", "4", 4.0), ("2.1", "x", None), ("1.6", "4", None), ("2.0.1", None, None)],
)
async def test_rb17_reads_the_stations_own_message_timeout(
    version: str, value: str | None, seconds: float | None
) -> None:
    """2.x: the late answer stays within the station's MessageTimeout (Part 4 §4.1.1 counts a
    CALL as timed out only after it), read from OCPPCommCtrlr.MessageTimeout[Default]."""
    station = _station(version)
    entry = {
        "attributeStatus": "Accepted" if value is not None else "UnknownVariable",
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "MessageTimeout", "instance": "Default"},
    }
    if value is not None:
        entry["attributeValue"] = value
    station.script["GetVariables"] = result(getVariableResult=[entry])
    assert await exchanges._message_timeout_s(station) == seconds


async def test_rb19_with_trigger_not_implemented_is_not_applicable() -> None:
    station = _station("2.1")
    station.script["TriggerMessage"] = result(status="NotImplemented")
    with pytest.raises(NotApplicable, match="NotImplemented"):
        await v21.test_callresulterror_station(station)


# -- two CALLs at once: SHOULD NOT in 1.6, SHALL NOT in 2.x -----------------------------------------
@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_call_while_one_is_open_is_graded_by_version(version: str) -> None:
    peer = _peer(version)
    call = Call("s1", "StatusNotification", {})
    peer.trace.record(Flow.RECEIVED, '[2,"s1","StatusNotification",{}]', call)
    if version == "1.6":
        exchanges._judge_no_call(cast(Peer, peer), 0, "hb-1")
        assert [req for _, req, _ in peer.findings] == [exchanges.SYNC_V16_REQ]
        assert "(SHOULD NOT)" in exchanges.SYNC_V16_REQ
    else:
        with pytest.raises(SutFailure) as caught:
            exchanges._judge_no_call(cast(Peer, peer), 0, "hb-1")
        assert caught.value.requirement == exchanges.SYNC_REQ
        assert "(SHALL NOT)" in exchanges.SYNC_REQ
