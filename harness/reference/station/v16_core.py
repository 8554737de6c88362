"""OCPP 1.6J Core commands of the reference charge point, and the seeded faults of the 1.6 Core
cases (test case document sections 01-14, 16, 17, 24; :mod:`harness.reference.faults_v16_core`).

Reset (1.6 §5.14): Accepted, the ongoing transactions stopped (reason HardReset/SoftReset), then a
reboot. UnlockConnector (§5.18, errata 3.87): a transaction on the connector is finished first
(reason UnlockCommand), then Unlocked; an unknown connectorId is NotSupported.
Another idTag of the same group (parentIdTag, §3.10) stops a transaction after its Authorize.
RemoteStartTransaction (§5.11, §6.33: connectorId > 0) and RemoteStopTransaction (§5.12) are the
:class:`~harness.reference.station.v16.V16` handlers, wrapped here only for the faults.

Faults: ``cp16-reset-accepted-no-reboot`` (hard), ``cp16-soft-reset-ignored``,
``cp16-reset-drops-transaction``, ``cp16-remote-start-never-lapses``,
``cp16-unlock-idle-failed``, ``cp16-unlock-keeps-transaction``, ``cp16-unlock-unknown-failed``,
``cp16-remote-start-connector-zero``, ``cp16-remote-stop-unknown-accepted``,
``cp16-starts-unauthorized`` (an idTag starts a transaction without being authorized) and
``cp16-connection-timeout-ignored`` (an authorized idTag waits for a cable for ever),
``cp16-authorized-without-cable-forgotten`` (an idTag or remote start before the cable is
dropped), ``cp16-cache-not-used``, ``cp16-clear-cache-ignored`` (ClearCache, §5.4, Accepted
but the cache kept), ``cp16-remote-start-unavailable-accepted``, ``cp16-ev-disconnect-no-stop`` and
``cp16-ev-disconnect-always-stops`` (StopTransactionOnEVSideDisconnect read as false / true),
``cp16-ev-disconnect-locked-no-stop`` (with UnlockConnectorOnEVSideDisconnect false the EV-side
disconnect does not stop the transaction, TC_005_2_CS), ``cp16-faulted-connector-charges`` (a
transaction starts on a Faulted connector, TC_041_CS, :mod:`~harness.reference.station.v16tx`) and
``cp16-power-loss-forgets-transaction`` (a power cycle forgets the transactions),
``cp16-fixed-cable-unlocked`` (with a fixed cable, legal variant ``fixed-cable``, UnlockConnector
is answered Unlocked as if it had a lock: TC_017_2_CS, TC_018_2_CS),
``cp16-unavailable-forgotten-on-reboot`` (§5.2: Unavailable not kept), ``cp16-parent-stop-ignored``
(another idTag of the transaction's group does not stop it, §3.10).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.reference.station.config16 import Config16
from harness.reference.station.model import Connector, Outgoing, Payload, Reply
from harness.reference.station.v16_meter import Aligned16
from harness.reference.variants_v16 import FIXED_CABLE

if TYPE_CHECKING:
    from harness.reference.station.v16 import V16

Handler = Callable[[Payload], Reply]


class Core16:
    """Core commands and faults layered over the :class:`V16` handlers."""

    def __init__(self, v16: V16) -> None:
        self.v = v16
        self.faults = v16.st.faults
        self.aligned = Aligned16(v16)  # clock-aligned meter values (v16_meter)
        if "ev-disconnect-unlock-readonly" in v16.st.variants:  # errata 3.84 (variants_v16)
            v16.config.keys["UnlockConnectorOnEVSideDisconnect"].readonly = True
        #: A fixed cable (legal variant, PICS HFS-2): no connector lock.
        self.fixed_cable = FIXED_CABLE in v16.st.variants
        if self.fixed_cable:  # errata 3.84/3.85: reported false, read-only
            key = v16.config.keys["UnlockConnectorOnEVSideDisconnect"]
            key.value, key.readonly = "false", True
        txe = v16.txe
        if "cp16-starts-unauthorized" in self.faults:
            txe.authorize = txe.authorized  # type: ignore[method-assign]  # the fault
        #: Connectors whose remote start never lapses (``cp16-remote-start-never-lapses``).
        self.sticky: set[int] = set()
        lapse = txe._connection_timeout

        def timeout(c: Connector, tag: str) -> None:
            if "cp16-connection-timeout-ignored" not in self.faults and c.number not in self.sticky:
                lapse(c, tag)

        txe._connection_timeout = timeout  # type: ignore[method-assign]
        if "cp16-authorized-without-cable-forgotten" in self.faults:
            authorized = txe.authorized

            def forgetful(c: Connector, tag: str) -> None:
                if c.plugged:
                    authorized(c, tag)  # the fault: without a cable the idTag is dropped

            txe.authorized = forgetful  # type: ignore[method-assign]
        if "cp16-cache-not-used" in self.faults:
            txe._pre_authorized = _nothing_known  # type: ignore[method-assign]
        present = txe.present_token
        txe.present_token = lambda id_token, evse_id: self._present(present, id_token, evse_id)  # type: ignore[method-assign]
        end_all, power_lost = txe.end_all, txe.power_lost

        def ending(reason: str) -> None:
            if reason == "Reboot" and "cp16-power-loss-forgets-transaction" in self.faults:
                for tx in txe.tx.values():
                    tx.ended = True  # the fault: no StopTransaction, before or after
                txe.tx.clear()
            end_all(reason)

        def lost() -> None:
            power_lost()
            if "cp16-unavailable-forgotten-on-reboot" in self.faults:
                v16.station_operative = True  # the fault: availability is not kept
                for c in v16.hw.connectors():
                    c.operative, c.scheduled = True, None

        txe.end_all, txe.power_lost = ending, lost  # type: ignore[method-assign]
        for fault, value in EV_DISCONNECT_FAULTS.items():
            if fault in self.faults:
                txe.unplug = _unplug_as(txe.unplug, txe.config, value)  # type: ignore[method-assign,assignment]
        if "cp16-ev-disconnect-locked-no-stop" in self.faults:
            plain = txe.unplug
            keeping = _unplug_as(plain, txe.config, "false")

            def confused(evse_id: int, connector_id: int) -> None:
                """The fault: UnlockConnectorOnEVSideDisconnect false read as "keep it going"."""
                locked = not txe.config.get_bool("UnlockConnectorOnEVSideDisconnect")
                (keeping if locked else plain)(evse_id, connector_id)

            txe.unplug = confused  # type: ignore[method-assign]

    def handlers(self, current: dict[str, Handler]) -> dict[str, Handler]:
        """The handlers this module replaces (``current``: the ones they wrap)."""
        reset, start, stop = (
            current["Reset"],
            current["RemoteStartTransaction"],
            current["RemoteStopTransaction"],
        )
        return {
            "Reset": lambda p: self._reset(p, reset),
            "UnlockConnector": self._unlock,
            "ClearCache": self._clear_cache,
            "RemoteStartTransaction": lambda p: self._remote_start(p, start),
            "RemoteStopTransaction": lambda p: self._remote_stop(p, stop),
        }

    def _present(self, present: Callable[[str, int], None], id_token: str, evse_id: int) -> None:
        """§3.10 / §4.1: another idTag presented during a transaction is authorized (Authorize:
        it differs from the one that started it); Accepted with the parentIdTag of the
        transaction's idTag, it stops the transaction (reason Local). Anything else: as before."""
        txe = self.v.txe
        connectors = list(self.v.hw.evse(evse_id).connectors.values())
        tx = next((txe.tx[c.number] for c in connectors if c.number in txe.tx), None)
        if tx is None or tx.id_token == id_token:
            present(id_token, evse_id)
            return
        group = txe.parent_of.get(tx.id_token or "")

        def answered(result: Payload) -> None:
            info = result.get("idTagInfo", {})
            same = group is not None and info.get("parentIdTag") == group
            same = same and "cp16-parent-stop-ignored" not in self.faults  # the fault: no match
            if info.get("status") == "Accepted" and same and not tx.ended:
                txe.stop(tx, "Local", id_tag=id_token)

        self.v.st.send(Outgoing.fixed("Authorize", {"idTag": id_token}, on_result=answered))

    def _reset(self, p: Payload, reset: Handler) -> Reply:
        """§5.14: Accepted, transactions stopped, reboot (the V16 handler)."""
        ignored = {"Hard": "cp16-reset-accepted-no-reboot", "Soft": "cp16-soft-reset-ignored"}
        if ignored.get(p["type"]) in self.faults:
            return Reply({"status": "Accepted"})
        if "cp16-reset-drops-transaction" in self.faults:
            txe = self.v.txe
            for tx in txe.tx.values():
                tx.ended = True  # forgotten: no StopTransaction, before or after the reboot
            txe.tx.clear()
        return reset(p)

    def _unlock(self, p: Payload) -> Reply:
        """§5.18 / errata 3.87: finish a transaction on the connector first, then unlock; with
        a fixed cable (no lock) the answer is NotSupported, after the transaction is finished
        all the same (§5.18 says so without exception)."""
        c: Connector | None = self.v.hw.by_number(p["connectorId"])
        if c is None:
            failed = "cp16-unlock-unknown-failed" in self.faults
            return Reply({"status": "UnlockFailed" if failed else "NotSupported"})
        txe = self.v.txe
        tx = txe.tx.get(c.number)
        if self.fixed_cable and "cp16-fixed-cable-unlocked" not in self.faults:
            if tx is None:
                return Reply({"status": "NotSupported"})
            return Reply({"status": "NotSupported"}, then=lambda: txe.stop(tx, "UnlockCommand"))
        jammed = c.lock_jammed and "cp16-unlock-jammed-unlocked" not in self.faults
        if jammed:  # §5.18, errata 3.87: tried, the lock is still locked
            if tx is None:
                return Reply({"status": "UnlockFailed"})
            return Reply({"status": "UnlockFailed"}, then=lambda: txe.stop(tx, "UnlockCommand"))
        if tx is None:
            failed = "cp16-unlock-idle-failed" in self.faults
            return Reply({"status": "UnlockFailed" if failed else "Unlocked"})
        if "cp16-unlock-keeps-transaction" in self.faults:
            return Reply({"status": "Unlocked"})
        return Reply({"status": "Unlocked"}, then=lambda: txe.stop(tx, "UnlockCommand"))

    def _clear_cache(self, p: Payload) -> Reply:
        """§5.4: the Authorization Cache emptied, Accepted."""
        if "cp16-clear-cache-ignored" not in self.faults:
            self.v.st.auth_cache.clear()
        return Reply({"status": "Accepted"})

    def _remote_start(self, p: Payload, start: Handler) -> Reply:
        """§6.33: connectorId, when given, is > 0 (connector 0 is Rejected by the V16 handler);
        §5.11: an inoperative connector cannot start a transaction (Rejected there too)."""
        if p.get("connectorId") == 0 and "cp16-remote-start-connector-zero" in self.faults:
            return start({k: v for k, v in p.items() if k != "connectorId"})
        c = self.v.hw.by_number(p.get("connectorId", -1))
        inoperative = c is not None and not c.operative
        if inoperative and "cp16-remote-start-unavailable-accepted" in self.faults:
            return Reply({"status": "Accepted"})  # the fault: accepted, nothing follows
        if c is not None and "cp16-remote-start-never-lapses" in self.faults:
            self.sticky.add(c.number)
        return start(p)

    def _remote_stop(self, p: Payload, stop: Handler) -> Reply:
        """§5.12: Accepted only for an ongoing transaction."""
        known = any(t.csms_id == p["transactionId"] for t in self.v.txe.tx.values())
        if not known and "cp16-remote-stop-unknown-accepted" in self.faults:
            return Reply({"status": "Accepted"})
        return stop(p)


#: Faults that unplug as if StopTransactionOnEVSideDisconnect had this value (whatever it is).
EV_DISCONNECT_FAULTS = {
    "cp16-ev-disconnect-no-stop": "false",
    "cp16-ev-disconnect-always-stops": "true",
}


def _unplug_as(
    unplug: Callable[[int, int], None], config: Config16, value: str
) -> Callable[[int, int], None]:
    """``unplug`` with StopTransactionOnEVSideDisconnect read as ``value`` (faults)."""

    def faulty(evse_id: int, connector_id: int) -> None:
        key = config.keys["StopTransactionOnEVSideDisconnect"]
        saved, key.value = key.value, value
        try:
            unplug(evse_id, connector_id)
        finally:
            key.value = saved

    return faulty


def _nothing_known(tag: str) -> bool:
    """``cp16-cache-not-used``: no idTag is ever known locally (LocalPreAuthorize ignored)."""
    return False
