"""OCPP 1.6 Firmware Management (1.6 §4.4, §4.5, §5.9, §5.16) and the security extension's signed
firmware update (1.6 SEC L01) at the reference Central System.

* FirmwareStatusNotification.req, DiagnosticsStatusNotification.req and
  SignedFirmwareStatusNotification.req are confirmed (each refused with CALLERROR InternalError
  under its fault).
* Operator commands (:class:`Firmware16Commands`, the 1.6 branch of the built-in SUT actions):
  ``update_firmware`` sends, to a charge point connected without a security profile,
  UpdateFirmware.req (§5.16: a location URI, retrieveDate as asked, retries 1, retryInterval 1 s) and,
  to one with a security profile (1.6 SEC L01.FR.20: such a charge point refuses UpdateFirmware),
  SignedUpdateFirmware.req with a fresh requestId and the firmware signing certificate and the
  base64 signature of the image (L01.FR.11) from a manufacturer PKI of its own;
  ``get_diagnostics`` sends GetDiagnostics.req (§5.9) with a location URI to upload to.

Faults (:mod:`harness.reference.faults_fw16`): ``update-firmware-location-invalid-16``,
``get-diagnostics-location-invalid-16``, ``signed-firmware-bad-certificate-16``,
``signed-firmware-signature-not-base64-16``, ``firmware-status-not-answered-16``,
``diagnostics-status-not-answered-16``, ``signed-firmware-status-not-answered-16``.
"""

from __future__ import annotations

import base64
import functools
import itertools
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.pki import ensure_pki
from harness.pki.firmware import valid_signed
from harness.reference.csms.commands import Command, CommandFailed
from harness.reference.csms.handlers_common import Handler, Refusal, rfc3339
from harness.reference.csms.operator import OperatorCommands
from harness.reference.csms.records import CsmsState, StationRecord

V16 = "1.6"
#: Where the reference Central System offers its firmware and takes diagnostics (the harness
#: charge point neither downloads nor uploads).
FIRMWARE_LOCATION = "http://127.0.0.1/firmware/reference-2.0.0.bin"
DIAGNOSTICS_LOCATION = "ftp://127.0.0.1/diagnostics/"
IMAGE = b"OCPP-HARNESS-FIRMWARE 2.0.0\nthe reference Central System's firmware image\n"
_request_ids = itertools.count(1)


def _refused_under(fault: str, what: str) -> Handler:
    def handler(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> Any:
        if fault in state.faults:
            raise Refusal(ErrorKind.INTERNAL_ERROR, f"the {what} could not be stored")
        return {}

    return handler


HANDLERS: dict[str, Handler] = {
    "FirmwareStatusNotification": _refused_under(
        "firmware-status-not-answered-16", "firmware status"
    ),
    "DiagnosticsStatusNotification": _refused_under(
        "diagnostics-status-not-answered-16", "diagnostics status"
    ),
    "SignedFirmwareStatusNotification": _refused_under(
        "signed-firmware-status-not-answered-16", "signed firmware status"
    ),
}


@functools.cache
def _signing_pki() -> Path:
    """A manufacturer PKI of the reference Central System's own (one per process)."""
    return Path(tempfile.mkdtemp(prefix="ocpp-harness-csms-fw-")) / "ecdsa"


def _at(seconds: int) -> str:
    return rfc3339(datetime.now(UTC) + timedelta(seconds=seconds))


def update_firmware(faults: frozenset[str], retrieve_in_s: int = 0) -> Command:
    """1.6 §5.16 UpdateFirmware.req (a bare file name under
    ``update-firmware-location-invalid-16``)."""
    location = FIRMWARE_LOCATION
    if "update-firmware-location-invalid-16" in faults:
        location = location.rsplit("/", 1)[-1]
    payload = {
        "location": location,
        "retrieveDate": _at(retrieve_in_s),
        "retries": 1,
        "retryInterval": 1,
    }
    return "UpdateFirmware", payload


def signed_update_firmware(
    faults: frozenset[str], retrieve_in_s: int = 0, install_in_s: int = 0
) -> Command:
    """1.6 SEC L01 SignedUpdateFirmware.req with the signing certificate and the signature of
    :data:`IMAGE` (faults: ``signed-firmware-bad-certificate-16``,
    ``signed-firmware-signature-not-base64-16``)."""
    signed = valid_signed(ensure_pki(_signing_pki()), IMAGE)
    certificate, signature = signed.certificate, signed.signature
    if "signed-firmware-bad-certificate-16" in faults:
        certificate = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n"
    if "signed-firmware-signature-not-base64-16" in faults:
        signature = base64.b64decode(signature).hex(":")
    firmware = {
        "location": FIRMWARE_LOCATION,
        "retrieveDateTime": _at(retrieve_in_s),
        "signingCertificate": certificate,
        "signature": signature,
    }
    if install_in_s > 0:
        firmware["installDateTime"] = _at(install_in_s)
    payload = {"requestId": next(_request_ids), "retries": 1, "retryInterval": 1}
    return "SignedUpdateFirmware", {**payload, "firmware": firmware}


def get_diagnostics(faults: frozenset[str]) -> Command:
    """1.6 §5.9 GetDiagnostics.req (a bare directory name under
    ``get-diagnostics-location-invalid-16``)."""
    location = DIAGNOSTICS_LOCATION
    if "get-diagnostics-location-invalid-16" in faults:
        location = "diagnostics"
    return "GetDiagnostics", {"location": location, "retries": 1, "retryInterval": 1}


class Firmware16Commands(OperatorCommands):
    """The firmware and diagnostics commands in their 1.6 form (see the module docstring);
    any other version goes to the 2.x commands (block L's UpdateFirmware; no GetDiagnostics)."""

    async def update_firmware(
        self, identity: str, retrieve_in_s: int = 0, install_in_s: int = 0
    ) -> dict[str, Any]:
        """1.6 §5.16 UpdateFirmware.req, or 1.6 SEC L01 SignedUpdateFirmware.req to a charge
        point with a security profile; retrieved ``retrieve_in_s`` (and, signed, installed
        ``install_in_s``) seconds from now (0: at once, no install time)."""
        if self.version != V16:  # 2.x: block L (OperatorCommands)
            return await super().update_firmware(identity, retrieve_in_s, install_in_s)
        if self.security.level(identity) >= 1:
            command = signed_update_firmware(self.faults, retrieve_in_s, install_in_s)
        else:
            command = update_firmware(self.faults, retrieve_in_s)
        return await self._command(identity, command)

    async def get_diagnostics(self, identity: str) -> dict[str, Any]:
        """1.6 §5.9 GetDiagnostics.req."""
        if self.version != V16:
            raise CommandFailed("GetDiagnostics is OCPP 1.6 (2.x: GetLog, get_log)")
        return await self._command(identity, get_diagnostics(self.faults))
