"""OCPP 1.6 operator commands of the reference Central System that only 1.6 has (issue 14): all
configuration keys (§5.8), the local authorization list (§5.10, §5.15; the 2.x one is block D,
:mod:`.block_d`) and reservations (§5.1, §5.13). Their seeded faults (:mod:`harness.reference.faults_v16_csms`):
``csms16-get-all-configuration-keyed``, ``csms16-local-list-wrong-type``,
``csms16-local-list-version-zero``,
``csms16-reserve-wrong-connector``, ``csms16-cancel-wrong-reservation``; a transaction started
on a reservation is answered in :mod:`.v16_core` (``csms16-reservation-tx-refused``).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.reference.csms import block_d, block_h
from harness.reference.csms.commands import CommandFailed
from harness.reference.csms.handlers_common import rfc3339
from harness.reference.csms.operator import OperatorCommands

V16 = "1.6"
_OTHER_UPDATE = {"Full": "Differential", "Differential": "Full"}
_reservation_ids = itertools.count(1)
_list_versions = itertools.count(1)


def get_all_settings(faults: frozenset[str]) -> tuple[str, dict[str, Any]]:
    """§5.8 GetConfiguration without keys: every key (one key under the fault)."""
    if "csms16-get-all-configuration-keyed" in faults:
        return "GetConfiguration", {"key": ["HeartbeatInterval"]}
    return "GetConfiguration", {}


def local_list(
    faults: frozenset[str], entries: dict[str, tuple[str, str | None]], update_type: str
) -> tuple[str, dict[str, Any]]:
    """§5.15 SendLocalList of ``update_type`` with a new listVersion; every idTag the Central
    System holds with its status and parentIdTag (a Differential list: the same entries as
    updates)."""
    if "csms16-local-list-wrong-type" in faults:
        update_type = _OTHER_UPDATE.get(update_type, "Full")
    version = 0 if "csms16-local-list-version-zero" in faults else next(_list_versions)
    items = []
    for id_tag, (status, parent) in entries.items():
        info: dict[str, Any] = {"status": status}
        if parent:
            info["parentIdTag"] = parent
        items.append({"idTag": id_tag, "idTagInfo": info})
    return "SendLocalList", {
        "listVersion": version,  # never 0 or -1 (1.6 errata 3.52)
        "updateType": update_type,
        "localAuthorizationList": items,
    }


def reserve_now(
    faults: frozenset[str], connector_id: int, id_tag: str, parent: str | None, expiry_in_s: int
) -> tuple[str, dict[str, Any]]:
    """§5.13 ReserveNow of ``connector_id`` (0: the charge point) for ``id_tag`` until
    ``expiry_in_s`` from now, with the idTag's parentIdTag when it has one."""
    if "csms16-reserve-wrong-connector" in faults:
        connector_id += 1
    payload: dict[str, Any] = {
        "connectorId": connector_id,
        "expiryDate": rfc3339(datetime.now(UTC) + timedelta(seconds=expiry_in_s)),
        "idTag": id_tag,
        "reservationId": next(_reservation_ids),
    }
    if parent:
        payload["parentIdTag"] = parent
    return "ReserveNow", payload


class Core16Commands(OperatorCommands):
    """The 1.6-only operator commands (see the module docstring)."""

    def _v16(self, what: str) -> None:
        if self.version != V16:
            raise CommandFailed(f"{what} is OCPP 1.6 (2.x: its own use case)")

    async def get_all_settings(self, identity: str) -> dict[str, Any]:
        """§5.8 GetConfiguration of every key."""
        self._v16("GetConfiguration of every key")
        return await self._command(identity, get_all_settings(self.faults))

    async def get_local_list_version(self, identity: str) -> dict[str, Any]:
        """§5.10 / 2.x D02 GetLocalListVersion."""
        return await self._command(identity, ("GetLocalListVersion", {}))

    async def send_local_list(
        self, identity: str, update_type: str, content: str = "entries"
    ) -> dict[str, Any]:
        """§5.15 SendLocalList (``Full`` or ``Differential``) of the idTags it holds; 2.x: D01,
        holding ``content`` (:mod:`~harness.reference.csms.block_d`), after asking the version."""
        if self.version != V16:
            answer = await self._command(identity, ("GetLocalListVersion", {}))
            station = answer.get("versionNumber")
            table = self.state.token_table
            command = block_d.send_local_list(
                self.faults, table, update_type, content, station if isinstance(station, int) else 0
            )
            return await self._command(identity, command)
        entries = {
            tag: (entry.status, entry.group)
            for tag, entry in self.state.token_table.items()
            if entry.status in ("Accepted", "Blocked", "Expired")
        }
        return await self._command(identity, local_list(self.faults, entries, update_type))

    async def reserve_now(
        self,
        identity: str,
        evse_id: int,
        id_token: str,
        expiry_in_s: int,
        connector_type: str | None = None,
    ) -> dict[str, Any]:
        """§5.13 ReserveNow of connector ``evse_id`` (0: any) for ``id_token``; 2.x: H01, of EVSE
        ``evse_id`` (0: any EVSE, :mod:`~harness.reference.csms.block_h`)."""
        entry = self.state.token_table.get(id_token.casefold())
        parent = entry.group if entry is not None else None
        if self.version != V16:
            command = block_h.reserve_now(
                self.faults, evse_id, id_token, parent, expiry_in_s, connector_type
            )
            return await self._command(identity, command)
        if "no-parent-id-tag" in self.state.variants:  # legal variant: parentIdTag is optional
            parent = None
        if connector_type is not None:
            raise CommandFailed("a reservation of a connector type is OCPP 2.x (H01 S3)")
        command = reserve_now(self.faults, evse_id, id_token, parent, expiry_in_s)
        return await self._command(identity, command)

    async def cancel_reservation(self, identity: str, reservation_id: int) -> dict[str, Any]:
        """§5.1 CancelReservation of ``reservation_id`` (2.x: H02)."""
        if self.version != V16:
            command = block_h.cancel_reservation(self.faults, reservation_id)
            return await self._command(identity, command)
        if "csms16-cancel-wrong-reservation" in self.faults:
            reservation_id += 1
        return await self._command(
            identity, ("CancelReservation", {"reservationId": reservation_id})
        )
