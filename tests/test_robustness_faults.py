"""The RPC-framework faults of the reference SUTs, sans-IO (harness/reference/rpc_faults.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from harness.ocppj import CallError, CallResult, CallResultError, ErrorKind, RpcSession
from harness.reference import rpc_faults
from harness.reference.faults import FAULTS
from harness.reference.rpc_faults import FaultySession

Closes = list[tuple[int | None, str]]


def faulty(version: str, *rules: str) -> tuple[FaultySession, Closes]:
    closes: Closes = []
    session = FaultySession(version, frozenset(rules), lambda code, why: closes.append((code, why)))
    return session, closes


def frame(*items: Any) -> str:
    return json.dumps(list(items))


def test_every_rule_exists_for_both_reference_suts() -> None:
    station = {n.removeprefix("rpc-") for n in FAULTS if n.startswith("rpc-")}
    csms = {n.removeprefix("csms-rpc-") for n in FAULTS if n.startswith("csms-rpc-")}
    assert station == csms
    assert len(station) == 15
    assert rpc_faults.rules(frozenset({"rpc-answers-send", "csms-rpc-drops-on-binary"})) == {
        "answers-send",
        "drops-on-binary",
    }
    assert rpc_faults.rules(frozenset({"boot-skips-status", "csms-boot-rejects"})) == set()


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_without_rules_it_is_the_core(version: str) -> None:
    healthy, plain = faulty(version)[0], RpcSession(version)
    for text in (
        '[2,"a","Heartbeat",{',
        frame(2, "b", "FlyToTheMoon", {}),
        frame(2, "c", "Heartbeat"),
    ):
        assert healthy.receive(text).reply == plain.receive(text).reply


def test_wrong_error_code_swaps_and_flattens() -> None:
    session, _ = faulty("1.6", "wrong-error-code")
    unreadable = session.receive('[2,"a","Heartbeat",{').reply
    assert isinstance(unreadable, CallError)
    assert (unreadable.unique_id, unreadable.code) == ("-1", "GenericError")
    unknown = session.receive(frame(2, "b", "FlyToTheMoon", {})).reply
    assert isinstance(unknown, CallError)
    assert unknown.code == "NotSupported"
    missing = session.receive(frame(2, "c", "Authorize", {})).reply
    assert isinstance(missing, CallError)
    assert missing.code == "FormationViolation"
    assert session.error("d", "NotSupported").code == "NotImplemented"
    assert session.error("e", ErrorKind.SECURITY_ERROR).code == "SecurityError"


def test_silent_and_wrong_id() -> None:
    silent, _ = faulty("2.0.1", "silent-on-malformed")
    assert silent.receive(frame(2, "a", "FlyToTheMoon", {})).reply is None
    wrong, _ = faulty("2.0.1", "wrong-id-in-error")
    reply = wrong.receive(frame(2, "a", "FlyToTheMoon", {})).reply
    assert isinstance(reply, CallError)
    assert reply.unique_id not in ("a", "-1")


def test_closing_rules_close_and_stay_silent() -> None:
    session, closes = faulty(
        "2.1", "closes-on-invalid-json", "closes-on-unknown-message-type", "drops-on-binary"
    )
    assert session.receive('[2,"a",').reply is None
    assert session.receive(frame(9, "b", "Heartbeat", {})).reply is None
    assert session.receive(b'[2,"c","Heartbeat",{}]').reply is None
    assert [code for code, _ in closes] == [1002, 1002, None]
    assert session.receive(frame(2, "d", "Heartbeat")).reply is not None  # not a close rule


def test_duplicate_id_closes() -> None:
    session, closes = faulty("1.6", "closes-on-duplicate-id")
    session.receive(frame(2, "a", "Heartbeat", {}))
    session.result("a", {"currentTime": "2025-01-01T00:00:00Z"})
    assert not closes
    session.receive(frame(2, "a", "Heartbeat", {}))
    assert closes
    assert closes[0][0] == 1002


def test_concurrent_call_is_dropped() -> None:
    session, _ = faulty("2.0.1", "drops-concurrent-call")
    first = session.receive(frame(2, "a", "Heartbeat", {}))
    second = session.receive(frame(2, "b", "Heartbeat", {}))
    assert first.frame is not None
    assert second.frame is None
    assert second.reply is None
    assert [c.unique_id for c in session.open_inbound] == ["a"]


def test_results_and_sends() -> None:
    session, _ = faulty("2.1", "errors-unknown-result", "answers-send", "no-callresulterror")
    unknown = session.receive(frame(3, "x", {})).reply
    assert isinstance(unknown, CallError)
    assert unknown.code == "ProtocolError"
    send = frame(6, "s", "NotifyPeriodicEventStream", {})
    assert session.receive(send).reply == CallResult("s", {})
    call = session.call("Heartbeat", {})
    bad = session.receive(frame(3, call.unique_id, {})).reply
    assert isinstance(bad, CallError)
    assert not isinstance(bad, CallResultError)


def test_timeouts_and_crashes() -> None:
    assert rpc_faults.call_timeout(frozenset({"csms-rpc-rejects-late-response"}), 5.0) == 0.3
    assert rpc_faults.call_timeout(frozenset(), 5.0) == 5.0

    def link(code: int | None) -> Any:
        sent = None if code is None else SimpleNamespace(code=code)
        return SimpleNamespace(ws=SimpleNamespace(protocol=SimpleNamespace(close_sent=sent)))

    utf8 = frozenset({"rpc-crashes-on-invalid-utf8"})
    assert rpc_faults.crashed(link(1007), utf8)
    assert not rpc_faults.crashed(link(1009), utf8)
    assert not rpc_faults.crashed(link(None), utf8)
    assert rpc_faults.crashed(link(1009), frozenset({"csms-rpc-crashes-on-oversized"}))
    assert not rpc_faults.crashed(link(1007), frozenset())
