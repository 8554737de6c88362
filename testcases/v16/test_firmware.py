"""OCPP 1.6 Firmware Management with the charge point under test (the harness plays the Central
System): firmware update (1.6 §4.4, §5.16: TC_044_1/2/3_CS) and diagnostics (1.6 §4.5, §5.9:
TC_045_1/2_CS). The 1.6 test case document is not public: the ids and titles are the
catalogue's (section 19/20), the steps ours, after OCPP 1.6 edition 2 and the OCA 2.0.1 twin
each case names. Applicability: :mod:`.firmware_states`; the firmware (a harness image on the
built-in reference, the vendor's ``sut.firmware`` on a real charge point) and its server:
:mod:`testcases.firmware_package`."""

from __future__ import annotations

import itertools

from harness import CsmsPeer, oca
from harness.checks import require, should
from harness.config import SutProfile
from harness.fileserver import UPLOAD_PREFIX
from harness.peers.defaults import now_iso
from testcases.firmware_package import firmware_server, harness_image, session_pki, signed_package
from testcases.v16.firmware_states import (
    RETRIES,
    RETRY_INTERVAL_S,
    V16,
    firmware_management,
    plain_firmware,
    plain_install,
    plain_install_failing,
    reported,
)
from testcases.v201.log_upload import log_server

FIRMWARE = "FirmwareStatusNotification"
DIAGNOSTICS = "DiagnosticsStatusNotification"
ANSWERED = "1.6 §5.16: UpdateFirmware.req answered"
DOWNLOADING = "1.6 §4.4: FirmwareStatusNotification Downloading"
DOWNLOADED = "1.6 §4.4: FirmwareStatusNotification Downloaded"
INSTALLING = "1.6 §4.4: FirmwareStatusNotification Installing"
INSTALLED = "1.6 §4.4: FirmwareStatusNotification Installed"
NEW_VERSION = "1.6 §4.2/§4.4: BootNotification reports the installed firmwareVersion"
RETRIED = "1.6 §5.16: the download is tried again retries times"
INTERVAL = "1.6 §5.16: a retry comes after retryInterval"
DOWNLOAD_FAILED = "1.6 §4.4: FirmwareStatusNotification DownloadFailed"
INSTALL_FAILED = "1.6 §4.4: FirmwareStatusNotification InstallationFailed"
FILE_NAMED = "1.6 §5.9: GetDiagnostics.conf names the file"
UPLOADING = "1.6 §4.5: DiagnosticsStatusNotification Uploading"
UPLOADED = "1.6 §4.5: DiagnosticsStatusNotification Uploaded"
UPLOAD_FAILED = "1.6 §4.5: DiagnosticsStatusNotification UploadFailed"
FILE_ARRIVED = "1.6 §5.9: the diagnostics file is uploaded to the location"
PATH = "/firmware/ocpp16.bin"


async def _update_firmware(csms: CsmsPeer, url: str, *, retries: int = 1) -> None:
    """UpdateFirmware.req with ``url``, retrieveDate now, ``retries``, retryInterval 1 s; the
    answer has no fields (§5.16)."""
    answer = await csms.call(
        "UpdateFirmware",
        location=url,
        retrieve_date=now_iso(),
        retries=retries,
        retry_interval=RETRY_INTERVAL_S,
        req=ANSWERED,
    )
    answer.must(req=ANSWERED)


@oca(
    "TC_044_1_CS",
    "Firmware Update - Download and Install",
    profile="firmware-management",
    versions=V16,
    kills=("firmware-no-downloaded-16", "firmware-version-unchanged-16"),
    applies=plain_install,
)
async def test_firmware_update(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_044_1_CS (1.6 §4.4, §5.16; the 1.6 test case document is not public: the steps follow
    the OCA 2.0.1 twin TC_L_01_CS without the signature): the harness offers a new firmware (a
    harness image on the built-in reference, ``sut.firmware``'s image on a real charge point) on
    its firmware server and sends UpdateFirmware.req with its location and retrieveDate now (step 1),
    answered (step 2); FirmwareStatusNotification Downloading, Downloaded and Installing (steps
    3-8, each answered); the charge point reboots to install: its BootNotification reports the new
    firmwareVersion (answered Accepted), then FirmwareStatusNotification Installed. The image must
    have been fetched from the server."""
    async with firmware_server(csms, sut_profile) as server:
        package = signed_package(server, sut_profile, session_pki(csms))
        url, version = package.url, package.version
        await _update_firmware(csms, url)
        await reported(csms, FIRMWARE, "Downloading", req=DOWNLOADING)
        await reported(csms, FIRMWARE, "Downloaded", req=DOWNLOADED)
        tries = await server.wait_attempts(package.path, 1, timeout_s=1.0)
        fetched = [a for a in tries if a.status == 200]
        require(
            bool(fetched),
            req=DOWNLOADED,
            expected=f"the image downloaded from {url}",
            actual="no complete download on the firmware server",
            frames=csms.trace.render(last=8),
        )
        await reported(csms, FIRMWARE, "Installing", req=INSTALLING)
        boot = await csms.expect(
            "BootNotification",
            within_s=sut_profile.sut.timeouts.connect_s + csms.action_s,
            req=NEW_VERSION,
        )
        require(
            boot.get("firmwareVersion") == version,
            req=NEW_VERSION,
            expected=f"firmwareVersion {version!r} (the installed image's)",
            actual=repr(boot.get("firmwareVersion")),
            frames=csms.trace.render(last=6),
        )
        await reported(csms, FIRMWARE, "Installed", req=INSTALLED)


@oca(
    "TC_044_2_CS",
    "Firmware Update - Download Failed",
    profile="firmware-management",
    versions=V16,
    kills=("firmware-no-retry-16",),
    applies=plain_firmware,
)
async def test_firmware_download_failed(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_044_2_CS (1.6 §4.4, §5.16; the 1.6 test case document is not public: the steps follow
    the OCA 2.0.1 twin TC_L_07_CS): the firmware server answers every download
    404; UpdateFirmware.req with retries 2 and retryInterval 1 s (step 1), answered (step 2);
    FirmwareStatusNotification Downloading, then DownloadFailed once the charge point gave up
    (each answered). Checked on the firmware server: at least ``retries`` attempts (the 1.6
    definition of retries: how many times it tries before giving up), each retry not earlier than
    retryInterval after the one before (a warning: 1.6 says a retry may come after it)."""
    async with firmware_server(csms, sut_profile) as server:
        url = server.serve(PATH, harness_image("0.0.1"))
        server.set_fault(PATH, "not-found")
        await _update_firmware(csms, url, retries=RETRIES)
        await reported(csms, FIRMWARE, "Downloading", req=DOWNLOADING)
        await csms.expect(
            FIRMWARE,
            status="DownloadFailed",
            within_s=csms.action_s + RETRIES * RETRY_INTERVAL_S + 2,
            req=DOWNLOAD_FAILED,
        )
        tries = server.attempts(PATH)
        require(
            len(tries) >= RETRIES,
            req=RETRIED,
            expected=f"at least {RETRIES} download attempts",
            actual=f"{len(tries)} attempt(s)",
            frames=csms.trace.render(last=10),
        )
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(tries)]
        should(
            csms,
            all(gap >= RETRY_INTERVAL_S - 0.2 for gap in gaps),
            req=INTERVAL,
            expected=f"attempts at least {RETRY_INTERVAL_S} s apart",
            actual=", ".join(f"{gap:.2f} s" for gap in gaps),
        )


@oca(
    "TC_044_3_CS",
    "Firmware Update - Installation Failed",
    profile="firmware-management",
    versions=V16,
    kills=("firmware-bad-image-installed-16",),
    applies=plain_install_failing,
)
async def test_firmware_installation_failed(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_044_3_CS (1.6 §4.4, §5.16; the 1.6 test case document is not public: the steps follow
    the OCA 2.0.1 twin TC_L_08_CS): the firmware server offers an image whose installation fails
    (a harness image marked not installable on the built-in reference, ``sut.firmware``'s
    failing_image on a real charge point); UpdateFirmware.req (step 1), answered (step 2);
    FirmwareStatusNotification Downloading and Downloaded, then InstallationFailed (Installing
    before it allowed), each answered."""
    async with firmware_server(csms, sut_profile) as server:
        package = signed_package(server, sut_profile, session_pki(csms), "failing")
        await _update_firmware(csms, package.url)
        await reported(csms, FIRMWARE, "Downloading", req=DOWNLOADING)
        await reported(csms, FIRMWARE, "Downloaded", req=DOWNLOADED)
        await reported(csms, FIRMWARE, "InstallationFailed", req=INSTALL_FAILED)


@oca(
    "TC_045_1_CS",
    "Get Diagnostics",
    profile="firmware-management",
    versions=V16,
    kills=("diagnostics-no-filename-16", "diagnostics-no-uploading-16"),
    applies=firmware_management,
)
async def test_get_diagnostics(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_045_1_CS (1.6 §4.5, §5.9; the 1.6 test case document is not public: the steps follow
    the OCA 2.0.1 twin TC_N_25_CS): GetDiagnostics.req with a location on the harness's file
    server (1.6 names FTP; an HTTP URI is a URI as well) (step 1), answered with the fileName
    (step 2); DiagnosticsStatusNotification Uploading and Uploaded (steps 3-6, each answered); the
    file reached the server."""
    async with log_server(csms, sut_profile.sut.listen.host) as server:
        answer = await csms.call(
            "GetDiagnostics",
            location=server.url(UPLOAD_PREFIX),
            retries=1,
            retry_interval=RETRY_INTERVAL_S,
            req=FILE_NAMED,
        )
        answer.must(req=FILE_NAMED)
        name = answer.get("fileName")
        require(
            isinstance(name, str) and name.strip() != "",
            req=FILE_NAMED,
            expected="fileName present and not empty",
            actual=repr(name),
            frames=answer.frames,
        )
        await reported(csms, DIAGNOSTICS, "Uploading", req=UPLOADING)
        await reported(csms, DIAGNOSTICS, "Uploaded", req=UPLOADED)
        uploaded = await server.wait_upload(timeout_s=1.0)
        require(
            uploaded is not None,
            req=FILE_ARRIVED,
            expected=f"a file uploaded under {server.url(UPLOAD_PREFIX)}",
            actual="nothing uploaded",
            frames=csms.trace.render(last=8),
        )


@oca(
    "TC_045_2_CS",
    "Get Diagnostics - Upload Failed",
    profile="firmware-management",
    versions=V16,
    kills=("diagnostics-failure-as-uploaded-16",),
    applies=firmware_management,
)
async def test_get_diagnostics_upload_failed(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_045_2_CS (1.6 §4.5, §5.9; the 1.6 test case document is not public: the steps follow
    the OCA 2.0.1 twin TC_N_26_CS): GetDiagnostics.req with a location the harness's server
    refuses every upload to (404), retries 1 and retryInterval 1 s (step 1), answered (step 2);
    DiagnosticsStatusNotification Uploading, then UploadFailed once the charge point gave up
    (each answered)."""
    async with log_server(csms, sut_profile.sut.listen.host) as server:
        answer = await csms.call(
            "GetDiagnostics",
            location=server.url("/refused/"),
            retries=1,
            retry_interval=RETRY_INTERVAL_S,
            req="1.6 §5.9: GetDiagnostics.req answered",
        )
        answer.must(req="1.6 §5.9: GetDiagnostics.req answered")
        await reported(csms, DIAGNOSTICS, "Uploading", req=UPLOADING)
        await csms.expect(
            DIAGNOSTICS,
            status="UploadFailed",
            within_s=csms.action_s + RETRY_INTERVAL_S + 2,
            req=UPLOAD_FAILED,
        )
