"""OCPP 1.6 Firmware Management and the security extension's secure firmware update with the
Central System under test (the harness plays the charge point): UpdateFirmware (1.6 §4.4, §5.16:
TC_044_1/2/3_CSMS), GetDiagnostics (1.6 §4.5, §5.9: TC_045_1/2_CSMS) and SignedUpdateFirmware
(1.6 SEC L01: TC_080/081_CSMS). The 1.6 test case document is not public: the ids and titles are
the catalogue's (``harness/catalogue/ocpp16-csms.tsv``), the steps ours, after OCPP 1.6 edition 2,
the whitepaper's use case L01 and the OCA 2.0.1 twin each docstring names.

The operator asks the Central System through the SUT actions ``update_firmware`` and
``get_diagnostics``. The harness charge point does not download or upload anything: it checks
the request (a location that is a URI; for a signed update a PEM signing certificate and a base64
signature), answers it and reports the status sequence, every message of which the Central System
must answer. Applicability as for the charge point (:mod:`.firmware_states`): a Central System
reached over a security profile updates firmware by SignedUpdateFirmware (a charge point with
the security extension refuses UpdateFirmware, 1.6 SEC L01.FR.20)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from testcases.v16.firmware_states import (
    V16,
    firmware_management,
    plain_firmware,
    signed_firmware,
)
from testcases.v201.firmware_signing_checks import read_certificate

FIRMWARE_LOCATION = "1.6 §5.16: location is a URI"
DIAGNOSTICS_LOCATION = "1.6 §5.9: location is a URI"
FIRMWARE_ANSWERED = "1.6 §4.4: FirmwareStatusNotification.req answered"
DIAGNOSTICS_ANSWERED = "1.6 §4.5: DiagnosticsStatusNotification.req answered"
SIGNED_ANSWERED = "1.6 SEC L01: SignedFirmwareStatusNotification.req answered"
EVENT_ANSWERED = "1.6 SEC A04.FR.03: SecurityEventNotification.req is confirmed"
CERTIFICATE = "1.6 SEC L01.FR.11: signingCertificate is the firmware signing certificate (PEM)"
SIGNATURE = "1.6 SEC §6.7: signature is base64"


def _require_uri(station: StationPeer, location: object, req: str) -> None:
    """``location`` is an absolute URI: a scheme and an authority or path."""
    parts = urlsplit(location) if isinstance(location, str) else None
    require(
        parts is not None and bool(parts.scheme) and bool(parts.netloc or parts.path),
        req=req,
        expected="an absolute URI (scheme://host/path)",
        actual=repr(location),
        frames=station.trace.render(last=4),
    )


def _require_date(station: StationPeer, value: object, req: str) -> None:
    """``value`` is an RFC 3339 date-time (what the harness charge point retrieves from)."""
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        ok = isinstance(value, str)
    except ValueError:
        ok = False
    require(
        ok,
        req=req,
        expected="a date-time (RFC 3339)",
        actual=repr(value),
        frames=station.trace.render(last=4),
    )


async def _held(station: StationPeer, action: str) -> InboundCall:
    """The ``action`` request the operator's command caused, held for the case to answer."""
    return await station.expect(
        action, within_s=station.action_s, req=f"1.6: the Central System sends {action}.req"
    )


async def _report(
    station: StationPeer, action: str, sequence: tuple[str, ...], req: str, **fields: Any
) -> None:
    """``action`` with each status of ``sequence`` (and ``fields``), each answered (``req``)."""
    for status in sequence:
        result = await station.call(action, status=status, req=req, **fields)
        result.must(req=req)


async def _update_firmware(station: StationPeer, sut: SutActions) -> None:
    """UpdateFirmware.req (steps 1-2): its location a URI and retrieveDate a date-time (§5.16),
    answered (no fields)."""
    station.hold("UpdateFirmware")
    await sut.update_firmware()
    request = await _held(station, "UpdateFirmware")
    await request.reply()
    _require_uri(station, request.get("location"), FIRMWARE_LOCATION)
    _require_date(station, request.get("retrieveDate"), "1.6 §5.16: retrieveDate is a date-time")


async def _signed_update(station: StationPeer, sut: SutActions) -> int:
    """SignedUpdateFirmware.req (steps 1-2): a location URI, a retrieveDateTime, the signing
    certificate in PEM (L01.FR.11) and a base64 signature; Accepted. Returns its requestId."""
    station.hold("SignedUpdateFirmware")
    await sut.update_firmware()
    request = await _held(station, "SignedUpdateFirmware")
    firmware = request.get("firmware")
    firmware = firmware if isinstance(firmware, dict) else {}
    await request.reply(status="Accepted")
    frames = station.trace.render(last=4)
    _require_uri(station, firmware.get("location"), "1.6 SEC L01: firmware.location is a URI")
    _require_date(
        station, firmware.get("retrieveDateTime"), "1.6 SEC §6.7: retrieveDateTime is a date-time"
    )
    facts = read_certificate(firmware.get("signingCertificate"))
    require(
        not facts.problem,
        req=CERTIFICATE,
        expected="one PEM-encoded X.509 certificate",
        actual=facts.problem,
        frames=frames,
    )
    signature = firmware.get("signature")
    try:
        decoded = base64.b64decode(str(signature), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    require(
        isinstance(signature, str) and decoded != b"",
        req=SIGNATURE,
        expected="a non-empty base64 signature",
        actual=repr(signature)[:80],
        frames=frames,
    )
    return int(request["requestId"])


@oca(
    "TC_044_1_CSMS",
    "Firmware Update - Download and Install",
    profile="firmware-management",
    versions=V16,
    kills=("update-firmware-location-invalid-16", "firmware-status-not-answered-16"),
    applies=plain_firmware,
)
async def test_csms_firmware_update(station: StationPeer, sut: SutActions) -> None:
    """TC_044_1_CSMS (1.6 §4.4, §5.16; the 1.6 document is not public, steps after the 2.0.1
    twin TC_L_01_CSMS without the signature): the Central System, asked by its operator, sends
    UpdateFirmware.req whose location is a URI (step 1), answered (step 2); the harness reports
    FirmwareStatusNotification Downloading, Downloaded, Installing and Installed, each answered by
    the Central System. Deviation: the harness charge point does not reboot in between."""
    await _update_firmware(station, sut)
    sequence = ("Downloading", "Downloaded", "Installing", "Installed")
    await _report(station, "FirmwareStatusNotification", sequence, FIRMWARE_ANSWERED)


@oca(
    "TC_044_2_CSMS",
    "Firmware Update - Download Failed",
    profile="firmware-management",
    versions=V16,
    kills=("firmware-status-not-answered-16",),
    applies=plain_firmware,
)
async def test_csms_firmware_download_failed(station: StationPeer, sut: SutActions) -> None:
    """TC_044_2_CSMS (1.6 §4.4, §5.16; steps after the 2.0.1 twin TC_L_07_CSMS): UpdateFirmware.req
    (location a URI), answered; FirmwareStatusNotification Downloading, then DownloadFailed, each
    answered."""
    await _update_firmware(station, sut)
    sequence = ("Downloading", "DownloadFailed")
    await _report(station, "FirmwareStatusNotification", sequence, FIRMWARE_ANSWERED)


@oca(
    "TC_044_3_CSMS",
    "Firmware Update - Installation Failed",
    profile="firmware-management",
    versions=V16,
    kills=("firmware-status-not-answered-16",),
    applies=plain_firmware,
)
async def test_csms_firmware_installation_failed(station: StationPeer, sut: SutActions) -> None:
    """TC_044_3_CSMS (1.6 §4.4, §5.16; steps after the 2.0.1 twin TC_L_08_CSMS):
    UpdateFirmware.req (location a URI), answered; FirmwareStatusNotification Downloading,
    Downloaded, Installing, then InstallationFailed, each answered."""
    await _update_firmware(station, sut)
    sequence = ("Downloading", "Downloaded", "Installing", "InstallationFailed")
    await _report(station, "FirmwareStatusNotification", sequence, FIRMWARE_ANSWERED)


async def _get_diagnostics(station: StationPeer, sut: SutActions) -> None:
    """GetDiagnostics.req (steps 1-2): its location a URI (§5.9), answered with a fileName."""
    station.hold("GetDiagnostics")
    await sut.get_diagnostics()
    request = await _held(station, "GetDiagnostics")
    await request.reply(file_name=f"diagnostics-{now_iso()[:10]}.log")
    _require_uri(station, request.get("location"), DIAGNOSTICS_LOCATION)


@oca(
    "TC_045_1_CSMS",
    "Get Diagnostics",
    profile="firmware-management",
    versions=V16,
    kills=("get-diagnostics-location-invalid-16", "diagnostics-status-not-answered-16"),
    applies=firmware_management,
)
async def test_csms_get_diagnostics(station: StationPeer, sut: SutActions) -> None:
    """TC_045_1_CSMS (1.6 §4.5, §5.9; steps after the 2.0.1 twin TC_N_25_CSMS): the Central
    System, asked by its operator (action ``get_diagnostics``), sends GetDiagnostics.req whose
    location is a URI (step 1), answered with a fileName (step 2); DiagnosticsStatusNotification
    Uploading, then Uploaded, each answered."""
    await _get_diagnostics(station, sut)
    sequence = ("Uploading", "Uploaded")
    await _report(station, "DiagnosticsStatusNotification", sequence, DIAGNOSTICS_ANSWERED)


@oca(
    "TC_045_2_CSMS",
    "Get Diagnostics - Upload Failed",
    profile="firmware-management",
    versions=V16,
    kills=("diagnostics-status-not-answered-16",),
    applies=firmware_management,
)
async def test_csms_get_diagnostics_failed(station: StationPeer, sut: SutActions) -> None:
    """TC_045_2_CSMS (1.6 §4.5, §5.9; steps after the 2.0.1 twin TC_N_26_CSMS):
    GetDiagnostics.req (location a URI), answered with a fileName; DiagnosticsStatusNotification
    Uploading, then UploadFailed, each answered."""
    await _get_diagnostics(station, sut)
    sequence = ("Uploading", "UploadFailed")
    await _report(station, "DiagnosticsStatusNotification", sequence, DIAGNOSTICS_ANSWERED)


@oca(
    "TC_080_CSMS",
    "Secure Firmware Update",
    profile="advanced-security",
    versions=V16,
    kills=(
        "signed-firmware-bad-certificate-16",
        "signed-firmware-signature-not-base64-16",
        "signed-firmware-status-not-answered-16",
    ),
    applies=signed_firmware,
)
async def test_csms_secure_firmware_update(station: StationPeer, sut: SutActions) -> None:
    """TC_080_CSMS (1.6 SEC L01.FR.01/10/11; the 1.6 document is not public, steps after the
    2.0.1 twin TC_L_01_CSMS): the Central System, asked by its operator, sends
    SignedUpdateFirmware.req (step 1; checked: the location a URI, the signing certificate one
    PEM X.509 certificate, the signature base64), answered Accepted (step 2); the harness reports
    SignedFirmwareStatusNotification Downloading, Downloaded, SignatureVerified, Installing and
    Installed with the request's requestId, and SecurityEventNotification FirmwareUpdated, each
    answered. Deviation: the harness charge point does not reboot in between."""
    request_id = await _signed_update(station, sut)
    sequence = ("Downloading", "Downloaded", "SignatureVerified", "Installing", "Installed")
    await _report(
        station,
        "SignedFirmwareStatusNotification",
        sequence,
        SIGNED_ANSWERED,
        request_id=request_id,
    )
    event = await station.call(
        "SecurityEventNotification", type="FirmwareUpdated", timestamp=now_iso(), req=EVENT_ANSWERED
    )
    event.must(req=EVENT_ANSWERED)


@oca(
    "TC_081_CSMS",
    "Secure Firmware Update - Invalid Signature",
    profile="advanced-security",
    versions=V16,
    kills=("signed-firmware-status-not-answered-16", "security-event-not-answered-16"),
    applies=signed_firmware,
)
async def test_csms_secure_firmware_invalid_signature(
    station: StationPeer, sut: SutActions
) -> None:
    """TC_081_CSMS (1.6 SEC L01.FR.03/10; steps after the 2.0.1 twin TC_L_06_CSMS):
    SignedUpdateFirmware.req (checked as in TC_080_CSMS), answered Accepted; the harness reports
    SignedFirmwareStatusNotification Downloading, Downloaded and InvalidSignature with the
    request's requestId, and SecurityEventNotification InvalidFirmwareSignature, each answered."""
    request_id = await _signed_update(station, sut)
    sequence = ("Downloading", "Downloaded", "InvalidSignature")
    await _report(
        station,
        "SignedFirmwareStatusNotification",
        sequence,
        SIGNED_ANSWERED,
        request_id=request_id,
    )
    event = await station.call(
        "SecurityEventNotification",
        type="InvalidFirmwareSignature",
        timestamp=now_iso(),
        req=EVENT_ANSWERED,
    )
    event.must(req=EVENT_ANSWERED)
