"""Shared state of the reference charging station: hardware, meter, transactions, queued messages.

The hardware is a list of EVSEs, each with connectors (OCPP 2.0.1 Part 1 §2.2, the 3-tier model).
OCPP 1.6 has no EVSE level: its connectors are numbered 1..n across the EVSEs in order (OCPP 1.6
§3.8: numbering starts at 1, without gaps), and ``Connector.number`` is that 1.6 ``connectorId``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.ocppj.errors import ErrorKind

Payload = dict[str, Any]

#: Power the simulated EV draws while charging (W); the energy register grows with it.
CHARGING_POWER_W = 11_000.0


def now_iso() -> str:
    """Current UTC time as OCPP writes it (RFC 3339, millisecond precision, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def wrong_token(token: str, limit: int) -> str:
    """A token that differs from ``token`` and fits ``limit`` characters (a seeded fault)."""
    if len(token) < limit:
        return token + "X"
    return token[:-1] + ("Y" if token.endswith("X") else "X")


@dataclass(slots=True)
class Meter:
    """An energy register (Wh) that grows at :data:`CHARGING_POWER_W` while energy flows."""

    wh: float = 0.0
    _since: float | None = None
    #: Energy (Wh) drawn in a wall-clock interval when a limit applies (block K sets it).
    energy_wh: Callable[[float, float], float] | None = None

    def read(self) -> float:
        if self._since is not None:
            now = time.monotonic()
            if self.energy_wh is None:
                self.wh += (now - self._since) * CHARGING_POWER_W / 3600.0
            else:
                wall = time.time()
                self.wh += self.energy_wh(wall - (now - self._since), wall)
            self._since = now
        return self.wh

    def flowing(self, on: bool) -> None:
        """Start or stop the energy flow (reading first, so nothing is lost)."""
        self.read()
        if on and self._since is None:
            self._since = time.monotonic()
        elif not on:
            self._since = None


@dataclass(eq=False, slots=True)
class Connector:
    """One connector: physical state (cable), administrative state (operative) and its meter."""

    evse_id: int
    connector_id: int
    number: int
    plugged: bool = False
    operative: bool = True
    #: Operative state to apply once the transaction on it ends (ChangeAvailability Scheduled).
    scheduled: bool | None = None
    meter: Meter = field(default_factory=Meter)
    #: 1.6: a transaction ended while the cable stays plugged (status Finishing).
    finished: bool = False
    #: 1.6: an idTag authorized (locally or remotely) that waits for the cable.
    pending_tag: str | None = None
    #: 1.6: the connector has an error (status Faulted; SUT action set_connector_faulted).
    faulted: bool = False
    #: 1.6: the cable lock is jammed (SUT action jam_connector_lock): locking and unlocking fail.
    lock_jammed: bool = False
    #: 1.6: locking the cable for a transaction failed (Faulted, ConnectorLockFailure, §7.6).
    lock_failed: bool = False


@dataclass(eq=False, slots=True)
class Evse:
    id: int
    connectors: dict[int, Connector]

    @property
    def operative(self) -> bool:
        return any(c.operative for c in self.connectors.values())

    def plugged_connector(self) -> Connector | None:
        return next((c for c in self.connectors.values() if c.plugged), None)


class Hardware:
    """The EVSEs and connectors of a station layout ``((evse id, connector count), ...)``."""

    def __init__(self, layout: Sequence[tuple[int, int]]) -> None:
        self.evses: dict[int, Evse] = {}
        number = 0
        for evse_id, count in layout:
            if evse_id < 1 or count < 1 or evse_id in self.evses:
                raise ValueError(f"invalid EVSE layout {tuple(layout)!r}")
            connectors = {}
            for connector_id in range(1, count + 1):
                number += 1
                connectors[connector_id] = Connector(evse_id, connector_id, number)
            self.evses[evse_id] = Evse(evse_id, connectors)
        if not self.evses:
            raise ValueError("a station needs at least one EVSE")

    def connectors(self) -> list[Connector]:
        return [c for evse in self.evses.values() for c in evse.connectors.values()]

    def connector(self, evse_id: int, connector_id: int) -> Connector:
        try:
            return self.evses[evse_id].connectors[connector_id]
        except KeyError:
            raise ValueError(f"no connector {connector_id} on EVSE {evse_id}") from None

    def evse(self, evse_id: int) -> Evse:
        try:
            return self.evses[evse_id]
        except KeyError:
            raise ValueError(f"no EVSE {evse_id}") from None

    def by_number(self, number: int) -> Connector | None:
        """The connector with 1.6 ``connectorId`` ``number`` (None if there is none)."""
        return next((c for c in self.connectors() if c.number == number), None)


@dataclass(eq=False, slots=True)
class Transaction:
    """One transaction. ``key`` is the 2.x transactionId (or a local id in 1.6, whose
    transactionId the Central System assigns: ``csms_id``)."""

    evse_id: int
    connector: Connector | None
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    id_token: str | None = None
    token_type: str = "ISO14443"
    authorized: bool = False
    remote_start_id: int | None = None
    remote_start_reported: bool = False
    connector_reported: bool = False
    seq_no: int = 0
    meter_start_wh: int = 0
    csms_id: int | None = None
    ended: bool = False
    #: 2.x H01.FR.15: the reservation this transaction used, sent once with its idToken.
    reservation_id: int | None = None
    #: When it started (POSIX s): the origin of a Relative charging profile (K01.FR.42).
    started: float = field(default_factory=time.time)

    def next_seq(self) -> int:
        """seqNo for the next TransactionEvent: 0, 1, 2... per transaction."""
        seq = self.seq_no
        self.seq_no += 1
        return seq


@dataclass(eq=False)
class Outgoing:
    """A CALL waiting in the outbound queue. ``build`` makes the payload when it is sent, so a
    1.6 StopTransaction queued before the StartTransaction's answer still gets its id."""

    action: str
    build: Callable[[], Payload]
    transactional: bool = False
    #: May be sent before the boot is Accepted (a message the CSMS triggered or asked for).
    pre_boot: bool = False
    on_result: Callable[[Payload], None] | None = None
    #: Runs when the message is given up (no valid answer, attempts exhausted).
    on_drop: Callable[[], None] | None = None
    tx_key: str | None = None
    attempts: int = 0
    not_before: float = 0.0

    @classmethod
    def fixed(cls, action: str, payload: Payload, **options: Any) -> Outgoing:
        return cls(action, lambda: payload, **options)


@dataclass(slots=True)
class Reply:
    """A handler's CALLRESULT payload, and what to do once it has been sent (e.g. F06.FR.04:
    the TriggerMessageResponse goes out before the message it triggers)."""

    payload: Payload
    then: Callable[[], None] | None = None

    def and_then(self, action: Callable[[], None]) -> Reply:
        """This reply, running ``action`` first once it has been sent, then its own follow-up."""
        after = self.then

        def then() -> None:
            action()
            if after is not None:
                after()

        return Reply(self.payload, then=then)


class CallRefused(Exception):
    """Answer the inbound CALL with a CALLERROR of ``kind``."""

    def __init__(self, kind: ErrorKind, description: str = "") -> None:
        super().__init__(description or kind.value)
        self.kind = kind
        self.description = description
