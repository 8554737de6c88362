"""OCA block L (firmware management), OCPP 2.0.1 and 2.1, charging station under test: a secure
firmware update while transactions run. Steps and criteria in our own words after OCPP 2.0.1
Part 6: TC_L_12/13/14/15/16 _CS. Which of them apply is the station's declaration (Part 5):
installs during a transaction (C-43), downloads during one (AQ-7), new sessions while an
update waits (C-20, AllowNewSessionsPendingFirmwareUpdate), EVSEs (HFS-8). The reference
station downloads but does not install during a transaction (AQ-7, not C-43), so TC_L_14/15 run
on it and TC_L_12/13/16 are NOT-APPLICABLE there; its legal variant
``firmware-download-after-transactions`` (not AQ-7) runs TC_L_12/13 instead."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.firmware_server import FirmwareServer
from testcases.firmware_package import (
    at,
    firmware_server,
    manufacturer_root,
    needs_vendor_image,
    session_pki,
    signed_package,
)
from testcases.v201.firmware_flow import (
    INSTALLED_PATH,
    follow,
    installed,
    require_sequence,
    settle,
    status_times,
    update_firmware,
)
from testcases.v201.states import connector_status, set_variable, tx_points
from testcases.v201.tx_states import (
    Session,
    authorized_local,
    charging,
    energy_transfer_started,
    ev_connected_pre_session,
    stop_charging,
)

V2 = ("2.0.1", "2.1")
ALLOW = ("ChargingStation", "AllowNewSessionsPendingFirmwareUpdate")
NOT_DURING_TX = "L01.FR.06: no installation while a transaction runs"
HELD = "L01.FR.07: the EVSEs not in use are Unavailable while the update waits"
#: Statuses that show the new firmware being activated (a reboot, or done).
ACTIVATED = frozenset({"InstallRebooting", "Installed"})
#: How long the case watches for an activation during the transactions (s).
DWELL_S = 1.5


@pytest.fixture
async def fw_server(csms: CsmsPeer, sut_profile: SutProfile) -> AsyncIterator[FirmwareServer]:
    """The firmware server of one case (:func:`testcases.firmware_package.firmware_server`)."""
    async with firmware_server(csms, sut_profile) as server:
        yield server
        await settle(csms)


def _vendor(profile: SutProfile) -> str | None:
    return needs_vendor_image(profile)


async def _allow_new_sessions(csms: CsmsPeer, profile: SutProfile, value: bool) -> None:
    """Configuration state of TC_L_12-15: AllowNewSessionsPendingFirmwareUpdate (where the
    station has it, C-20); restored after the case."""
    if "C-20" in profile.sut.features:
        await set_variable(
            csms,
            *ALLOW,
            "true" if value else "false",
            req="precondition: AllowNewSessionsPendingFirmwareUpdate set",
        )


async def _second_session(csms: CsmsPeer, sut: SutActions, profile: SutProfile) -> Session:
    """EnergyTransferStarted on the second EVSE (HFS-8 > 1)."""
    second = profile.sut.evses[1]
    session = Session(await tx_points(csms, profile), evse_id=second.id, connector_id=1)
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    return session


def _not_activated(csms: CsmsPeer, request_id: int) -> None:
    """L01.FR.06/33: while a transaction runs, the new firmware is not activated."""
    early = [s for _, s in status_times(csms, request_id) if s in ACTIVATED]
    require(
        not early,
        req=NOT_DURING_TX,
        expected="no InstallRebooting or Installed while a transaction runs",
        actual=f"{early} before the transactions ended",
        frames=csms.trace.render(last=16),
    )


async def _during_transactions(
    csms: CsmsPeer,
    sut: SutActions,
    profile: SutProfile,
    fw_server: FirmwareServer,
    request_id: int,
    *,
    allow_new: bool,
    download_first: bool,
) -> None:
    """The common flow of TC_L_12-15: a transaction runs, UpdateFirmware; the station downloads
    now (AQ-7) or schedules it; with ``allow_new`` a second transaction starts meanwhile, else
    the free EVSEs become Unavailable (L01.FR.07); nothing is activated until every transaction
    ended (L01.FR.06/33); then the update completes (L01.FR.28/31)."""
    await _allow_new_sessions(csms, profile, allow_new)
    pki = session_pki(csms)
    package = signed_package(fw_server, profile, pki)
    async with manufacturer_root(csms, pki, needed=package.harness_made):
        sessions = [await charging(csms, sut, profile)]
        await update_firmware(csms, request_id, package.firmware(install=at(-7200)))
        if download_first:
            seen = await follow(csms, request_id, until=("InstallScheduled", "Installing"))
            require_sequence(csms, seen, (*INSTALLED_PATH[:3], ("InstallScheduled", "Installing")))
        else:
            seen = await follow(csms, request_id, until=("DownloadScheduled",))
        await csms.expect_none(
            "FirmwareStatusNotification", for_s=DWELL_S, status="Installed", req=NOT_DURING_TX
        )
        _not_activated(csms, request_id)
        for evse in profile.sut.evses[1:] if not allow_new else ():
            await connector_status(
                csms, evse_id=evse.id, connector_id=1, status="Unavailable", req=HELD
            )
        if allow_new:
            sessions.append(await _second_session(csms, sut, profile))
            _not_activated(csms, request_id)
        for session in sessions:
            _not_activated(csms, request_id)
            await stop_charging(
                csms, sut, profile, session, req="E06: the transaction ends (ParkingBayUnoccupied)"
            )
        rest = INSTALLED_PATH[3:] if download_first else INSTALLED_PATH
        await installed(csms, request_id, rest)


@oca(
    "TC_L_12_CS",
    "Secure Firmware Update - Unable to download/install firmware with ongoing transaction "
    "-AllowNewSessionsPendingFirmwareUpdate is true",
    profile="core",
    versions=V2,
    kills=("firmware-installs-during-transaction",),
    applies=_vendor,
    condition="C-20 and NOT C-43 and NOT AQ-7 and HFS-8 > 1",
)
async def test_firmware_waits_download_new_sessions(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_12_CS (L01.FR.06/13): with AllowNewSessionsPendingFirmwareUpdate true, a station that
    neither downloads nor installs during a transaction reports DownloadScheduled (L01.FR.13),
    lets a second transaction start, and downloads and installs only once both ended."""
    await _during_transactions(
        csms, sut, sut_profile, fw_server, 1201, allow_new=True, download_first=False
    )


@oca(
    "TC_L_13_CS",
    "Secure Firmware Update - Unable to download/install firmware with ongoing transaction "
    "-AllowNewSessionsPendingFirmwareUpdate is false",
    profile="core",
    versions=V2,
    kills=("firmware-evse-not-held",),
    applies=_vendor,
    condition="NOT C-43 and NOT AQ-7",
)
async def test_firmware_waits_download_held(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_13_CS (L01.FR.06/07): with AllowNewSessionsPendingFirmwareUpdate false, the free EVSEs
    become Unavailable (L01.FR.07) while the update waits for the transaction; download and
    installation follow once it ended."""
    await _during_transactions(
        csms, sut, sut_profile, fw_server, 1301, allow_new=False, download_first=False
    )


@oca(
    "TC_L_14_CS",
    "Secure Firmware Update - Unable to install and activate firmware with ongoing transaction "
    "-AllowNewSessionsPendingFirmwareUpdate is true",
    profile="core",
    versions=V2,
    kills=("firmware-installs-during-transaction",),
    applies=_vendor,
    condition="C-20 and NOT C-43 and AQ-7 and HFS-8 > 1",
)
async def test_firmware_waits_install_new_sessions(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_14_CS (L01.FR.06/33/34): with AllowNewSessionsPendingFirmwareUpdate true, the station
    downloads and verifies during the transaction, reports InstallScheduled or Installing, lets a
    second transaction start, and activates nothing (no InstallRebooting, no Installed) until
    both ended; then Installed and FirmwareUpdated (L01.FR.28/31)."""
    await _during_transactions(
        csms, sut, sut_profile, fw_server, 1401, allow_new=True, download_first=True
    )


@oca(
    "TC_L_15_CS",
    "Secure Firmware Update - Unable to install and activate firmware with ongoing transaction "
    "-AllowNewSessionsPendingFirmwareUpdate is false",
    profile="core",
    versions=V2,
    kills=("firmware-installs-during-transaction", "firmware-evse-not-held"),
    applies=_vendor,
    condition="NOT C-43 and AQ-7",
)
async def test_firmware_waits_install_held(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_15_CS (L01.FR.06/07): with AllowNewSessionsPendingFirmwareUpdate false, the station
    downloads and verifies during the transaction, reports InstallScheduled or Installing, sets
    its free EVSEs Unavailable (L01.FR.07) and activates nothing until the transaction ended;
    then Installed and FirmwareUpdated (L01.FR.28/31)."""
    await _during_transactions(
        csms, sut, sut_profile, fw_server, 1501, allow_new=False, download_first=True
    )


@oca(
    "TC_L_16_CS",
    "Secure Firmware Update - Able to update firmware with ongoing transaction",
    profile="core",
    versions=V2,
    kills=("firmware-wrong-request-id",),
    applies=_vendor,
    condition="C-43",
)
async def test_firmware_during_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_16_CS (L01), for a station that installs during a transaction (C-43): with a
    transaction running, Downloading, Downloaded, SignatureVerified, Installing, the reconnect,
    Installed and FirmwareUpdated (L01.FR.28/31), every status with the requestId
    (L01.FR.10)."""
    pki = session_pki(csms)
    package = signed_package(fw_server, sut_profile, pki)
    async with manufacturer_root(csms, pki, needed=package.harness_made):
        await charging(csms, sut, sut_profile)
        await update_firmware(csms, 1601, package.firmware(install=at(-7200)))
        await installed(csms, 1601)
