"""OCPP 1.6 reservations of the reference charge point (1.6 §3.11, §5.1, §5.13, §9.3; feature
profile Reservation).

ReserveNow (§5.13): Rejected while the charge point is configured not to accept reservations
(SUT action refuse_reservations); a known reservationId is replaced; otherwise a specific connector that is
Faulted (SUT action set_connector_faulted) answers Faulted, one Unavailable answers Unavailable, one in use (a transaction, a cable, a waiting idTag, Finishing)
or reserved answers Occupied, else Accepted and the connector is Reserved. connectorId 0 is
Rejected unless ReserveConnectorZeroSupported (true here; false under the legal variant
``no-reserve-connector-zero``); then Faulted when every connector is,
Unavailable when the charge point is, Occupied when no connector is free, else Accepted and one connector is kept for the idTag.
While a reservation holds, only its idTag or an idTag whose parentIdTag (from the Authorize
answer) is the reservation's parent may start on the reserved connector (on any for connector 0),
and that StartTransaction carries the reservationId and ends the reservation. A reservation also
ends at its expiryDate (the connector reported Available), on CancelReservation (§5.1: Accepted
for a known reservationId, else Rejected) and when its connector or the charge point becomes
Unavailable.

Seeded faults (:mod:`harness.reference.faults_v16_reservation`): ``cp16-reservation-id-missing``,
``cp16-reservation-not-enforced``, ``cp16-reservation-never-expires``,
``cp16-reserve-occupied-accepted``, ``cp16-reserve-unavailable-accepted``,
``cp16-reserve-faulted-accepted``, ``cp16-reserve-refused-accepted``,
``cp16-cancel-reservation-kept``, ``cp16-cancel-unknown-accepted``, ``cp16-parent-id-ignored``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.reference.station.config16 import Key
from harness.reference.station.model import Connector, Outgoing, Payload, Reply
from harness.reference.station.v16_auth import add_feature_profile

if TYPE_CHECKING:
    from harness.reference.station.v16 import V16


@dataclass(slots=True)
class Reservation16:
    id: int
    connector: int  # 0: any connector of the charge point
    id_tag: str
    parent: str | None
    timer: asyncio.TimerHandle | None = None


class Reservations16:
    """The reservations, ReserveNow and CancelReservation, and what a transaction start asks."""

    def __init__(self, v16: V16) -> None:
        self.v16 = v16
        self.faults = v16.st.faults
        zero = "false" if "no-reserve-connector-zero" in v16.st.variants else "true"
        key = Key("ReserveConnectorZeroSupported", zero, readonly=True, kind="bool")
        v16.config.keys.setdefault(key.name, key)
        add_feature_profile(v16.config.keys, "Reservation")
        self.held: dict[int, Reservation16] = {}
        #: parentIdTag of an idTag as the last Authorize answer gave it (§5.13).
        self.parents = v16.txe.parent_of
        v16.txe.admit = self.admits
        v16.txe.claim = self.claim

    def handlers(self, existing: dict[str, Callable[[Payload], Reply]]) -> dict[str, Any]:
        """ReserveNow, CancelReservation, and ChangeAvailability ending the reservations of
        what it makes Unavailable (§5.13)."""
        change = existing["ChangeAvailability"]

        return {
            "ReserveNow": self._reserve,
            "CancelReservation": self._cancel,
            "ChangeAvailability": lambda p: change(p).and_then(self.unavailable),
        }

    # -- what the status and the transactions ask --------------------------------------------
    def reserved(self, c: Connector) -> bool:
        """The connector shows Reserved (§4.9)."""
        return any(r.connector == c.number for r in self.held.values())

    def _matches(self, r: Reservation16, tag: str) -> bool:
        if r.id_tag == tag:
            return True
        parent = self.parents.get(tag)
        ignored = "cp16-parent-id-ignored" in self.faults
        return not ignored and r.parent is not None and parent == r.parent

    def _own(self, c: Connector, tag: str) -> Reservation16 | None:
        """The reservation ``tag`` may use on ``c`` (None: none)."""
        for r in self.held.values():
            if r.connector in (0, c.number) and self._matches(r, tag):
                return r
        return None

    def admits(self, c: Connector, tag: str) -> bool:
        """§5.13: charging is refused on a connector reserved for another idTag, and for
        connector-0 reservations as long as a free connector must stay for them."""
        if self._own(c, tag) is not None or "cp16-reservation-not-enforced" in self.faults:
            return True
        if self.reserved(c):
            return False
        whole = [r for r in self.held.values() if r.connector == 0]
        free = [x for x in self._free() if x is not c]
        return len(free) >= len(whole)

    def claim(self, c: Connector, tag: str) -> int | None:
        """A transaction starts for ``tag`` on ``c``: its reservation ends; the reservationId
        StartTransaction carries (None: none)."""
        r = self._own(c, tag)
        if r is None:
            return None
        self._end(r)
        return None if "cp16-reservation-id-missing" in self.faults else r.id

    def unavailable(self) -> None:
        """§5.13: a reservation ends when its connector or the charge point goes Unavailable."""
        for r in list(self.held.values()):
            c = self.v16.hw.by_number(r.connector)
            gone = not self.v16.station_operative or (c is not None and not c.operative)
            if gone:
                self._end(r)

    # -- Central System commands --------------------------------------------------------------
    def _free(self) -> list[Connector]:
        txe = self.v16.txe
        return [
            c
            for c in self.v16.hw.connectors()
            if txe.can_start(c) and not (c.plugged or c.finished or c.faulted or self.reserved(c))
        ]

    def _reserve(self, p: Payload) -> Reply:
        """§5.13 ReserveNow.conf (ReservationStatus §7.40)."""
        rid, number = int(p["reservationId"]), int(p["connectorId"])
        refused = self.v16.st.reservations_refused
        if refused and "cp16-reserve-refused-accepted" not in self.faults:
            return Reply({"status": "Rejected"})  # configured not to accept reservations
        old = self.held.get(rid)
        if old is not None:
            self._end(old, report=False)
        status = self._refusal(number)
        if status is not None:
            return Reply({"status": status})
        r = Reservation16(rid, number, p["idTag"], p.get("parentIdTag"))
        self.held[rid] = r
        if "cp16-reservation-never-expires" not in self.faults:
            delay = (_parse(p["expiryDate"]) - datetime.now(UTC)).total_seconds()
            loop = asyncio.get_running_loop()
            r.timer = loop.call_later(max(0.0, delay), self._expired, r)
        return Reply({"status": "Accepted"}, then=lambda: self._accepted(r))

    def _accepted(self, r: Reservation16) -> None:
        """After the ReserveNow answer: the Reserved status, and with the legal variant
        ``reservation-authorizes`` an Authorize of the idTag (§5.13 RECOMMENDED)."""
        self.v16.st.refresh_status()
        if "reservation-authorizes" not in self.v16.st.variants:
            return

        def answered(result: Payload) -> None:
            parent = result.get("idTagInfo", {}).get("parentIdTag")
            if parent:
                self.parents[r.id_tag] = parent

        self.v16.st.send(Outgoing.fixed("Authorize", {"idTag": r.id_tag}, on_result=answered))

    def _refusal(self, number: int) -> str | None:
        """Why connector ``number`` (0: the charge point) cannot be reserved (None: it can)."""
        unavailable_ok = "cp16-reserve-unavailable-accepted" in self.faults
        occupied_ok = "cp16-reserve-occupied-accepted" in self.faults
        faulted_ok = "cp16-reserve-faulted-accepted" in self.faults
        if number == 0:
            if not self.v16.config.get_bool("ReserveConnectorZeroSupported"):
                return "Rejected"
            if all(c.faulted for c in self.v16.hw.connectors()) and not faulted_ok:
                return "Faulted"
            if not self.v16.station_operative and not unavailable_ok:
                return "Unavailable"
            if not self._free() and not occupied_ok:
                return "Occupied"
            return None
        c = self.v16.hw.by_number(number)
        if c is None:
            return "Rejected"
        if c.faulted and not faulted_ok:
            return "Faulted"
        if (not c.operative or not self.v16.station_operative) and not unavailable_ok:
            return "Unavailable"
        if c not in self._free() and not occupied_ok:
            return "Occupied"
        return None

    def _cancel(self, p: Payload) -> Reply:
        """§5.1: Accepted (and the reservation ends) for a known reservationId, else Rejected."""
        r = self.held.get(int(p["reservationId"]))
        if r is None:
            known = "cp16-cancel-unknown-accepted" in self.faults
            return Reply({"status": "Accepted" if known else "Rejected"})
        if "cp16-cancel-reservation-kept" not in self.faults:
            self._end(r)
        return Reply({"status": "Accepted"})

    # -- ending -------------------------------------------------------------------------------
    def _expired(self, r: Reservation16) -> None:
        r.timer = None
        if self.held.get(r.id) is r:
            self._end(r)

    def _end(self, r: Reservation16, *, report: bool = True) -> None:
        if r.timer is not None:
            r.timer.cancel()
        self.held.pop(r.id, None)
        if report:
            self.v16.st.refresh_status()


def _parse(text: str) -> datetime:
    stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
