"""The reference CSMS's operator commands of block K (smart charging, 2.x): set, clear and get
charging profiles, the composite schedule, a remote start with a TxProfile. Mixed into
:class:`~harness.reference.csms.operator.OperatorCommands`; the payloads and their faults are
:mod:`harness.reference.csms.block_k`'s (on a 1.6 link :mod:`harness.reference.csms.v16_smart`'s).
"""

from __future__ import annotations

from typing import Any

from harness.reference.csms import block_k, v16_smart
from harness.reference.csms.commands import Command
from harness.reference.csms.records import CsmsState

V16 = "1.6"


class SmartChargingCommands:
    """Block K operator commands; ``_command`` sends one CALL (the operator's)."""

    faults: frozenset[str]
    state: CsmsState
    version: str

    async def _command(self, identity: str, command: Command) -> dict[str, Any]:
        raise NotImplementedError  # OperatorCommands sends it

    def _profile_book(self) -> block_k.ProfileBook:
        book: block_k.ProfileBook | None = getattr(self, "_profiles_given", None)
        if book is None:
            book = self._profiles_given = block_k.ProfileBook()
        return book

    async def set_charging_profile(
        self,
        identity: str,
        purpose: str,
        evse_id: int,
        kind: str = "Absolute",
        stack_level: int = 0,
        limit: float = 6.0,
        duration_s: int = 300,
        recurrency_kind: str | None = None,
        transaction_id: str | None = None,
    ) -> dict[str, Any]:
        """K01 SetChargingProfile (:mod:`.block_k`)."""
        order = block_k.ProfileOrder(
            purpose, evse_id, kind, stack_level, limit, duration_s, recurrency_kind, transaction_id
        )
        build = v16_smart if self.version == V16 else block_k
        command = build.set_charging_profile(self.faults, self._profile_book(), order)
        return await self._command(identity, command)

    async def clear_charging_profile(
        self,
        identity: str,
        profile_id: int | None = None,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> dict[str, Any]:
        """K10 ClearChargingProfile by id or by criteria (:mod:`.block_k`)."""
        build = v16_smart if self.version == V16 else block_k
        command = build.clear_charging_profile(
            self.faults, profile_id, evse_id, purpose, stack_level
        )
        return await self._command(identity, command)

    async def get_charging_profiles(
        self,
        identity: str,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
        limit_source: str | None = None,
        profile_id: int | None = None,
    ) -> dict[str, Any]:
        """K09 GetChargingProfiles with the criteria given (:mod:`.block_k`)."""
        command = block_k.get_charging_profiles(
            self.faults, evse_id, purpose, stack_level, limit_source, profile_id
        )
        return await self._command(identity, command)

    async def get_composite_schedule(
        self, identity: str, evse_id: int, duration_s: int, unit: str
    ) -> dict[str, Any]:
        """K08 GetCompositeSchedule (:mod:`.block_k`)."""
        build = v16_smart if self.version == V16 else block_k
        command = build.get_composite_schedule(self.faults, evse_id, duration_s, unit)
        return await self._command(identity, command)

    async def remote_start_with_profile(
        self, identity: str, id_token: str, evse_id: int, limit: float
    ) -> dict[str, Any]:
        """K05/F01 RequestStartTransaction with a TxProfile (:mod:`.block_k`; 1.6 §5.16.2
        RemoteStartTransaction, :mod:`.v16_smart`)."""
        if self.version == V16:
            command = v16_smart.remote_start_with_profile(
                self.faults, self._profile_book(), id_token, evse_id, limit
            )
            return await self._command(identity, command)
        command = block_k.remote_start_with_profile(
            self.faults,
            self._profile_book(),
            id_token,
            evse_id,
            limit,
            self.state.next_remote_start_id(),
        )
        return await self._command(identity, command)
