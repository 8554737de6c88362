"""OCA block L (Firmware Management, L01 Secure Firmware Update), OCPP 2.0.1 and 2.1, the CSMS
under test (``_CSMS``: the harness is the station). Steps and criteria in our own words after
OCPP 2.0.1 Part 6: TC_L_01-11/13_CSMS. The operator has the CSMS send UpdateFirmware (action
``update_firmware``); the harness answers it, checks the signed firmware it carries and reports
the status sequence with the request's requestId (:mod:`.firmware_csms`): every
FirmwareStatusNotification, SecurityEventNotification and the BootNotification after the
firmware reboot must be answered.

Not implemented: TC_L_17 and TC_L_19-24 (PublishFirmware / UnpublishFirmware, L03/L04, the
Local Controller's firmware publishing): Part 5 lists them as documentation only ("doc", in no
certification profile) and the harness has no Local Controller role. TC_L_12/14/15/16 have no
CSMS test case, TC_L_18 none either (it checks a station's refusal of an unsigned request).
"""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from testcases.v201.firmware_csms import (
    DOWNLOADED,
    firmware_verified,
    in_future,
    installed,
    rebooted,
    security_event,
    status,
    statuses,
    until,
)
from testcases.v201.firmware_csms import connectors as report_connectors
from testcases.v201.firmware_csms import update_firmware as csms_update_firmware
from testcases.v201.tx_states import (
    StationTx,
    station_charging,
    station_ev_disconnected,
    station_stop_authorized,
)

V2 = ("2.0.1", "2.1")
#: How far ahead TC_L_02/03_CSMS ask the built-in CSMS to schedule the install / the download
#: (s); a real CSMS's operator is given a minute (the case waits for the time the CSMS sets,
#: at most the profile's action time).
SCHEDULE_S = 3
OPERATOR_SCHEDULE_S = 60


def _schedule_s(profile: SutProfile) -> int:
    return SCHEDULE_S if profile.sut.builtin is not None else OPERATOR_SCHEDULE_S


#: What every case's UpdateFirmwareRequest may fail on (its checks run in every case).
REQUEST_FAULTS = (
    "csms-firmware-not-sent",
    "csms-firmware-no-signing-certificate",
    "csms-firmware-certificate-not-pem",
    "csms-firmware-no-signature",
)
#: What fails where the harness verifies the firmware (before it reports SignatureVerified).
IMAGE_FAULTS = ("csms-firmware-wrong-signature", "csms-firmware-location-not-served")


@oca(
    "TC_L_01_CSMS",
    "Secure Firmware Update - Installation successful",
    profile="core",
    versions=V2,
    kills=(
        *REQUEST_FAULTS,
        *IMAGE_FAULTS,
        "csms-firmware-status-refused",
        "csms-firmware-boot-rejected",
    ),
)
async def test_csms_firmware_installed(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_01_CSMS (L01.FR.01/11/15): UpdateFirmwareRequest with the signing certificate and
    the signature (step 1, the tool validations: L01.FR.11, L01.FR.09), Accepted; Downloading
    and Downloaded; the harness fetches the image and verifies its signature before it reports
    SignatureVerified; Installing, InstallRebooting, the reboot with BootNotification reason
    FirmwareUpdate answered Accepted (tool validation), the connectors Available, then
    Installed (steps 3-18), every message answered."""
    request = await csms_update_firmware(station, sut)
    await statuses(station, DOWNLOADED, request["requestId"])
    await installed(station, sut_profile, request)


@oca(
    "TC_L_02_CSMS",
    "Secure Firmware Update - InstallScheduled",
    profile="core",
    versions=V2,
    kills=("csms-firmware-schedule-ignored", "csms-firmware-status-partial"),
    condition="C-15",
)
async def test_csms_firmware_install_scheduled(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_02_CSMS (L01.FR.01/11/15; C-15): asked for an install a few seconds ahead, the CSMS
    sends UpdateFirmwareRequest with installDateTime in the future (step 1, the tool
    validation); Accepted, Downloading, Downloaded, SignatureVerified (after the harness
    verified the image), InstallScheduled; once installDateTime has come, Installing,
    InstallRebooting, the reboot (BootNotification FirmwareUpdate Accepted, the tool
    validation) and Installed (steps 2-20), every message answered."""
    request = await csms_update_firmware(station, sut, install_in_s=_schedule_s(sut_profile))
    in_future(
        station,
        request,
        "installDateTime",
        req="L01: installDateTime in the future (TC_L_02_CSMS tool validation)",
    )
    request_id = request["requestId"]
    await statuses(station, DOWNLOADED, request_id)
    await firmware_verified(station, request)
    await statuses(station, ("SignatureVerified", "InstallScheduled"), request_id)
    await until(station, request, "installDateTime")
    await statuses(station, ("Installing", "InstallRebooting"), request_id)
    await rebooted(station, sut_profile)
    await status(station, "Installed", request_id)


@oca(
    "TC_L_03_CSMS",
    "Secure Firmware Update - DownloadScheduled",
    profile="core",
    versions=V2,
    kills=("csms-firmware-schedule-ignored", "csms-firmware-status-partial"),
    condition="C-15",
)
async def test_csms_firmware_download_scheduled(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_03_CSMS (L01.FR.01/11/15; C-15): asked for a download a few seconds ahead, the CSMS
    sends UpdateFirmwareRequest with retrieveDateTime in the future (step 1, the tool
    validation); Accepted, DownloadScheduled; once retrieveDateTime has come, Downloading,
    Downloaded, SignatureVerified (after the harness verified the image), Installing,
    InstallRebooting, the reboot (BootNotification FirmwareUpdate Accepted, the tool
    validation) and Installed (steps 2-20), every message answered."""
    request = await csms_update_firmware(station, sut, retrieve_in_s=_schedule_s(sut_profile))
    in_future(
        station,
        request,
        "retrieveDateTime",
        req="L01: retrieveDateTime in the future (TC_L_03_CSMS tool validation)",
    )
    await status(station, "DownloadScheduled", request["requestId"])
    await until(station, request, "retrieveDateTime")
    await statuses(station, DOWNLOADED, request["requestId"])
    await installed(station, sut_profile, request)


async def _still_served(station: StationPeer) -> None:
    """After a refusal that ends the exchange: the CSMS goes on serving the station (a
    Heartbeat is answered)."""
    result = await station.call("Heartbeat", req="L01: the CSMS takes the refusal in its stride")
    result.must(req="L01: the CSMS takes the refusal in its stride")


@oca(
    "TC_L_04_CSMS",
    "Secure Firmware Update - RevokedCertificate",
    profile="core",
    versions=V2,
    kills=REQUEST_FAULTS,
)
async def test_csms_firmware_revoked_certificate(station: StationPeer, sut: SutActions) -> None:
    """TC_L_04_CSMS (L01.FR.01): the CSMS sends UpdateFirmwareRequest (step 1) and the harness
    answers RevokedCertificate (step 2). The document has no tool validation; the request's
    signing material is checked as in every case, and the CSMS must go on answering the
    station (a Heartbeat)."""
    await csms_update_firmware(station, sut, "RevokedCertificate")
    await _still_served(station)


@oca(
    "TC_L_05_CSMS",
    "Secure Firmware Update - InvalidCertificate",
    profile="core",
    versions=V2,
    kills=(*REQUEST_FAULTS, "csms-firmware-security-event-refused"),
)
async def test_csms_firmware_invalid_certificate(station: StationPeer, sut: SutActions) -> None:
    """TC_L_05_CSMS (L01.FR.01): UpdateFirmwareRequest (step 1) answered InvalidCertificate
    (step 2); SecurityEventNotification InvalidFirmwareSigningCertificate (step 3, L01.FR.02)
    confirmed by the CSMS (step 4, A04.FR.03)."""
    await csms_update_firmware(station, sut, "InvalidCertificate")
    await security_event(station, "InvalidFirmwareSigningCertificate")


@oca(
    "TC_L_06_CSMS",
    "Secure Firmware Update - InvalidSignature",
    profile="core",
    versions=V2,
    kills=("csms-firmware-status-partial", "csms-firmware-security-event-refused"),
)
async def test_csms_firmware_invalid_signature(station: StationPeer, sut: SutActions) -> None:
    """TC_L_06_CSMS (L01.FR.01/11): UpdateFirmwareRequest answered Accepted; Downloading,
    Downloaded, InvalidSignature (steps 3-8) and SecurityEventNotification
    InvalidFirmwareSignature (steps 9-10, L01.FR.03; errata: either order), every message
    answered. The harness plays a station whose check failed: it does not judge the image."""
    request = await csms_update_firmware(station, sut)
    await statuses(station, (*DOWNLOADED, "InvalidSignature"), request["requestId"])
    await security_event(station, "InvalidFirmwareSignature")


@oca(
    "TC_L_07_CSMS",
    "Secure Firmware Update - DownloadFailed",
    profile="core",
    versions=V2,
    kills=("csms-firmware-status-partial",),
)
async def test_csms_firmware_download_failed(station: StationPeer, sut: SutActions) -> None:
    """TC_L_07_CSMS (L01.FR.01/11): UpdateFirmwareRequest answered Accepted; Downloading, then
    DownloadFailed (steps 3-6, L01.FR.30), both answered."""
    request = await csms_update_firmware(station, sut)
    await statuses(station, ("Downloading", "DownloadFailed"), request["requestId"])


@oca(
    "TC_L_08_CSMS",
    "Secure Firmware Update - InstallVerificationFailed or InstallationFailed",
    profile="core",
    versions=V2,
    kills=(*IMAGE_FAULTS, "csms-firmware-status-partial"),
)
async def test_csms_firmware_install_verification_failed(
    station: StationPeer, sut: SutActions
) -> None:
    """TC_L_08_CSMS (L01.FR.01/11): UpdateFirmwareRequest answered Accepted; Downloading,
    Downloaded, SignatureVerified (after the harness verified the image), Installing, then
    InstallVerificationFailed (steps 3-12, L01.FR.29), every one answered."""
    request = await csms_update_firmware(station, sut)
    await statuses(station, DOWNLOADED, request["requestId"])
    await firmware_verified(station, request)
    values = ("SignatureVerified", "Installing", "InstallVerificationFailed")
    await statuses(station, values, request["requestId"])


@oca(
    "TC_L_09_CSMS",
    "Secure Firmware Update - InstallationFailed",
    profile="core",
    versions=V2,
    kills=("csms-firmware-status-partial", "csms-firmware-boot-rejected"),
)
async def test_csms_firmware_installation_failed(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_09_CSMS (L01.FR.01/11): UpdateFirmwareRequest answered Accepted; Downloading,
    Downloaded, SignatureVerified (after the harness verified the image), Installing,
    InstallRebooting, the reboot (BootNotification FirmwareUpdate Accepted: the tool
    validation; the connectors Available), then InstallationFailed (steps 3-18), every message
    answered."""
    request = await csms_update_firmware(station, sut)
    request_id = request["requestId"]
    await statuses(station, DOWNLOADED, request_id)
    await firmware_verified(station, request)
    await statuses(station, ("SignatureVerified", "Installing", "InstallRebooting"), request_id)
    await rebooted(station, sut_profile)
    await status(station, "InstallationFailed", request_id)


def _own_request_id(station: StationPeer, first: InboundCall, second: InboundCall) -> None:
    """A SHOULD of ours: the second update has a requestId of its own, or its notifications
    (L01.FR.10) cannot be told from the first's (no SHALL says so: a warning)."""
    should(
        station,
        second.get("requestId") != first.get("requestId"),
        req="L01.FR.10: each firmware update's notifications carry its own requestId",
        expected="a requestId other than the first UpdateFirmwareRequest's",
        actual=f"requestId {second.get('requestId')!r} again",
    )


@oca(
    "TC_L_10_CSMS",
    "Secure Firmware Update - AcceptedCanceled",
    profile="core",
    versions=V2,
    kills=(
        *IMAGE_FAULTS,
        "csms-firmware-status-refused",
        "csms-firmware-status-partial",
        "csms-firmware-boot-rejected",
    ),
)
async def test_csms_firmware_accepted_canceled(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_10_CSMS (L01.FR.01/11/24): a first UpdateFirmwareRequest answered Accepted and its
    Downloading; a second one while it runs, answered AcceptedCanceled (steps 1-6); the
    cancelled first update reported DownloadFailed with its requestId (the errata allows it,
    L01.FR.24 note); then the second update to Installed: Downloading, Downloaded, SignatureVerified (after the harness
    verified the second image), Installing, InstallRebooting, the reboot (BootNotification
    FirmwareUpdate Accepted, the tool validation) and Installed with the second requestId
    (steps 7-22; errata), every message answered."""
    first = await csms_update_firmware(station, sut)
    await status(station, "Downloading", first["requestId"])
    second = await csms_update_firmware(station, sut, "AcceptedCanceled")
    _own_request_id(station, first, second)
    await status(station, "DownloadFailed", first["requestId"])
    await statuses(station, DOWNLOADED, second["requestId"])
    await installed(station, sut_profile, second)


@oca(
    "TC_L_11_CSMS",
    "Secure Firmware Update - Unable to cancel",
    profile="core",
    versions=V2,
    kills=(*IMAGE_FAULTS, "csms-firmware-status-refused", "csms-firmware-boot-rejected"),
)
async def test_csms_firmware_unable_to_cancel(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_11_CSMS (L01.FR.01/11/27): a first UpdateFirmwareRequest answered Accepted and its
    Downloading; a second one answered Rejected (steps 1-6, L01.FR.27); the first update goes
    on to Installed: Downloaded, SignatureVerified (after the harness verified the first
    image), Installing, InstallRebooting, the reboot (BootNotification FirmwareUpdate
    Accepted, the tool validation) and Installed with the first requestId (steps 7-20), every
    message answered."""
    first = await csms_update_firmware(station, sut)
    await status(station, "Downloading", first["requestId"])
    second = await csms_update_firmware(station, sut, "Rejected")
    _own_request_id(station, first, second)
    await status(station, "Downloaded", first["requestId"])
    await installed(station, sut_profile, first)


@oca(
    "TC_L_13_CSMS",
    "Secure Firmware Update - Unable to download/install firmware with ongoing transaction "
    "-AllowNewSessionsPendingFirmwareUpdate is false",
    profile="core",
    versions=V2,
    kills=(*REQUEST_FAULTS, "csms-firmware-status-partial", "csms-firmware-boot-rejected"),
)
async def test_csms_firmware_after_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_L_13_CSMS (L01.FR.01/11): in state EnergyTransferStarted (played by the harness), the
    CSMS sends UpdateFirmwareRequest with the signing certificate (step 1, the tool
    validation), Accepted; DownloadScheduled (L01.FR.13) and every connector without the
    transaction Unavailable (steps 3-6, L01.FR.07); the transaction ends (StopAuthorized,
    EVConnectedPostSession, EVDisconnected: steps 7-9); then Downloading, Downloaded,
    SignatureVerified (after the harness verified the image), Installing, InstallRebooting,
    the reboot (BootNotification FirmwareUpdate Accepted, the tool validation; the connectors
    Available) and Installed (steps 10-25), every message answered."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    request = await csms_update_firmware(station, sut)
    await status(station, "DownloadScheduled", request["requestId"])
    busy = (tx.evse_id, tx.connector_id)
    await report_connectors(station, sut_profile, "Unavailable", skip=busy)
    await station_stop_authorized(tx, req="E06: TransactionEvent StopAuthorized answered")
    await tx.event(
        "Updated",
        "ChargingStateChanged",
        charging_state="EVConnected",
        req="E06: TransactionEvent EVConnectedPostSession answered",
    )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")
    await until(station, request, "retrieveDateTime")
    await statuses(station, DOWNLOADED, request["requestId"])
    await installed(station, sut_profile, request)
