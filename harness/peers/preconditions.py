"""The OCA general preconditions, restored and verified before every case (Part 6 §2.1 for a
charging station under test, §3.1 for a CSMS under test).

A verdict must not depend on which cases ran before. Before each case the harness brings the SUT
back to: booted and Accepted, no transaction, every connector Available, configuration as it was.
It does so actively (stop a transaction, unplug through the SUT actions, make an EVSE operative
again, set changed values back) and then checks it. What it cannot confirm makes the case
INCONCLUSIVE with the reason ("precondition not met: EVSE 1 connector 1 Occupied after
TC_F_08_CS"), never a FAIL. Everything here is recorded in the "between cases" trace.

When restoring fails and the profile has a ``reset`` action (issue 8 item 7: a shell command, an
HTTP request or a prompt that brings the SUT back), the harness runs it and restores once more
before giving up (:func:`restore_station_or_reset`, :func:`restore_csms_or_reset`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from harness.peers.sut_state import OCCUPIED, Where
from harness.progress import waiting
from harness.verdicts import HarnessError, Inconclusive, SutFailure

if TYPE_CHECKING:
    from harness.actions import SutActions
    from harness.peers.csms import CsmsPeer
    from harness.peers.station import StationPeer
    from harness.trace import Trace

#: How long a station that was unreachable before the case is waited for again (it may have come
#: back; the full timeout was already spent once).
UNREACHABLE_RETRY_S = 1.0


def _after(previous: str) -> str:
    return f" after {previous}" if previous else ""


async def _or_reset(
    restore: Callable[[bool], Awaitable[None]], sut: SutActions, between: Trace
) -> None:
    """``restore()``; when it is INCONCLUSIVE and a ``reset`` action is configured, reset the
    SUT and ``restore(True)`` once more (its INCONCLUSIVE is then the verdict)."""
    try:
        await restore(False)
    except Inconclusive as first:
        if not sut.provides("reset"):
            raise
        between.event(f"{first}: running the reset action (sut.actions reset), then again")
        try:
            await sut.reset()
        except (Inconclusive, HarnessError) as exc:
            raise Inconclusive(f"{first}; the reset action failed as well: {exc}") from None
        await restore(True)


async def restore_station_or_reset(
    csms: CsmsPeer,
    sut: SutActions,
    *,
    case: str,
    previous: str,
    wait_s: float,
    reset_wait_s: float,
) -> None:
    """:func:`restore_station`, with the ``reset`` action and one more try when it fails
    (then waiting up to ``reset_wait_s`` for the station to be back)."""

    async def restore(again: bool) -> None:
        await restore_station(
            csms,
            sut,
            case=case,
            previous=previous,
            wait_s=reset_wait_s if again else wait_s,
            after_reset=again,
        )

    await _or_reset(restore, sut, csms.between)


async def restore_csms_or_reset(
    station: StationPeer, sut: SutActions, *, case: str, previous: str
) -> None:
    """:func:`restore_csms`, with the ``reset`` action and one more try when it fails."""

    async def restore(again: bool) -> None:
        await restore_csms(station, case=case, previous=previous)

    await _or_reset(restore, sut, station.between)


async def restore_station(
    csms: CsmsPeer,
    sut: SutActions,
    *,
    case: str,
    previous: str,
    wait_s: float,
    after_reset: bool = False,
) -> None:
    """Part 6 §2.1 for a station under test; :class:`Inconclusive` when it cannot be met.
    ``after_reset``: the whole ``wait_s`` even if the station was unreachable before."""
    csms.enter_between(
        f"preconditions of {case} (OCA Part 6 §2.1): booted, no transaction, connectors "
        "Available, configuration restored"
    )
    short = csms.unreachable is not None and not after_reset
    wait = min(wait_s, UNREACHABLE_RETRY_S) if short else wait_s
    why = await csms.booted_within(wait)
    if why is not None:
        raise Inconclusive(
            f"precondition not met: the station is not booted ({why}){_after(previous)}"
        )
    state = csms.state
    for tx_id, where in list(state.transactions.items()):
        await _stop_transaction(csms, tx_id)
        if where is not None:
            await sut.unplug(*where)
    for where, status in state.not_available().items():
        if status in OCCUPIED:
            await sut.unplug(*where)
        elif status == "Unavailable":
            await _make_operative(csms, where)
    if csms.config.changed:
        await csms.restore_config()
    await _settle(csms, csms.action_s)
    # a change scheduled for a transaction's end (G03.FR.05) shows only once it has ended
    late = [w for w, s in state.not_available().items() if s == "Unavailable"]
    for where in late:
        await _make_operative(csms, where)
    if late:
        await _settle(csms, csms.action_s)
    problems = [f"EVSE {e} connector {c} {s}" for (e, c), s in state.not_available().items()]
    problems += [f"transaction {tx} still open" for tx in state.transactions]
    problems += csms.config.unrestored
    if problems:
        raise Inconclusive(f"precondition not met: {'; '.join(problems)}{_after(previous)}")


async def _settle(csms: CsmsPeer, within_s: float) -> None:
    """Wait (bounded) for the station to report every connector Available, no transaction."""
    deadline = time.monotonic() + within_s
    state = csms.state
    with waiting("the station to report every connector Available, no transaction", within_s):
        while (state.not_available() or state.transactions) and time.monotonic() < deadline:  # noqa: ASYNC110 - state changes come from many frames, polled
            await asyncio.sleep(0.05)


async def _stop_transaction(csms: CsmsPeer, tx_id: str) -> None:
    """Ask the station to stop a transaction left open (2.x F03 / 1.6 §5.12)."""
    payload: dict[str, object] = {"transactionId": tx_id}
    action = "RequestStopTransaction"
    if csms.version == "1.6":
        action, payload = "RemoteStopTransaction", {"transactionId": int(tx_id)}
    # checked afterwards: a transaction still open is the reason the precondition is not met
    with contextlib.suppress(SutFailure, ValueError):
        await csms.call_payload(action, payload, req="precondition: no transaction")


async def _make_operative(csms: CsmsPeer, where: Where) -> None:
    """ChangeAvailability Operative for a connector left Unavailable (2.x G03 / 1.6 §5.2)."""
    if csms.version == "1.6":
        number = next((n for n, w in csms.state.numbering.items() if w == where), where[1])
        payload: dict[str, object] = {"connectorId": number, "type": "Operative"}
    else:
        payload = {
            "operationalStatus": "Operative",
            "evse": {"id": where[0], "connectorId": where[1]},
        }
    with contextlib.suppress(SutFailure):
        await csms.call_payload(
            "ChangeAvailability", payload, req="precondition: connectors Available"
        )


async def restore_csms(station: StationPeer, *, case: str, previous: str) -> None:
    """Part 6 §3.1 for a CSMS under test: the harness station connected, booted and Accepted,
    its connectors Available, no transaction of its own left open; :class:`Inconclusive`
    otherwise."""
    station.enter_between(
        f"preconditions of {case} (OCA Part 6 §3.1): connected, booted and Accepted, "
        "connectors Available, no transaction"
    )
    try:
        await station.ensure_ready()
    except SutFailure as exc:
        raise Inconclusive(
            f"precondition not met: {exc.requirement.removeprefix('precondition: ')}: "
            f"{exc.actual}{_after(previous)}"
        ) from None
