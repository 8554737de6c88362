"""OCA block H (Reservation) of the 2.0.1/2.1 reference station: ReserveNow (H01),
CancelReservation (H02), using a reservation (H03) and its end (H04), with ReservationCtrlr
(Part 2 Appendix 3: Enabled ReadWrite true, Available and NonEvseSpecific ReadOnly true; the legal
variant ``reservation-evse-specific-only`` has NonEvseSpecific false).

* ReserveNow: Rejected while ReservationCtrlr.Enabled is false (H01.FR.01); a known id replaces
  that reservation (H01.FR.02). With an evseId: Rejected for an unknown EVSE, Unavailable when it
  is inoperative (H01.FR.14), Occupied when it is reserved, has a cable, a transaction or a waiting
  authorization (H01.FR.11/13), else Accepted and its connectors are reported Reserved
  (H01.FR.23). Without one: Rejected unless NonEvseSpecific (H01.FR.18/19), Unavailable when no
  EVSE is operative, Occupied when no free EVSE is left for it, else Accepted (H01.FR.04); once
  the unspecified reservations take every free EVSE, those are reported Reserved (H01.FR.20).
  With a connectorType (H01 S3, PICS R-1): Rejected unless a connector has that type (every
  connector of the reference is :data:`CONNECTOR_TYPE`, Connector.ConnectorType), otherwise as
  a reservation of any EVSE with such a connector (H01.FR.06/09/24), whatever NonEvseSpecific
  says.
* Charging on a reserved EVSE (:meth:`Reservations.admits`): only the reservation's idToken or,
  when it has a groupIdToken, an idToken of that group (from the Authorize answer; H03.FR.01/04,
  .06/.08); an unspecified reservation keeps one free EVSE for its idToken (H01.FR.07). The
  transaction that uses a reservation carries its reservationId once (H01.FR.15); the
  reservation is consumed and the connector shows Available or Occupied (H03.FR.09/10). A
  RequestStartTransaction for another idToken on a reserved EVSE is Rejected (F01.FR.21/22).
* A reservation ends at its expiryDateTime with ReservationStatusUpdate Expired (H04.FR.01) and
  the connectors Available (H04.FR.03); when its EVSE becomes Unavailable, with
  ReservationStatusUpdate Removed (H01.FR.17); on CancelReservation: Accepted for a known id
  (H02.FR.02), else Rejected (H02.FR.01).

Seeded faults: :mod:`harness.reference.faults_h`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.reference.station.devmodel import Variable
from harness.reference.station.model import Connector, Evse, Outgoing, Payload, Reply

if TYPE_CHECKING:
    from harness.reference.station.v2 import V2

COMPONENT = "ReservationCtrlr"
#: The legal variant of a station that reserves specific EVSEs only (PICS R-2 not declared).
SPECIFIC_ONLY = "reservation-evse-specific-only"
#: The type of every connector of the reference (its Connector.ConnectorType).
CONNECTOR_TYPE = "cType2"


@dataclass(slots=True)
class Reservation:
    id: int
    evse_id: int | None  # None: any EVSE (H01 S1)
    id_token: str
    group: str | None
    timer: asyncio.TimerHandle | None = None


class Reservations:
    """The reservations of the station, the two CSMS commands and what a start asks of them."""

    def __init__(self, v2: V2) -> None:
        self.v2 = v2
        self.faults = v2.st.faults
        self.held: dict[int, Reservation] = {}
        self.non_specific = SPECIFIC_ONLY not in v2.st.variants

    def variables(self) -> list[Variable]:
        flag = "true" if self.non_specific else "false"
        return [
            Variable(COMPONENT, "Enabled", "boolean", "true"),
            Variable(COMPONENT, "Available", "boolean", "true", mutability="ReadOnly"),
            Variable(COMPONENT, "NonEvseSpecific", "boolean", flag, mutability="ReadOnly"),
        ]

    def handlers(self, existing: dict[str, Any]) -> dict[str, Any]:
        """ReserveNow, CancelReservation, and ChangeAvailability removing the reservations of
        what it makes Unavailable (H01.FR.17)."""
        change = existing["ChangeAvailability"]

        return {
            "ReserveNow": self._reserve,
            "CancelReservation": self._cancel,
            "ChangeAvailability": lambda p: change(p).and_then(self._unavailable),
        }

    @property
    def enabled(self) -> bool:
        try:
            return self.v2.dm.get_bool(COMPONENT, "Enabled")
        except KeyError:
            return True

    # -- what the status and the transactions ask -------------------------------------------------
    def _free(self, evse: Evse) -> bool:
        """Operative, no cable, no transaction, no waiting authorization."""
        txe = self.v2.txe
        busy = evse.plugged_connector() is not None or evse.id in txe.tx or evse.id in txe.held
        return evse.operative and not busy

    def _specific(self) -> set[int]:
        return {r.evse_id for r in self.held.values() if r.evse_id is not None}

    def _open(self) -> list[Evse]:
        """Free EVSEs without a reservation of their own: what unspecified ones can take."""
        taken = self._specific()
        return [e for e in self.v2.hw.evses.values() if self._free(e) and e.id not in taken]

    def _unspecified(self) -> list[Reservation]:
        return [r for r in self.held.values() if r.evse_id is None]

    def reserved_evses(self) -> set[int]:
        """EVSEs shown Reserved: the specific reservations' and, once the unspecified ones take
        every open EVSE, those too (H01.FR.20)."""
        evses, open_, waiting = self._specific(), self._open(), len(self._unspecified())
        shown = "reservation-nonspecific-not-shown" not in self.faults
        if waiting and waiting >= len(open_) and shown:
            evses |= {e.id for e in open_}
        return evses

    def status(self, c: Connector, base: str) -> str:
        """A connector's status with the reservations: Reserved instead of Available."""
        if base != "Available" or "reservation-status-not-reserved" in self.faults:
            return base
        return "Reserved" if c.evse_id in self.reserved_evses() else base

    def _matches(self, r: Reservation, token: str, group: str | None) -> bool:
        if r.id_token == token:
            return True
        ignored = "reservation-group-ignored" in self.faults
        return not ignored and r.group is not None and group == r.group

    def _own(self, evse_id: int, token: str, group: str | None) -> Reservation | None:
        specific = [r for r in self.held.values() if r.evse_id == evse_id]
        candidates = specific or self._unspecified()  # a reserved EVSE: only its own
        return next((r for r in candidates if self._matches(r, token, group)), None)

    def admits(self, evse_id: int, token: str, group: str | None) -> bool:
        """H03.FR.01/04/06: a reserved EVSE charges only for its reservation's idToken or group;
        H01.FR.07: unspecified reservations keep as many open EVSEs as they are."""
        if "reservation-not-enforced" in self.faults or self._own(evse_id, token, group):
            return True
        if evse_id in self._specific():
            return False
        others = [e for e in self._open() if e.id != evse_id]
        return len(others) >= len(self._unspecified())

    def claim(self, evse_id: int, token: str, group: str | None) -> int | None:
        """A transaction starts on ``evse_id`` for ``token``: its reservation is consumed
        (H03.FR.09/10) and its id returned for the TransactionEvent (H01.FR.15)."""
        r = self._own(evse_id, token, group)
        if r is None:
            return None
        if "reservation-kept-after-use" not in self.faults:
            self._end(r, None)
        return None if "reservation-id-missing" in self.faults else r.id

    def _unavailable(self) -> None:
        """H01.FR.17: a reservation whose EVSE (or, unspecified, every EVSE) is inoperative is
        removed."""
        if "reservation-kept-when-unavailable" in self.faults:
            return
        evses = self.v2.hw.evses
        for r in list(self.held.values()):
            gone = (
                not evses[r.evse_id].operative
                if r.evse_id is not None
                else not any(e.operative for e in evses.values())
            )
            if gone:
                self._end(r, "Removed")

    # -- CSMS commands -----------------------------------------------------------------------------
    def _reserve(self, p: Payload) -> Reply:
        """H01: ReserveNowResponse Accepted, Faulted, Occupied, Rejected or Unavailable."""
        if not self.enabled and "reservation-configured-off-accepted" not in self.faults:
            return _status("Rejected")  # H01.FR.01
        rid = int(p["id"])
        old = self.held.get(rid)
        if old is not None and "reservation-not-replaced" not in self.faults:
            self._end(old, None, report=False)  # H01.FR.02
        refusal = self._refusal(p.get("evseId"), p.get("connectorType"))
        if refusal is not None:
            return _status(refusal)
        group = (p.get("groupIdToken") or {}).get("idToken")
        r = Reservation(rid, p.get("evseId"), str(p["idToken"]["idToken"]), group)
        self.held[rid] = r
        if "reservation-never-expires" not in self.faults:
            delay = (_parse(p["expiryDateTime"]) - datetime.now(UTC)).total_seconds()
            loop = asyncio.get_running_loop()
            r.timer = loop.call_later(max(0.0, delay), self._expired, r)
        return Reply({"status": "Accepted"}, then=self.v2.st.refresh_status)

    def _refusal(self, evse_id: int | None, typed: str | None) -> str | None:
        """Why a reservation cannot be made (None: it can)."""
        faults = self.faults
        if evse_id is None:
            off = (
                not self.non_specific and "reservation-nonspecific-accepted-when-off" not in faults
            )
            off = off or "reservation-nonspecific-rejected" in faults  # H01.FR.19
            if typed is not None:  # H01.FR.06: any EVSE with a connector of the type
                off = typed != CONNECTOR_TYPE or "reservation-type-rejected" in faults
            if off:
                return "Rejected"
            evses = self.v2.hw.evses.values()
            if not any(e.operative for e in evses):
                return None if "reservation-unavailable-accepted" in faults else "Unavailable"
            if not any(self._free(e) for e in evses):  # H01.FR.13: all in use
                return None if "reservation-occupied-accepted" in faults else "Occupied"
            if len(self._open()) <= len(self._unspecified()):  # H01.FR.11: all reserved
                return None if "reservation-reserved-accepted" in faults else "Occupied"
            return None
        evse = self.v2.hw.evses.get(evse_id)
        if evse is None:
            return "Rejected"
        if not evse.operative:
            return None if "reservation-unavailable-accepted" in faults else "Unavailable"
        if evse_id in self._specific():
            return None if "reservation-reserved-accepted" in faults else "Occupied"
        if not self._free(evse):
            return None if "reservation-occupied-accepted" in faults else "Occupied"
        return None

    def _cancel(self, p: Payload) -> Reply:
        """H02.FR.01/02."""
        r = self.held.get(int(p["reservationId"]))
        if r is None:
            known = "reservation-cancel-unknown-accepted" in self.faults
            return _status("Accepted" if known else "Rejected")
        if "reservation-cancel-kept" not in self.faults:
            self._end(r, None)
        return _status("Accepted")

    # -- ending ------------------------------------------------------------------------------------
    def _expired(self, r: Reservation) -> None:
        r.timer = None
        if self.held.get(r.id) is r:
            self._end(r, "Expired")  # H04.FR.01/03

    def _end(self, r: Reservation, update: str | None, *, report: bool = True) -> None:
        """The reservation ends; ``update``: the ReservationStatusUpdate status to send."""
        if r.timer is not None:
            r.timer.cancel()
        self.held.pop(r.id, None)
        if update is not None:
            payload = {"reservationId": r.id, "reservationUpdateStatus": update}
            self.v2.st.send(Outgoing.fixed("ReservationStatusUpdate", payload))
        if report:
            self.v2.st.refresh_status()

    def power_lost(self) -> None:
        """B11.FR.05: a reboot keeps the reservations (their EVSEs Reserved again after the
        boot); the fault ``reservation-lost-on-reboot`` forgets them."""
        if "reservation-lost-on-reboot" in self.faults:
            for r in list(self.held.values()):
                self._end(r, None, report=False)


def _status(status: str) -> Reply:
    return Reply({"status": status})


def _parse(text: str) -> datetime:
    stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
