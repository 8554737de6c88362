"""Runs hypothesis against a SUT on the harness's event loop, deterministically by seed.

Test cases are coroutines on the session's event loop; hypothesis is synchronous. :func:`run`
therefore drives hypothesis in a worker thread (``asyncio.to_thread``) whose property hands each
example to the loop (``run_coroutine_threadsafe``) and waits, bounded, for the probe's verdict.

* **Deterministic**: ``@seed(seed)``, no example database, no deadline, no explain phase; the
  same seed and the same SUT answers give the same examples.
* **Every example is sent once**: verdicts are memoised by payload, so the shrinker's re-runs and
  hypothesis's final replay never depend on a SUT that answers differently the second time (no
  "flaky" error from hypothesis, and no duplicate traffic).
* **Bounded shrinking**: after the first failure at most ``shrink_calls`` new payloads are sent, for
  at most ``shrink_s`` seconds; after that unseen payloads count as passing, which ends shrinking
  at once with the smallest failure found so far.
* Failures of different kinds (a disconnect, a wrong error code...) are distinct exception types,
  so the shrinker never trades one kind of failure for another.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

#: New payloads sent after the first failure, at most, while shrinking it.
SHRINK_CALLS = 60
#: Seconds spent shrinking, at most.
SHRINK_S = 20.0


@dataclass(frozen=True, slots=True)
class Example:
    """One CALL to send: its action, payload and, for a near-valid one, the violation in it."""

    action: str
    payload: dict[str, Any]
    mutation: str | None = None

    def key(self) -> str:
        return json.dumps([self.action, self.payload, self.mutation], sort_keys=True)

    def show(self, limit: int = 1500) -> str:
        text = json.dumps(self.payload, ensure_ascii=False)
        return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


@dataclass(frozen=True, slots=True)
class Problem:
    """What was wrong with the SUT's answer to one example; ``kind`` groups alike failures."""

    kind: str
    detail: str


Probe = Callable[[Example], Coroutine[Any, Any, Problem | None]]


@dataclass
class FuzzResult:
    """How a fuzz run went: the minimal failure (if any) and the figures behind it."""

    seed: int
    budget: int
    sent: int = 0
    shrink_calls: int = 0
    elapsed_s: float = 0.0
    failure: tuple[Example, Problem] | None = None
    first: tuple[Example, Problem] | None = None
    error: str | None = None
    _shrink_deadline: float = field(default=0.0, repr=False)

    @property
    def rate(self) -> float:
        """Examples sent per second."""
        return self.sent / self.elapsed_s if self.elapsed_s > 0 else 0.0


class _Found(Exception):
    def __init__(self, example: Example, problem: Problem) -> None:
        super().__init__(f"{problem.kind}: {problem.detail}")
        self.example = example
        self.problem = problem


class _Kinds:
    """One exception type per failure kind (hypothesis tells failures apart by type)."""

    def __init__(self) -> None:
        self._types: dict[str, type[_Found]] = {}

    def error(self, example: Example, problem: Problem) -> _Found:
        kind = self._types.get(problem.kind)
        if kind is None:
            name = "Found_" + "".join(c if c.isalnum() else "_" for c in problem.kind)
            kind = self._types[problem.kind] = type(name, (_Found,), {})
        return kind(example, problem)


async def run(
    strategy: st.SearchStrategy[Example],
    probe: Probe,
    *,
    examples: int,
    seed_value: int,
    timeout_s: float,
    shrink_calls: int = SHRINK_CALLS,
    shrink_s: float = SHRINK_S,
) -> FuzzResult:
    """Try up to ``examples`` examples from ``strategy`` with ``probe``; shrink the first failure."""
    loop = asyncio.get_running_loop()
    result = FuzzResult(seed_value, examples)
    memo: dict[str, Problem | None] = {}
    stop = threading.Event()
    kinds = _Kinds()

    def verdict(example: Example) -> Problem | None:
        key = example.key()
        if key in memo:
            return memo[key]
        if stop.is_set() or (
            result.first is not None
            and (result.shrink_calls >= shrink_calls or time.monotonic() > result._shrink_deadline)
        ):
            return None  # out of budget: unseen payloads pass, which ends shrinking
        future: concurrent.futures.Future[Problem | None]
        future = asyncio.run_coroutine_threadsafe(probe(example), loop)
        try:
            problem = future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            problem = Problem(
                "no verdict", f"no verdict on the SUT's answer within {timeout_s:g} s"
            )
        except Exception as exc:  # a bug of ours in the probe: stop, report it as such
            result.error = f"fuzz probe failed: {type(exc).__name__}: {exc}"
            stop.set()
            return None
        memo[key] = problem
        result.sent += 1
        if result.first is not None:
            result.shrink_calls += 1
        elif problem is not None:
            result.first = (example, problem)
            result._shrink_deadline = time.monotonic() + shrink_s
        return problem

    @settings(
        max_examples=max(1, examples),
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )
    @seed(seed_value)
    @given(strategy)
    def prove(example: Example) -> None:
        problem = verdict(example)
        if problem is not None:
            raise kinds.error(example, problem)

    started = time.monotonic()
    try:
        await asyncio.to_thread(prove)
    except _Found as found:
        result.failure = (found.example, found.problem)
    except asyncio.CancelledError:
        stop.set()
        raise
    except Exception as exc:  # hypothesis gave up (e.g. could not generate): our problem
        result.error = result.error or f"hypothesis: {type(exc).__name__}: {exc}"
    finally:
        result.elapsed_s = time.monotonic() - started
    if result.failure is None and result.first is not None and result.error is None:
        result.failure = result.first  # never lose a failure, even if the replay did not raise
    return result
