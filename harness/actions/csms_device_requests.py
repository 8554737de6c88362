"""What a case may ask a CSMS under test to do with the station's devices: charging profiles and
composite schedules (block K), firmware (block L), certificates (blocks A/M). Each asks the
operator with an instruction a person can follow
(:meth:`~harness.actions.sut_actions.SutActions.ask_csms`); the parameters fill the profile's
``{{placeholders}}`` (:mod:`harness.actions.catalog`)."""

from __future__ import annotations

from typing import Any


class DeviceRequests:
    """The CSMS-under-test requests of blocks A, K, L and M (a mixin of :class:`~harness.actions.sut_actions.SutActions`)."""

    valid_token: str

    async def ask_csms(self, action: str, instruction: str, **params: Any) -> Any:
        """The operator has the CSMS act (:meth:`~harness.actions.sut_actions.SutActions.ask_csms`)."""
        raise NotImplementedError

    async def set_charging_profile(
        self,
        *,
        purpose: str,
        evse_id: int,
        kind: str = "Absolute",
        stack_level: int = 0,
        limit: float = 6.0,
        duration_s: int = 300,
        recurrency_kind: str | None = None,
        transaction_id: str | None = None,
    ) -> Any:
        """K01: the CSMS sets a charging profile on the station (TC_K_01-70_CSMS): ``purpose``
        on ``evse_id`` (0: the whole station), ``kind``, ``stack_level``, one period of
        ``limit`` A (or x 1000 in W) for ``duration_s``; a Recurring one recurs per
        ``recurrency_kind``, a TxProfile is for the running ``transaction_id``."""
        where = "the whole station (EVSE 0)" if evse_id == 0 else f"EVSE {evse_id}"
        extra = f", recurring {recurrency_kind}" if recurrency_kind else ""
        if transaction_id:
            extra += f", for the running transaction {transaction_id}"
        return await self.ask_csms(
            "set_charging_profile",
            f"In the CSMS, set a charging profile on {where}: purpose {purpose}, kind {kind}, "
            f"stack level {stack_level}, a limit of {limit:g} A (or {limit * 1000:g} W) from now "
            f"for {duration_s} s{extra}; if a profile of that purpose, EVSE and stack level was "
            "set before, replace it",
            purpose=purpose,
            evse_id=evse_id,
            kind=kind,
            stack_level=stack_level,
            limit=limit,
            duration_s=duration_s,
            recurrency_kind=recurrency_kind,
            transaction_id=transaction_id,
        )

    async def clear_charging_profile(
        self,
        *,
        profile_id: int | None = None,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> Any:
        """K10: the CSMS clears charging profiles, by ``profile_id`` or by the criteria given
        (TC_K_05/06/08_CSMS)."""
        if profile_id is not None:
            what = f"the charging profile with id {profile_id}"
        else:
            what = f"the {purpose} charging profiles of EVSE {evse_id} at stack level {stack_level}"
        return await self.ask_csms(
            "clear_charging_profile",
            f"In the CSMS, clear {what} on the station",
            profile_id=profile_id,
            evse_id=evse_id,
            purpose=purpose,
            stack_level=stack_level,
        )

    async def get_charging_profiles(
        self,
        *,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
        limit_source: str | None = None,
        profile_id: int | None = None,
    ) -> Any:
        """K09: the CSMS asks the station for its charging profiles matching the criteria given
        (an absent one is no criterion; TC_K_05/29-36_CSMS)."""
        asked = {
            "EVSE": evse_id,
            "purpose": purpose,
            "stack level": stack_level,
            "charging limit source": limit_source,
            "id": profile_id,
        }
        what = ", ".join(f"{k} {v}" for k, v in asked.items() if v is not None)
        return await self.ask_csms(
            "get_charging_profiles",
            f"In the CSMS, retrieve the station's charging profiles matching {what or 'anything'} (no other "
            "criterion)",
            evse_id=evse_id,
            purpose=purpose,
            stack_level=stack_level,
            limit_source=limit_source,
            profile_id=profile_id,
        )

    async def get_composite_schedule(self, *, evse_id: int, duration_s: int, unit: str) -> Any:
        """K08: the CSMS asks the station for its composite schedule (TC_K_43/44_CSMS)."""
        where = "the whole station (EVSE 0)" if evse_id == 0 else f"EVSE {evse_id}"
        return await self.ask_csms(
            "get_composite_schedule",
            f"In the CSMS, retrieve the composite charging schedule of {where} for the next "
            f"{duration_s} s in {unit}",
            evse_id=evse_id,
            duration_s=duration_s,
            unit=unit,
        )

    async def remote_start_with_profile(
        self, *, evse_id: int, limit: float, id_token: str | None = None
    ) -> Any:
        """K05/F01: the CSMS starts a transaction remotely with a TxProfile of ``limit`` A for
        it (TC_K_37_CSMS)."""
        token = id_token or self.valid_token
        return await self.ask_csms(
            "remote_start_with_profile",
            f"In the CSMS, start a transaction remotely on EVSE {evse_id} for {token!r} with a "
            f"charging profile (TxProfile) limiting it to {limit:g} A (or {limit * 1000:g} W)",
            id_token=token,
            evse_id=evse_id,
            limit=limit,
        )

    async def update_firmware(self, *, retrieve_in_s: int = 0, install_in_s: int = 0) -> Any:
        """L01 (1.6: UpdateFirmware / SignedUpdateFirmware): the CSMS has the station update its
        firmware with a signed firmware (TC_L_01-13_CSMS); ``retrieve_in_s`` / ``install_in_s``
        ask for a download / an install that many seconds from now (0: at once, no install
        time)."""
        when = []
        if retrieve_in_s > 0:
            when.append(f"downloaded about {retrieve_in_s} s from now (retrieveDateTime)")
        if install_in_s > 0:
            when.append(f"installed about {install_in_s} s from now (installDateTime)")
        return await self.ask_csms(
            "update_firmware",
            "In the CSMS, have the station update its firmware (UpdateFirmware with a signed "
            "firmware: signing certificate and signature)"
            + (", to be " + " and ".join(when) if when else ""),
            retrieve_in_s=retrieve_in_s,
            install_in_s=install_in_s,
        )

    async def install_certificate(self, certificate_type: str) -> Any:
        """M05: the CSMS installs a root certificate in the station (TC_M_01/02/05/20/21_CSMS)."""
        return await self.ask_csms(
            "install_certificate",
            f"In the CSMS, install your configured {certificate_type} in the station",
            certificate_type=certificate_type,
        )

    async def get_installed_certificate_ids(self, certificate_type: str) -> Any:
        """M03: the CSMS asks which certificates of a type the station holds (``all``: every
        type, certificateType omitted; TC_M_13/18/19_CSMS)."""
        what = "every type" if certificate_type == "all" else certificate_type
        return await self.ask_csms(
            "get_installed_certificate_ids",
            f"In the CSMS, ask the station for its installed certificates of {what}",
            certificate_type=certificate_type,
        )

    async def renew_station_certificate(self) -> Any:
        """A02: the CSMS has the station renew its certificate (TriggerMessage
        SignChargingStationCertificate, then CertificateSigned; TC_A_11/14_CSMS)."""
        return await self.ask_csms(
            "renew_station_certificate",
            "In the CSMS, have the station renew its charging station certificate (TriggerMessage "
            "SignChargingStationCertificate; sign its CSR and send it the certificate)",
        )

    async def delete_certificate(self, certificate_type: str) -> Any:
        """M04: the CSMS deletes a certificate of a type from the station, after asking which
        it holds (TC_M_20/21_CSMS)."""
        return await self.ask_csms(
            "delete_certificate",
            f"In the CSMS, delete the station's {certificate_type} (the CSMS asks the station "
            "for its installed certificates first)",
            certificate_type=certificate_type,
        )

    # -- OCPP 1.6 only (issue 14) ---------------------------------------------------------------
