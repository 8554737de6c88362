"""Faults of OCA block L (firmware management) of the reference CSMS, 2.x (the behaviour lives in
:mod:`harness.reference.csms.block_l` and the operator's ``update_firmware``). Refusing every
FirmwareStatusNotification is ``csms-firmware-status-refused`` of :mod:`.faults_fg` (TC_F_18_CSMS
and the block L cases kill it)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, V2, Fault

#: What a case fails on when the CSMS does not answer a FirmwareStatusNotification.
STATUS_ANSWERED = "L01.FR.01: FirmwareStatusNotification answered"

L_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms-firmware-not-sent",
        CSMS,
        V2,
        "reports an UpdateFirmware request as done without sending it",
        "L01: the CSMS sends UpdateFirmwareRequest",
    ),
    Fault(
        "csms-firmware-no-signing-certificate",
        CSMS,
        V2,
        "sends UpdateFirmware without firmware.signingCertificate",
        "L01.FR.11: firmware.signingCertificate given",
    ),
    Fault(
        "csms-firmware-certificate-not-pem",
        CSMS,
        V2,
        "sends the firmware signing certificate as bare base64 DER, not PEM",
        "A00.FR.507: signingCertificate is an X.509 certificate in PEM",
    ),
    Fault(
        "csms-firmware-no-signature",
        CSMS,
        V2,
        "sends UpdateFirmware without firmware.signature",
        "L01.FR.09: firmware.signature given",
    ),
    Fault(
        "csms-firmware-wrong-signature",
        CSMS,
        V2,
        "signs other bytes than the image it serves (the signature does not verify)",
        "L01.FR.09: the signature verifies",
    ),
    Fault(
        "csms-firmware-location-not-served",
        CSMS,
        V2,
        "names a firmware location on its server that serves nothing (404)",
        "L01: the firmware is served at firmware.location",
    ),
    Fault(
        "csms-firmware-schedule-ignored",
        CSMS,
        V2,
        "asked for a later download or install, sends retrieveDateTime now and no installDateTime",
        "",
        (
            ("TC_L_02_CSMS", "installDateTime in the future"),
            ("TC_L_03_CSMS", "retrieveDateTime in the future"),
        ),
    ),
    Fault(
        "csms-firmware-status-partial",
        CSMS,
        V2,
        "answers only the statuses of a firmware update that goes well; CALLERROR for "
        "DownloadScheduled, InstallScheduled, DownloadFailed, InvalidSignature, "
        "InstallVerificationFailed, InstallationFailed",
        STATUS_ANSWERED,
    ),
    Fault(
        "csms-firmware-security-event-refused",
        CSMS,
        V2,
        "answers SecurityEventNotification InvalidFirmwareSignature or "
        "InvalidFirmwareSigningCertificate with CALLERROR InternalError",
        "A04.FR.03: SecurityEventNotification confirmed",
    ),
    Fault(
        "csms-firmware-boot-rejected",
        CSMS,
        V2,
        "rejects the BootNotification of a station rebooting for a firmware update "
        "(reason FirmwareUpdate)",
        "B01: the BootNotification after the firmware update is Accepted",
    ),
)
