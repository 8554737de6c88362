"""OCA block L (firmware management), OCPP 2.0.1 and 2.1, charging station under test: the secure
firmware update L01 without transactions. Steps and criteria in our own words after OCPP 2.0.1
Part 6: TC_L_01/02/03/05/06/07/08/10/11/18 _CS (errata: TC_L_06 status and security event in any
order; TC_L_10 DownloadFailed/InstallationFailed of the canceled update allowed). The firmware
and its server are :mod:`testcases.firmware_package`; every download attempt, status and
security event is in the case's trace. Optional statuses (InstallRebooting, connectors
Unavailable before installing, Downloading per retry) are accepted wherever Part 6 allows them.
The reference station cancels (C-60): TC_L_11_CS runs under its legal variant
``firmware-cancel-refused``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from harness import CsmsPeer, oca
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
    first_time,
    follow,
    installed,
    monotonic_at,
    not_before,
    reports_version,
    require_sequence,
    security_event,
    settle,
    update_firmware,
)

V2 = ("2.0.1", "2.1")
#: How far ahead a scheduled download or installation is set: more than the clock deviation
#: the profile allows (else an early one would pass), a few seconds in all.
SCHEDULE_MARGIN_S = 3.0
RETRIES = 2
RETRY_INTERVAL_S = 1
INVALID_CERTIFICATE = "L01.FR.22: an untrusted signing certificate is answered InvalidCertificate"
UNSIGNED = "L01.FR.21/22: an UpdateFirmware without signing certificate and signature is refused"
CANCELED = "L01.FR.24 (C-60): the second UpdateFirmware is AcceptedCanceled"


@pytest.fixture
async def fw_server(csms: CsmsPeer, sut_profile: SutProfile) -> AsyncIterator[FirmwareServer]:
    """The firmware server of one case (:func:`testcases.firmware_package.firmware_server`)."""
    async with firmware_server(csms, sut_profile) as server:
        yield server
        await settle(csms)


def _vendor(profile: SutProfile) -> str | None:
    return needs_vendor_image(profile)


def _vendor_failing(profile: SutProfile) -> str | None:
    return needs_vendor_image(profile, failing=True)


@oca(
    "TC_L_01_CS",
    "Secure Firmware Update - Installation successful",
    profile="core",
    versions=V2,
    kills=(
        "firmware-no-signature-verified",
        "firmware-no-updated-event",
        "firmware-wrong-request-id",
    ),
    applies=_vendor,
)
async def test_firmware_installed(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_01_CS (L01): UpdateFirmware with retrieve and install times in the past and a trusted
    signing certificate is Accepted (L01.FR.21); Downloading, Downloaded, SignatureVerified
    (L01.FR.04/12), Installing or InstallRebooting, then Installed (L01.FR.28), every one with the
    request's requestId (L01.FR.10), and SecurityEventNotification FirmwareUpdated (L01.FR.31).
    Beyond the OCA: the BootNotification after the reboot reports the new firmwareVersion
    (a warning: L01.FR.28 only says SHOULD about activating it)."""
    pki = session_pki(csms)
    package = signed_package(fw_server, sut_profile, pki)
    async with manufacturer_root(csms, pki, needed=package.harness_made):
        await update_firmware(csms, 101, package.firmware(install=at(-7200)))
        await installed(csms, 101)
        reports_version(csms, package.version)


@oca(
    "TC_L_02_CS",
    "Secure Firmware Update - InstallScheduled",
    profile="core",
    versions=V2,
    kills=("firmware-installs-early", "firmware-wrong-request-id"),
    applies=_vendor,
)
async def test_firmware_install_scheduled(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_02_CS (L01): installDateTime a few seconds ahead: after SignatureVerified the station
    reports InstallScheduled (L01.FR.16) and installs only once that time has come (nothing of
    the installation, Installing, InstallRebooting or Installed, arrives earlier, within the
    clock deviation); then Installed and FirmwareUpdated (L01.FR.28/31)."""
    pki = session_pki(csms)
    package = signed_package(fw_server, sut_profile, pki)
    offset = csms.clock_deviation_s + SCHEDULE_MARGIN_S
    async with manufacturer_root(csms, pki, needed=package.harness_made):
        due = monotonic_at(offset)
        await update_firmware(csms, 201, package.firmware(install=at(offset)))
        path = (*INSTALLED_PATH[:3], "InstallScheduled", *INSTALLED_PATH[3:])
        await installed(csms, 201, path)
        started = first_time(csms, 201, ("Installing", "InstallRebooting", "Installed"))
        not_before(
            csms,
            started,
            due,
            req="L01.FR.16: nothing is installed before installDateTime",
            what="the installation",
        )


@oca(
    "TC_L_03_CS",
    "Secure Firmware Update - DownloadScheduled",
    profile="core",
    versions=V2,
    kills=("firmware-downloads-early",),
    applies=_vendor,
)
async def test_firmware_download_scheduled(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_03_CS (L01): retrieveDateTime a few seconds ahead: DownloadScheduled first
    (L01.FR.13), no download attempt reaches the firmware server before that time (within the
    clock deviation), then the installation as in TC_L_01_CS (L01.FR.28/31)."""
    pki = session_pki(csms)
    package = signed_package(fw_server, sut_profile, pki)
    offset = csms.clock_deviation_s + SCHEDULE_MARGIN_S
    async with manufacturer_root(csms, pki, needed=package.harness_made):
        due = monotonic_at(offset)
        firmware = package.firmware(retrieve=at(offset), install=at(-7200))
        await update_firmware(csms, 301, firmware)
        await installed(csms, 301, ("DownloadScheduled", *INSTALLED_PATH))
        tries = fw_server.attempts(package.path)
        not_before(
            csms,
            tries[0].at if tries else None,
            due,
            req="L01.FR.13: nothing is downloaded before retrieveDateTime",
            what="the first download",
        )


@oca(
    "TC_L_05_CS",
    "Secure Firmware Update - InvalidCertificate",
    profile="core",
    versions=V2,
    kills=("firmware-untrusted-certificate-accepted", "firmware-no-security-event"),
)
async def test_firmware_invalid_certificate(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_05_CS (L01): a signing certificate from a manufacturer root the station was never
    given: UpdateFirmware InvalidCertificate (or RevokedCertificate) (L01.FR.21/22) and
    SecurityEventNotification InvalidFirmwareSigningCertificate (L01.FR.02)."""
    package = signed_package(fw_server, sut_profile, session_pki(csms), "untrusted")
    await update_firmware(
        csms,
        501,
        package.firmware(install=at(-7200)),
        status=("InvalidCertificate", "RevokedCertificate"),
        req=INVALID_CERTIFICATE,
    )
    await security_event(
        csms,
        "InvalidFirmwareSigningCertificate",
        "L01.FR.02: SecurityEventNotification InvalidFirmwareSigningCertificate",
    )


@oca(
    "TC_L_06_CS",
    "Secure Firmware Update - InvalidSignature",
    profile="core",
    versions=V2,
    kills=("firmware-bad-signature-accepted", "firmware-no-security-event"),
)
async def test_firmware_invalid_signature(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_06_CS (L01, errata: status and event in any order): a trusted signing certificate
    with a real signature of other bytes: Accepted, Downloading, Downloaded, InvalidSignature
    (L01.FR.04/12) and SecurityEventNotification InvalidFirmwareSignature (L01.FR.03). Beyond
    the OCA: the same with a signature of the image made by another manufacturer's key."""
    pki = session_pki(csms)
    async with manufacturer_root(csms, pki):
        for request_id, kind in ((601, "wrong-signature"), (602, "foreign-key")):
            package = signed_package(fw_server, sut_profile, pki, kind)
            csms.trace.event(f"firmware update {request_id}: signature kind {kind}")
            await update_firmware(csms, request_id, package.firmware(install=at(-7200)))
            seen = await follow(csms, request_id)
            require_sequence(csms, seen, ("Downloading", "Downloaded", "InvalidSignature"))
            await security_event(
                csms,
                "InvalidFirmwareSignature",
                "L01.FR.03: SecurityEventNotification InvalidFirmwareSignature",
            )


@oca(
    "TC_L_07_CS",
    "Secure Firmware Update - DownloadFailed",
    profile="core",
    versions=V2,
    kills=("firmware-no-retry",),
)
async def test_firmware_download_failed(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_07_CS (L01): a location the firmware server does not have, with retries 2 and
    retryInterval 1 s: Accepted, Downloading (optional), then DownloadFailed (L01.FR.30), with
    the requestId (L01.FR.10). Beyond the OCA: DownloadFailed only once the first attempt and
    both retries reached the server (L01.FR.30: after all retry attempts)."""
    pki = session_pki(csms)
    vendor = needs_vendor_image(sut_profile) is None and sut_profile.sut.builtin is None
    package = signed_package(fw_server, sut_profile, pki)
    missing = package.path + "_does.not_Exist"
    async with manufacturer_root(csms, pki, needed=not vendor):
        firmware = package.firmware(install=at(-7200), location=fw_server.url(missing))
        await update_firmware(csms, 701, firmware, retries=RETRIES, retry_interval=RETRY_INTERVAL_S)
        seen = await follow(csms, 701)
        require_sequence(csms, seen, ("DownloadFailed",))
        # the server records an attempt once its answer is closed: it may come just after
        tries = await fw_server.wait_attempts(missing, RETRIES + 1, timeout_s=2.0)
        require(
            len(tries) >= RETRIES + 1,
            req="L01.FR.30: DownloadFailed only after every retry",
            expected=f"{RETRIES + 1} download attempts (the first and {RETRIES} retries)",
            actual=f"{len(tries)} attempts before DownloadFailed",
            frames=csms.trace.render(last=14),
        )


@oca(
    "TC_L_08_CS",
    "Secure Firmware Update - InstallVerificationFailed or InstallationFailed",
    profile="core",
    versions=V2,
    kills=("firmware-install-verification-ignored",),
    applies=_vendor_failing,
)
async def test_firmware_install_fails(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_08_CS (L01): a correctly signed image whose installation fails: Downloading,
    Downloaded, SignatureVerified, Installing (or InstallRebooting), then
    InstallVerificationFailed or InstallationFailed (L01.FR.29), with the requestId
    (L01.FR.10)."""
    pki = session_pki(csms)
    package = signed_package(fw_server, sut_profile, pki, "failing")
    async with manufacturer_root(csms, pki, needed=package.harness_made):
        await update_firmware(csms, 801, package.firmware(install=at(-7200)))
        seen = await follow(csms, 801)
        failed = ("InstallVerificationFailed", "InstallationFailed")
        require_sequence(csms, seen, (*INSTALLED_PATH[:4], failed))


@oca(
    "TC_L_10_CS",
    "Secure Firmware Update - AcceptedCanceled",
    profile="core",
    versions=V2,
    kills=("firmware-no-cancel",),
    applies=_vendor,
    condition="C-60",
)
async def test_firmware_canceled(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_10_CS (L01, errata 2025): while the first update downloads (the firmware server
    holds that download), a second UpdateFirmware is answered AcceptedCanceled (L01.FR.24, the
    station declares C-60); from then on every status carries the second requestId (L01.FR.10;
    DownloadFailed or InstallationFailed of the first are allowed) and the second update runs
    to Installed and FirmwareUpdated (L01.FR.28/31)."""
    pki = session_pki(csms)
    first = signed_package(fw_server, sut_profile, pki)
    second = signed_package(fw_server, sut_profile, pki)
    fw_server.set_fault(first.path, "stall")
    async with manufacturer_root(csms, pki, needed=first.harness_made):
        await update_firmware(csms, 1001, first.firmware(install=at(-7200)))
        await follow(csms, 1001, until=("Downloading",))
        await update_firmware(
            csms, 1002, second.firmware(install=at(-7200)), status="AcceptedCanceled", req=CANCELED
        )
        fw_server.release_stalls()
        fw_server.clear_fault(first.path)
        tolerate = {1001: frozenset({"DownloadFailed", "InstallationFailed", "Downloading"})}
        seen = await follow(csms, 1002, tolerate=tolerate)
        require_sequence(csms, seen, INSTALLED_PATH)
        await security_event(
            csms, "FirmwareUpdated", "L01.FR.31: SecurityEventNotification FirmwareUpdated"
        )


@oca(
    "TC_L_11_CS",
    "Secure Firmware Update - Unable to cancel",
    profile="core",
    versions=V2,
    kills=("firmware-wrong-request-id",),
    applies=_vendor,
    condition="NOT C-60",
)
async def test_firmware_not_canceled(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_11_CS (L01), for a station that cannot cancel an update (not C-60): while the first
    update downloads, a second UpdateFirmware is Rejected (L01.FR.27); the first goes on to
    Installed and FirmwareUpdated with its own requestId (L01.FR.10/28/31). The firmware server
    holds the first download attempt until the second request was answered; the update has
    retries 1, so the station may take a second attempt."""
    pki = session_pki(csms)
    first = signed_package(fw_server, sut_profile, pki)
    second = signed_package(fw_server, sut_profile, pki)
    fw_server.set_fault(first.path, "stall", times=1)
    async with manufacturer_root(csms, pki, needed=first.harness_made):
        firmware = first.firmware(install=at(-7200))
        await update_firmware(csms, 1101, firmware, retries=1, retry_interval=RETRY_INTERVAL_S)
        await follow(csms, 1101, until=("Downloading",))
        await update_firmware(
            csms,
            1102,
            second.firmware(install=at(-7200)),
            status="Rejected",
            req="L01.FR.27: a station that cannot cancel answers the second UpdateFirmware "
            "Rejected",
        )
        fw_server.release_stalls()
        await installed(csms, 1101, INSTALLED_PATH[1:])


@oca(
    "TC_L_18_CS",
    "Secure Firmware Update - Missing firmware signing certificate and signature",
    profile="core",
    versions=V2,
    kills=("firmware-unsigned-accepted",),
)
async def test_firmware_unsigned(
    csms: CsmsPeer, sut_profile: SutProfile, fw_server: FirmwareServer
) -> None:
    """TC_L_18_CS (L01): UpdateFirmware without signingCertificate and signature is answered
    Rejected or InvalidCertificate (L01.FR.21/22: there is no certificate to validate)."""
    package = signed_package(fw_server, sut_profile, session_pki(csms))
    await update_firmware(
        csms,
        1801,
        package.firmware(install=at(-7200), signed=False),
        status=("Rejected", "InvalidCertificate"),
        req=UNSIGNED,
    )
