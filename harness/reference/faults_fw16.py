"""Faults of OCPP 1.6 Firmware Management (1.6 §4.4, §4.5, §5.9, §5.16) and of the security
extension's signed firmware update (1.6 SEC L01), both reference SUTs: the charge point's behaviour
lives in :mod:`harness.reference.station.firmware16`, the Central System's in
:mod:`harness.reference.csms.firmware16`. Killed by the cases of :mod:`testcases.v16.test_firmware`,
:mod:`testcases.v16.test_firmware_signed` and :mod:`testcases.v16.test_firmware_csms`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, Fault

V16 = ("1.6",)

FW16_FAULTS: tuple[Fault, ...] = (
    Fault(
        "firmware-no-downloaded-16",
        STATION,
        V16,
        "goes from Downloading straight to Installing without FirmwareStatusNotification Downloaded",
        "1.6 §4.4: FirmwareStatusNotification Downloaded",
    ),
    Fault(
        "firmware-version-unchanged-16",
        STATION,
        V16,
        "reboots after installing new firmware but reports the old firmwareVersion",
        "1.6 §4.2/§4.4: BootNotification reports the installed firmwareVersion",
    ),
    Fault(
        "firmware-no-retry-16",
        STATION,
        V16,
        "gives up a failed firmware download after the first attempt, whatever retries says",
        "1.6 §5.16: the download is tried again retries times",
    ),
    Fault(
        "firmware-bad-image-installed-16",
        STATION,
        V16,
        "reports an image it cannot install as Installed",
        "1.6 §4.4: FirmwareStatusNotification InstallationFailed",
    ),
    Fault(
        "diagnostics-no-filename-16",
        STATION,
        V16,
        "answers GetDiagnostics without the fileName it uploads",
        "1.6 §5.9: GetDiagnostics.conf names the file",
    ),
    Fault(
        "diagnostics-no-uploading-16",
        STATION,
        V16,
        "uploads its diagnostics without DiagnosticsStatusNotification Uploading",
        "1.6 §4.5: DiagnosticsStatusNotification Uploading",
    ),
    Fault(
        "diagnostics-failure-as-uploaded-16",
        STATION,
        V16,
        "reports a diagnostics upload that failed as Uploaded",
        "1.6 §4.5: DiagnosticsStatusNotification UploadFailed",
    ),
    Fault(
        "signed-firmware-wrong-requestid-16",
        STATION,
        V16,
        "sends SignedFirmwareStatusNotification with another requestId than the request's",
        "1.6 SEC L01.FR.10: the same requestId",
    ),
    Fault(
        "signed-firmware-skips-signature-verified-16",
        STATION,
        V16,
        "installs a signed firmware without SignedFirmwareStatusNotification SignatureVerified",
        "1.6 SEC L01.FR.01: SignatureVerified",
    ),
    Fault(
        "signed-firmware-no-updated-event-16",
        STATION,
        V16,
        "installs a signed firmware without the security event FirmwareUpdated",
        "1.6 SEC A04: SecurityEventNotification FirmwareUpdated",
    ),
    Fault(
        "signed-firmware-accepts-bad-signature-16",
        STATION,
        V16,
        "installs a firmware whose signature does not verify",
        "1.6 SEC L01.FR.04: SignedFirmwareStatusNotification InvalidSignature",
    ),
    Fault(
        "signed-firmware-no-signature-event-16",
        STATION,
        V16,
        "reports InvalidSignature without the security event InvalidFirmwareSignature",
        "1.6 SEC L01.FR.03: SecurityEventNotification InvalidFirmwareSignature",
    ),
    # -- the Central System ----------------------------------------------------------------------
    Fault(
        "update-firmware-location-invalid-16",
        CSMS,
        V16,
        "sends UpdateFirmware.req with a bare file name as location, not a URI",
        "1.6 §5.16: location is a URI",
    ),
    Fault(
        "get-diagnostics-location-invalid-16",
        CSMS,
        V16,
        "sends GetDiagnostics.req with a bare directory name as location, not a URI",
        "1.6 §5.9: location is a URI",
    ),
    Fault(
        "signed-firmware-bad-certificate-16",
        CSMS,
        V16,
        "sends SignedUpdateFirmware.req whose signingCertificate is no PEM certificate",
        "1.6 SEC L01.FR.11: signingCertificate is the firmware signing certificate (PEM)",
    ),
    Fault(
        "signed-firmware-signature-not-base64-16",
        CSMS,
        V16,
        "sends SignedUpdateFirmware.req whose signature is colon-separated hex, not base64",
        "1.6 SEC §6.7: signature is base64",
    ),
    Fault(
        "firmware-status-not-answered-16",
        CSMS,
        V16,
        "answers FirmwareStatusNotification.req with CALLERROR InternalError",
        "1.6 §4.4: FirmwareStatusNotification.req answered",
    ),
    Fault(
        "diagnostics-status-not-answered-16",
        CSMS,
        V16,
        "answers DiagnosticsStatusNotification.req with CALLERROR InternalError",
        "1.6 §4.5: DiagnosticsStatusNotification.req answered",
    ),
    Fault(
        "signed-firmware-status-not-answered-16",
        CSMS,
        V16,
        "answers SignedFirmwareStatusNotification.req with CALLERROR InternalError",
        "1.6 SEC L01: SignedFirmwareStatusNotification.req answered",
    ),
)
