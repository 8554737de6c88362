"""What the reference CSMS remembers: stations, transactions, its token list and its policy.

One :class:`CsmsState` is shared by the connection layer, the message handlers and the operator
commands; it holds no sockets, so the handlers are plain functions over it. Records are the
inspection surface of the self-tests (``csms.stations["CS1"].boot_status``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.reference.csms import block_c
from harness.reference.csms.block_c import TokenEntry

#: Registration statuses a CSMS may answer a BootNotification with (1.6 §7.43, 2.0.1 B01-B03).
BOOT_STATUSES = ("Accepted", "Pending", "Rejected")

TransactionId = int | str


@dataclass
class StationRecord:
    """One charging station as the CSMS knows it; kept across reconnections.

    ``connectors`` maps ``(evse_id, connector_id)`` to the last reported status. OCPP 1.6 has no
    EVSE level: its connector ``n`` is recorded as ``(n, 1)`` and connector 0 (the whole charge
    point) as ``(0, 0)``.
    """

    identity: str
    connected: bool = False
    subprotocol: str | None = None
    connections: int = 0
    boot_status: str | None = None
    boot_count: int = 0
    boot_request: dict[str, Any] = field(default_factory=dict)
    last_heartbeat: datetime | None = None
    connectors: dict[tuple[int, int], str] = field(default_factory=dict)
    security_events: list[str] = field(default_factory=list)
    #: Actions the CSMS asked for with TriggerMessage before the station was Accepted (B02).
    triggered: set[str] = field(default_factory=set)
    #: The CSRs of the station's SignCertificateRequests (A02/A03), oldest first.
    csrs: list[str] = field(default_factory=list)
    #: L01: (requestId, status) of every FirmwareStatusNotification, oldest first.
    firmware_statuses: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.boot_status == "Accepted"


@dataclass
class MeterReading:
    """One energy register reading (Wh) with the time the station took it."""

    timestamp: str
    wh: float


@dataclass
class TransactionRecord:
    """One transaction: who, where, which token, the energy register at start and at the end.

    ``transaction_id`` is the wire id: an int the CSMS assigned (1.6) or the station's string
    (2.x). ``energy_wh`` is the register difference between the first and last reading.
    """

    transaction_id: TransactionId
    identity: str
    token: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None
    status: str = "Active"  # "Active" | "Ended"
    meter_start_wh: float | None = None
    meter_stop_wh: float | None = None
    started_at: str | None = None
    stopped_at: str | None = None
    stopped_reason: str | None = None
    remote_start_id: int | None = None
    seq_nos: list[int] = field(default_factory=list)
    readings: list[MeterReading] = field(default_factory=list)

    @property
    def energy_wh(self) -> float | None:
        if self.meter_start_wh is None or self.meter_stop_wh is None:
            return None
        return self.meter_stop_wh - self.meter_start_wh

    def add_readings(self, readings: Iterable[MeterReading]) -> None:
        """Keep readings ordered by the station's timestamps; start/stop follow first/last."""
        self.readings.extend(readings)
        if not self.readings:
            return
        self.readings.sort(key=lambda r: _instant(r.timestamp))
        self.meter_start_wh = self.readings[0].wh
        self.meter_stop_wh = self.readings[-1].wh


def _instant(stamp: str) -> float:
    """Seconds since the epoch of an RFC 3339 timestamp; unparsable ones sort first."""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("-inf")


@dataclass
class CsmsState:
    """Policy and memory of one reference CSMS instance."""

    version: str
    faults: frozenset[str]
    valid_tokens: tuple[str, ...]
    boot_status: str = "Accepted"
    #: Block C token list: casefolded idToken -> status and group (:mod:`.block_c`).
    token_table: dict[str, TokenEntry] = field(default_factory=dict)
    heartbeat_interval: int = 60
    #: Legal variants seeded into this CSMS (``harness.reference.variants``).
    variants: frozenset[str] = frozenset()
    stations: dict[str, StationRecord] = field(default_factory=dict)
    transactions: dict[TransactionId, TransactionRecord] = field(default_factory=dict)
    #: Responses the CSMS could not build correctly (a bug of the reference, never the SUT's).
    internal_errors: list[str] = field(default_factory=list)
    #: One entry per bill issued, the transaction's id (a transaction ends billed once: the
    #: ``transaction_records`` action reports them, :mod:`harness.reference.csms.block_ej`).
    billed: list[TransactionId] = field(default_factory=list)
    #: The last TransactionEvent seqNo each station sent (only the seeded fault
    #: ``csms-tx-seqno-reset-refused`` looks at it).
    last_seq_no: dict[str, int] = field(default_factory=dict)
    _tx_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _remote_start_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def station(self, identity: str) -> StationRecord:
        record = self.stations.get(identity)
        if record is None:
            record = self.stations[identity] = StationRecord(identity)
        return record

    def next_transaction_id(self) -> int:
        """1.6 StartTransaction: the CSMS assigns transaction ids, increasing from 1."""
        return next(self._tx_ids)

    def next_remote_start_id(self) -> int:
        """2.x RequestStartTransaction.remoteStartId, increasing from 1 (F01/F02)."""
        return next(self._remote_start_ids)

    def token_known(self, token: str) -> bool:
        """IdTokens are case insensitive (1.6 §7.28 IdToken, 2.0.1 IdTokenType.idToken)."""
        wanted = token.casefold()
        return any(wanted == valid.casefold() for valid in self.valid_tokens)

    def token_status(self, token: str, *, token_type: str | None = None) -> str:
        """AuthorizationStatus for ``token`` per the token list.

        An unknown token is ``Invalid`` in 1.6 (whose Invalid means "identifier is unknown") and
        ``Unknown`` in 2.x (C01: the CSMS has never seen it; TC_C_02_CSMS accepts Invalid or
        Unknown). A 2.x ``NoAuthorization`` token carries no identity to check and is accepted.
        """
        if "csms-accepts-unknown-token" in self.faults:
            return "Accepted"
        listed = block_c.listed_status(self.faults, self.token_table, token)
        if listed is not None:
            return listed
        if token_type == "NoAuthorization" or self.token_known(token):
            return "Accepted"
        return "Invalid" if self.version == "1.6" else "Unknown"

    def id_token_info(self, token: str, status: str) -> dict[str, Any]:
        """IdTokenInfoType for ``token`` answered with ``status`` (its group: C09.FR.02)."""
        return block_c.id_token_info(self.faults, self.token_table, token, status)

    def transaction_token_status(self, token: str, *, token_type: str | None = None) -> str:
        """Token status inside a transaction message (StartTransaction / TransactionEvent)."""
        if "csms-tx-rejects-valid-token" in self.faults:
            return "Invalid"
        return self.token_status(token, token_type=token_type)
