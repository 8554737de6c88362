"""Differential self-test: the frame path's validator (jsonschema-rs) against the reference
(fastjsonschema) over the fuzz corpus: messages generated from every schema of every version,
each single mutation the fuzzer makes of them (harness/fuzz), seeded combinations of several
mutations, and values at the edges of JSON numbers and strings. Both must give the same verdict,
the same OCPP-J error kind (Part 4 §4.3), the same path and the same message."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.fuzz.mutations import Mutation, candidates
from harness.fuzz.strategies import payloads
from harness.ocppj.reference_validator import reference_check
from harness.ocppj.schemas import Direction, SchemaViolation, check, known_actions

VERSIONS = ("1.6", "2.0.1", "2.1")
#: Combinations of several mutations tried per generated message.
COMBINATIONS = 8


def _draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    found: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


def _same(
    version: str, action: str, direction: Direction, payload: dict[str, Any]
) -> tuple[SchemaViolation | None, SchemaViolation | None]:
    return check(version, action, direction, payload), reference_check(
        version, action, direction, payload
    )


def _combined(payload: dict[str, Any], chosen: list[Mutation]) -> dict[str, Any]:
    for mutation in chosen:
        try:
            payload = mutation.apply(payload)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed what this one changes
    return payload


@pytest.mark.parametrize("version", VERSIONS)
def test_both_validators_agree_on_the_fuzz_corpus(version: str) -> None:
    rnd = random.Random(f"differential-{version}")
    compared = invalid = 0
    disagreements: list[str] = []
    for action in sorted(known_actions(version)):
        for direction in Direction:
            try:
                strategy = payloads(version, action, direction)
            except ValueError:
                continue  # the 2.1 SEND-only message has no response
            for payload in _draw(strategy, 1):
                mutations = candidates(version, action, payload, direction)
                corpus = [payload] + [m.apply(payload) for m in mutations]
                for _ in range(COMBINATIONS if len(mutations) > 1 else 0):
                    count = rnd.randint(2, min(4, len(mutations)))
                    corpus.append(_combined(payload, rnd.sample(mutations, count)))
                for item in corpus:
                    ours, reference = _same(version, action, direction, item)
                    compared += 1
                    invalid += reference is not None
                    if ours != reference:
                        disagreements.append(f"{action} {direction}: {ours} != {reference}")
    assert not disagreements, disagreements[:5]
    assert invalid > compared // 2  # the corpus is mostly invalid messages: the mapping is tested


TX = {
    "eventType": "Updated",
    "timestamp": "2025-01-01T12:00:00Z",
    "triggerReason": "MeterValuePeriodic",
    "seqNo": 1,
    "transactionInfo": {"transactionId": "tx-1"},
}


def _tx(**changes: Any) -> dict[str, Any]:
    return {**TX, **changes}


def _sampled(value: Any) -> dict[str, Any]:
    return _tx(meterValue=[{"timestamp": TX["timestamp"], "sampledValue": [{"value": value}]}])


EDGES: list[tuple[str, str, dict[str, Any]]] = [
    ("2.0.1", "Heartbeat", {}),
    ("2.0.1", "Heartbeat", {"unexpected": 1}),
    ("2.0.1", "TransactionEvent", _tx(seqNo=1.0)),  # an integral float is an integer
    ("2.0.1", "TransactionEvent", _tx(seqNo=1.5)),
    ("2.0.1", "TransactionEvent", _tx(seqNo=True)),  # a boolean is no integer
    ("2.0.1", "TransactionEvent", _tx(seqNo=2**70)),  # beyond 64 bits
    ("2.0.1", "TransactionEvent", _tx(seqNo=-(2**70))),
    ("2.0.1", "TransactionEvent", _tx(seqNo=float("nan"))),
    ("2.0.1", "TransactionEvent", _sampled(float("nan"))),
    ("2.0.1", "TransactionEvent", _sampled(float("inf"))),
    ("2.0.1", "TransactionEvent", _sampled(float("-inf"))),
    ("2.0.1", "TransactionEvent", _sampled(1e308)),
    ("2.0.1", "TransactionEvent", _sampled("12")),
    ("2.0.1", "TransactionEvent", _tx(transactionInfo={"transactionId": "\ud800" * 36})),
    ("2.0.1", "TransactionEvent", _tx(transactionInfo={"transactionId": "\ud800" * 37})),
    ("2.0.1", "TransactionEvent", _tx(transactionInfo={"transactionId": "\U0001f600" * 37})),
    ("2.0.1", "TransactionEvent", _tx(transactionInfo=[])),
    ("2.0.1", "TransactionEvent", {"eventType": "Started", "extra": 1}),
    ("1.6", "MeterValues", {"connectorId": 1.5, "meterValue": []}),
    ("1.6", "MeterValues", {"connectorId": 1, "meterValue": [{"sampledValue": [{}]}]}),
    ("1.6", "StartTransaction", {"connectorId": 1, "idTag": "x" * 21, "meterStart": 0}),
    ("2.1", "Heartbeat", {"customData": {"vendorId": "v", "big": 2**80, "nan": float("nan")}}),
]


@pytest.mark.parametrize(("version", "action", "payload"), EDGES)
def test_both_validators_agree_at_the_edges(
    version: str, action: str, payload: dict[str, Any]
) -> None:
    ours, reference = _same(version, action, Direction.REQUEST, payload)
    assert ours == reference
