"""The CSMS-under-test side of N01 (retrieve a log) shared by the OCPP 2.0.1/2.1 cases
(:mod:`.test_n_diagnostics`) and the OCPP 1.6 security extension
(:mod:`testcases.v16.test_security_csms`): the harness station is asked for a log and reports
its upload."""

from __future__ import annotations

from typing import Any

from harness import StationPeer, SutActions
from harness.peers.exchange import InboundCall


async def csms_get_log(
    station: StationPeer,
    sut: SutActions,
    log_type: str,
    answer: str = "Accepted",
    *,
    req: str = "N01: the CSMS sends GetLogRequest",
) -> InboundCall:
    """The operator has the CSMS ask for ``log_type`` (action ``get_log``); the harness station
    answers the GetLogRequest (``req``: that it comes) with ``answer`` (a file name with it
    unless Rejected)."""
    station.hold("GetLog")
    await sut.get_log(log_type)
    request = await station.expect("GetLog", req=req)
    fields: dict[str, Any] = {} if answer == "Rejected" else {"filename": f"{log_type}.log"}
    await request.reply(status=answer, **fields)
    return request


async def log_status(
    station: StationPeer,
    status: str,
    request_id: Any,
    *,
    req: str = "N01: LogStatusNotification answered",
) -> None:
    """LogStatusNotification ``status`` for ``request_id``, answered by the CSMS (``req``)."""
    result = await station.call("LogStatusNotification", status=status, request_id=request_id)
    result.must(req=req)
