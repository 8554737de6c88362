"""The reference station's outbound queue on a reconnect (harness/reference/station/outbox.py):
connector states queued before the connection was lost are dropped, so that the current states
the station reports after the reconnect (G01/B04) are the last the CSMS hears; everything else
stays queued, in order."""

from __future__ import annotations

from typing import Any

from harness.reference.station.model import Outgoing
from harness.reference.station.outbox import Outbox


def _event(name: str) -> dict[str, Any]:
    return {"eventData": [{"variable": {"name": name}, "actualValue": "x"}]}


def test_reconnect_drops_only_queued_connector_states() -> None:
    outbox = Outbox()
    status = Outgoing.fixed("StatusNotification", {"connectorStatus": "Occupied"})
    availability = Outgoing.fixed("NotifyEvent", _event("AvailabilityState"))
    monitor = Outgoing.fixed("NotifyEvent", _event("Temperature"))
    tx = Outgoing.fixed("TransactionEvent", {"eventType": "Started"}, transactional=True)
    heartbeat = Outgoing.fixed("Heartbeat", {})
    outbox.put_all([status, tx, availability, monitor, heartbeat])
    assert outbox.drop_statuses() == 2
    assert list(outbox._items) == [tx, monitor, heartbeat]
    assert outbox.drop_statuses() == 0
