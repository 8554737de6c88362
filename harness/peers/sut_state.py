"""What the harness CSMS knows of the station under test across cases: boot, connectors,
transactions. Followed from the frames the station sends and the answers the harness gives, so
the OCA general preconditions (Part 6 §2.1: booted and Accepted, no transaction, connectors
Available) can be checked and restored before every case (:mod:`harness.peers.preconditions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.frames import Call

#: Connector states that mean "an EV or a session is there" (2.x ConnectorStatusEnum, 1.6
#: ChargePointStatus): unplugging is what brings them back to Available.
OCCUPIED = frozenset(
    {"Occupied", "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing"}
)
Where = tuple[int, int]


@dataclass
class StationState:
    """The station's state as its own messages report it."""

    version: str
    #: 1.6 connector number -> (EVSE id, connector id) of the SUT profile (numbered in order).
    numbering: dict[int, Where] = field(default_factory=dict)
    #: "unknown" (no BootNotification seen), "rebooting" (a reboot or reset was asked for and no
    #: BootNotification came yet), "booting" (one unanswered), or the status given.
    boot: str = "unknown"
    connectors: dict[Where, str] = field(default_factory=dict)
    #: Open transactions: id -> where (None when the station did not say).
    transactions: dict[str, Where | None] = field(default_factory=dict)

    @property
    def v16(self) -> bool:
        return self.version == "1.6"

    def expect_reboot(self) -> None:
        """A reboot was asked for (an operator action, or a Reset the station accepted)."""
        self.boot = "rebooting"

    def not_available(self) -> dict[Where, str]:
        """Connectors whose last reported state is not Available."""
        return {where: s for where, s in self.connectors.items() if s != "Available"}

    # -- following the station ----------------------------------------------------------------
    def observe_call(self, call: Call) -> None:
        """A CALL the station sent."""
        payload = call.payload
        action = call.action
        if action == "BootNotification":
            self.boot = "booting"
            self.transactions.clear()  # a rebooting station ends or loses what was open
        elif action == "StatusNotification":
            self._status(payload)
        elif action == "NotifyEvent":
            self._availability_events(payload)
        elif action == "TransactionEvent":
            info = payload.get("transactionInfo") or {}
            tx_id = str(info.get("transactionId", ""))
            if payload.get("eventType") == "Ended":
                self.transactions.pop(tx_id, None)
            elif tx_id:
                evse = payload.get("evse") or {}
                where = (int(evse["id"]), int(evse.get("connectorId", 1))) if "id" in evse else None
                if where is not None or tx_id not in self.transactions:
                    self.transactions[tx_id] = where
        elif action == "StopTransaction":
            self.transactions.pop(str(payload.get("transactionId", "")), None)

    def observe_reply(self, call: Call, payload: dict[str, Any] | None) -> None:
        """The answer the harness gave to ``call`` (None: a CALLERROR)."""
        if call.action == "BootNotification":
            self.boot = str((payload or {}).get("status", "unknown"))
        elif call.action == "StartTransaction" and payload and "transactionId" in payload:
            connector = int(call.payload.get("connectorId", 0))
            self.transactions[str(payload["transactionId"])] = self.numbering.get(connector)

    def _status(self, payload: dict[str, Any]) -> None:
        if self.v16:
            number = int(payload.get("connectorId", 0))
            where = self.numbering.get(number)
            if where is not None:
                self.connectors[where] = str(payload.get("status", ""))
            return
        where = (int(payload.get("evseId", 0)), int(payload.get("connectorId", 0)))
        if where[0] > 0:
            self.connectors[where] = str(payload.get("connectorStatus", ""))

    def _availability_events(self, payload: dict[str, Any]) -> None:
        """2.x connectors may report their state as Connector.AvailabilityState events."""
        for event in payload.get("eventData") or []:
            component = event.get("component") or {}
            if component.get("name") != "Connector":
                continue
            if (event.get("variable") or {}).get("name") != "AvailabilityState":
                continue
            evse = component.get("evse") or {}
            if "id" in evse:
                where = (int(evse["id"]), int(evse.get("connectorId", 1)))
                self.connectors[where] = str(event.get("actualValue", ""))


def numbering(evses: list[tuple[int, int]]) -> dict[int, Where]:
    """1.6 connector numbers of a profile's ``evses`` [(id, connectors)], counted in order."""
    out: dict[int, Where] = {}
    number = 0
    for evse_id, count in evses:
        for connector in range(1, count + 1):
            number += 1
            out[number] = (evse_id, connector)
    return out
