"""TriggerMessage at the reference station, OCPP 2.0.1/2.1 (F06, block F): which messages it
sends on request and when it declines.

Accepted, then the message after the answer (F06.FR.04); BootNotification once Accepted is
Rejected (F06.FR.17); StatusNotification needs an EVSE and a connector (F06.FR.12);
TransactionEvent needs a transaction; a message the station does not know is NotImplemented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.reference.station import block_fg
from harness.reference.station.block_ej import ENERGY
from harness.reference.station.model import Connector, Evse, Outgoing, Payload, Reply, now_iso

if TYPE_CHECKING:
    from harness.reference.station.v2 import V2

TRIGGERABLE = frozenset(
    {
        "BootNotification",
        "Heartbeat",
        "StatusNotification",
        "MeterValues",
        "TransactionEvent",
        "LogStatusNotification",
        "FirmwareStatusNotification",
    }
)


def handle(v2: V2, p: Payload) -> Reply:
    """F06: Accepted, then the message (after the answer, F06.FR.04); BootNotification once
    Accepted is Rejected (F06.FR.17); StatusNotification needs an EVSE and connector
    (F06.FR.12); TransactionEvent needs a transaction."""
    where = p.get("evse")
    evse = v2.hw.evses.get(where["id"]) if where is not None else None
    if where is not None and evse is None:
        return Reply({"status": "Rejected"})
    message = p["requestedMessage"]
    if message == "SignChargingStationCertificate" and v2.st.ssl_context is not None:
        return v2.certs.trigger()  # A02 (block_a_certs)
    if message not in TRIGGERABLE:
        unknown = "Rejected" if "trigger-unknown-rejected" in v2.st.faults else None
        return Reply({"status": unknown or "NotImplemented"})
    if "trigger-rejected" in v2.st.variants and message != "Heartbeat":
        return Reply({"status": "Rejected"})  # legal variant: F06.FR.05 (C-29.x dropped)
    action = block_fg.trigger_fault(v2.st, message) or _triggered(
        v2, message, evse, (where or {}).get("connectorId")
    )
    if action is None:
        return Reply({"status": "Rejected"})
    return Reply({"status": "Accepted"}, then=action)


def _triggered(
    v2: V2, message: str, evse: Evse | None, connector_id: int | None
) -> Callable[[], None] | None:
    """What to send for a TriggerMessage, or None if it cannot be sent (Rejected)."""
    evses = [evse] if evse is not None else list(v2.hw.evses.values())
    if message == "BootNotification":
        if "pending-ignores-trigger-boot" in v2.st.faults:
            return lambda: None
        return v2.st.trigger_boot if v2.st.boot_status != "Accepted" else None
    if message == "StatusNotification":
        if evse is None or connector_id not in evse.connectors:
            return None
        key = (evse.id, connector_id)
        if "trigger-connector-status-stale" in v2.st.faults:
            stale = v2.status_payload(key, "Available")
            return lambda: v2.st.send(Outgoing.fixed("StatusNotification", stale))
        return lambda: v2.st.send_status(key)
    if message == "TransactionEvent":
        running = [v2.txe.tx[e.id] for e in evses if e.id in v2.txe.tx]

        def events() -> None:
            for tx in running:
                v2.txe.trigger(tx)

        return events if running else None
    if message == "MeterValues":

        def meters() -> None:
            for e in evses:
                _meter_values(v2, e)

        return meters
    current = v2.np.log_status() if message == "LogStatusNotification" else None
    if message == "FirmwareStatusNotification":
        current = v2.fw.status_payload()  # L01.FR.25/26 (block_l)
    payload: Payload = (
        {} if message == "Heartbeat" else block_fg.idle_status(v2.st, message, current)
    )
    return lambda: v2.st.send(Outgoing.fixed(message, payload, pre_boot=True))


def _meter_values(v2: V2, evse: Evse) -> None:
    c = next(iter(evse.connectors.values()))
    tx = v2.txe.tx.get(evse.id)
    meter = tx.connector if tx is not None and tx.connector is not None else c
    context = block_fg.trigger_context(v2.st)
    payload = {"evseId": evse.id, "meterValue": [meter_value(meter, context)]}
    v2.st.send(Outgoing.fixed("MeterValues", payload, pre_boot=True))


def meter_value(c: Connector, context: str) -> Payload:
    """A MeterValue of the connector's energy register, taken now (F06: triggered)."""
    return {
        "timestamp": now_iso(),
        "sampledValue": [
            {
                "value": int(c.meter.read()),
                "context": context,
                "measurand": ENERGY,
                "unitOfMeasure": {"unit": "Wh"},
            }
        ],
    }
