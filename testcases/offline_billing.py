"""Offline transaction delivery, CSMS under test (issue 12): the harness station's view of the
CSMS's bills, through the read-only SUT action ``transaction_records``.

A CSMS that reports its records (the built-in reference; a real one through a shell or HTTP
action answering a JSON list) must hold exactly one bill per transaction once it ended, whatever
was re-sent, with the energy the station metered: the last register reading minus the first.
The answer is a JSON list of objects with ``energyWh`` (or an object holding it as ``records``,
or as ``result``: the reference's control API, ``ocpp-harness reference csms``). Without the
action (or with the manual operator, who cannot hand a list back) the billing check is
NOT-APPLICABLE and noted in the trace; the case's verdict then rests on the CSMS's answers.
"""

from __future__ import annotations

import json
from typing import Any

from harness import StationPeer, SutActions
from harness.checks import require

#: Energy readings compare to the Wh (the harness sends whole Wh).
TOLERANCE_WH = 0.5


def _records(answer: Any) -> list[dict[str, Any]] | None:
    """The action's answer as a list of record objects; None when it is no such list."""
    if isinstance(answer, (str, bytes)):
        try:
            answer = json.loads(answer)
        except ValueError:
            return None
    if isinstance(answer, dict):  # {"records": [...]}, or the reference's control API's result
        answer = answer.get("records", answer.get("result"))
    if not isinstance(answer, list) or not all(isinstance(r, dict) for r in answer):
        return None
    return answer


async def billed_once(
    sut: SutActions,
    station: StationPeer,
    transaction_id: str | int,
    energy_wh: float,
    *,
    req: str,
    energy_req: str,
) -> None:
    """The CSMS holds one bill for ``transaction_id`` (``req`` names "billed once"), its energy
    ``energy_wh`` (``energy_req``); nothing is checked when the CSMS does not report bills."""
    records = _records(await sut.transaction_records(transaction_id))
    if records is None:
        station.trace.event(
            f"billing of {transaction_id} not checked: the CSMS does not report its records "
            "(SUT action transaction_records not configured, or its answer is no JSON list)"
        )
        return
    require(
        len(records) == 1,
        req=req,
        expected=f"exactly one billing record of transaction {transaction_id}",
        actual=f"{len(records)} records: {json.dumps(records)[:300]}",
    )
    energy = records[0].get("energyWh")
    require(
        isinstance(energy, (int, float)) and abs(float(energy) - energy_wh) <= TOLERANCE_WH,
        req=energy_req,
        expected=f"energyWh {energy_wh:g} (last reading minus first)",
        actual=f"energyWh {energy!r}",
    )
