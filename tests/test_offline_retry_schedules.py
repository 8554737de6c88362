"""Self-test of transaction message retries (issue 12; OCPP 2.0.1 E13.FR.01-04): seeded schedules
in which the recording CSMS fails TransactionEvents on purpose while the reference station runs
charging sessions, and a checker that counts the transmissions of each message.

A :class:`RefusingCsms` picks, per schedule seed, a few Updated events and fails their first k
transmissions, each with a CALLERROR or no answer at all: k below MessageAttemptsTransaction-
Event (the station must send the message k + 1 times and stop once it is answered), or k equal
to it (the station must send it exactly that many times and then give it up, E13.FR.04). The
checker (:func:`retry_problems`) reads the transmissions per (transaction, seqNo): their count
(E13.FR.02/04) and the gap before each retry, at least MessageAttemptIntervalTransactionEvent
times the transmissions so far, after the MessageTimeout where no answer came (E13.FR.03). The
queue checker of :mod:`tests.test_offline_schedules` runs on the same schedules, and each retry
fault of :mod:`harness.reference.faults_offline` is caught by the retry checker in every one of
a few schedules.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from typing import Any

import pytest

from tests.test_offline_schedules import RecordingCsms, Schedule, Seen, play, problems

pytestmark = pytest.mark.asyncio

#: MessageAttemptsTransactionEvent and MessageAttemptIntervalTransactionEvent (seconds) set.
ATTEMPTS = 3
INTERVAL_S = 1
#: The reference station's answer timeout in the schedules (station.response_s of ``play``).
TIMEOUT_S = 0.8
#: A retry may arrive this much earlier than computed (timers, loopback; seconds).
EARLY_S = 0.25
#: Schedules the clean run plays, all at once.
SCHEDULES = 10


class RefusingCsms(RecordingCsms):
    """Fails the first k transmissions of a few Updated TransactionEvents, seeded: ``plan``
    maps the n-th Updated event the CSMS sees (counted once per (transaction, seqNo)) to
    (k, "error" | "silent")."""

    def __init__(self, plan: dict[int, tuple[int, str]]) -> None:
        super().__init__()
        self.plan = plan
        self.updated: dict[tuple[str, int], int] = {}  # (tx, seqNo) -> n-th Updated event
        self.sent: dict[tuple[str, int], int] = {}  # (tx, seqNo) -> transmissions so far

    def refuse(self, payload: dict[str, Any]) -> str:
        if payload.get("eventType") != "Updated":
            return ""
        key = (str(payload["transactionInfo"]["transactionId"]), int(payload["seqNo"]))
        nth = self.updated.setdefault(key, len(self.updated))
        self.sent[key] = self.sent.get(key, 0) + 1
        k, how = self.plan.get(nth, (0, ""))
        return how if self.sent[key] <= k else ""


def refusal_plan(seed: int, *, give_up: bool | None = None) -> dict[int, tuple[int, str]]:
    """Two of the first four Updated events fail: k in 1..ATTEMPTS each (``give_up``: the
    first one fails every attempt; None: by chance), by CALLERROR or silence."""
    rnd = random.Random(seed)
    chosen = sorted(rnd.sample(range(4), 2))
    plan = {}
    for n, nth in enumerate(chosen):
        k = ATTEMPTS if (give_up and n == 0) else rnd.randint(1, ATTEMPTS)
        plan[nth] = (k, rnd.choice(("error", "error", "silent")))
    return plan


def retry_problems(seen: list[Seen], csms: RefusingCsms) -> list[str]:
    """Per failed message: its transmissions counted and timed (see the module)."""
    found: list[str] = []
    by_key: dict[tuple[str, int], list[Seen]] = {}
    for item in seen:
        p = item.payload
        key = (str(p["transactionInfo"]["transactionId"]), int(p["seqNo"]))
        by_key.setdefault(key, []).append(item)
    missing = sorted(set(csms.plan) - set(csms.updated.values()))
    if missing:  # the plan was not played: the checks below would prove nothing
        found.append(f"fewer Updated events than planned: no #{missing} to fail")
    for key, nth in csms.updated.items():
        k, how = csms.plan.get(nth, (0, ""))
        if not k:
            continue
        sent = by_key.get(key, [])
        wanted = ATTEMPTS if k >= ATTEMPTS else k + 1
        rule = "E13.FR.04: given up after" if k >= ATTEMPTS else "E13.FR.02: sent until answered,"
        if len(sent) != wanted:
            found.append(
                f"{key[0]} seqNo {key[1]} ({k} x {how}): {rule} {wanted} transmissions, "
                f"got {len(sent)}"
            )
        wait = TIMEOUT_S if how == "silent" else 0.0
        for n, (a, b) in enumerate(itertools.pairwise(sent), 1):
            least = wait + INTERVAL_S * n
            if b.at - a.at < least - EARLY_S:
                found.append(
                    f"{key[0]} seqNo {key[1]}: E13.FR.03: transmission {n + 1} came "
                    f"{b.at - a.at:.2f} s after the one before, at least {least:g} s expected"
                )
    return found


async def play_refusals(seed: int, faults: frozenset[str] = frozenset(), **plan: Any) -> list[str]:
    """One session of about 5 s (five or so Updated events) with a seeded refusal plan."""
    csms = RefusingCsms(refusal_plan(seed, **plan))
    schedule = Schedule(seed, sessions=[random.Random(seed).uniform(4.5, 5.5)])

    def check(seen: list[Seen]) -> list[str]:
        return problems(seen) + retry_problems(seen, csms)

    return await play(
        schedule, faults, csms=csms, attempts=ATTEMPTS, interval=INTERVAL_S, check=check
    )


async def test_refusal_schedules_retry_by_the_rules() -> None:
    """E13: ten seeded refusal plans, all at once; every failed message sent again as many
    times as the rules say, each retry after its interval, nothing else lost or reordered."""
    results = await asyncio.gather(*(play_refusals(seed) for seed in range(300, 300 + SCHEDULES)))
    found = [p for result in results for p in result]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "fault", ["tx-retries-too-many", "tx-retries-too-few", "tx-retry-no-interval"]
)
async def test_the_checker_catches_each_retry_fault(fault: str) -> None:
    """Each retry fault seeded into the station: the checker reports it in every one of a few
    refusal schedules (each fails one message on every attempt)."""
    results = await asyncio.gather(
        *(play_refusals(seed, frozenset({fault}), give_up=True) for seed in range(400, 403))
    )
    assert all(results), f"{fault}: some schedule showed nothing wrong: {results}"
    assert all(any("E13" in p for p in result) for result in results), results
