"""OCPP 2.0.1/2.1 meter values at the reference CSMS (functional block J): MeterValues is
answered (J01.FR.18) and so is a TransactionEvent carrying meter data (J02.FR.19); the readings
of a transaction are kept by :func:`harness.reference.csms.handlers_v2.transaction_event`.

Seeded faults: ``csms-metervalues-error`` and ``csms-tx-meter-data-error``
(:mod:`harness.reference.faults_ej`).
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.handlers_common import Refusal
from harness.reference.csms.records import CsmsState, StationRecord


def meter_values(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """J01.FR.18: MeterValues is answered (an empty MeterValuesResponse)."""
    if "csms-metervalues-error" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the meter values could not be stored")
    return {}


def refuse_meter_data(state: CsmsState, payload: dict[str, Any]) -> None:
    """Under ``csms-tx-meter-data-error`` a TransactionEvent with meterValue is refused."""
    if payload.get("meterValue") and "csms-tx-meter-data-error" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the meter data could not be stored")
