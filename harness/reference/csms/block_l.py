"""Block L (firmware management, L01 Secure Firmware Update) of the reference CSMS, 2.x.

* ``update_firmware`` (operator command): UpdateFirmwareRequest with a fresh requestId for a
  firmware image the CSMS serves itself: a :class:`~harness.firmware_server.FirmwareServer` on
  loopback over HTTPS (L01.FR.08 recommends a secure protocol), started with the first command
  and stopped with the CSMS. The firmware carries the signing certificate (L01.FR.11) and a real
  signature of the image (L01.FR.09, :func:`harness.pki.signed_firmware`) from the PKI the
  reference CSMS has of its own (:func:`.block_a.own_pki`); retrieveDateTime is now or, when the
  operator asks for it, later; installDateTime only when the operator asks for a later install
  (TC_L_02/03_CSMS).
* FirmwareStatusNotification: every status is confirmed and kept on the station's record with
  its requestId (``StationRecord.firmware_statuses``, the last one is the station's state);
  SecurityEventNotification as for every event (A04.FR.03).

Faults (:mod:`harness.reference.csms_faults_l`): ``csms-firmware-not-sent``,
``csms-firmware-no-signing-certificate``, ``csms-firmware-certificate-not-pem``,
``csms-firmware-no-signature``, ``csms-firmware-wrong-signature``,
``csms-firmware-location-not-served``, ``csms-firmware-schedule-ignored``,
``csms-firmware-status-partial``, ``csms-firmware-security-event-refused``,
``csms-firmware-boot-rejected``; this handler also keeps ``csms-firmware-status-refused`` of
:mod:`harness.reference.faults_fg` (it replaces block F/G's wrapper of the acknowledgement).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from harness.firmware_server import FirmwareServer
from harness.ocppj.errors import ErrorKind
from harness.pki import signed_firmware
from harness.reference.csms.block_a import own_pki
from harness.reference.csms.commands import Command
from harness.reference.csms.handlers_common import Handler, Refusal, rfc3339
from harness.reference.csms.records import CsmsState, StationRecord

#: The statuses of a firmware update that goes well (``csms-firmware-status-partial`` answers
#: only these).
HAPPY_STATUSES = frozenset(
    {
        "Downloading",
        "Downloaded",
        "SignatureVerified",
        "Installing",
        "InstallRebooting",
        "Installed",
    }
)
#: The security events of L01 (L01.FR.02/03).
FIRMWARE_EVENTS = frozenset({"InvalidFirmwareSigningCertificate", "InvalidFirmwareSignature"})
#: What every image the reference CSMS serves starts with (the rest is random).
IMAGE_PREFIX = b"OCPP-HARNESS REFERENCE FIRMWARE "
IMAGE_SIZE = 4096
_request_ids = itertools.count(1)

Spawn = Callable[[Coroutine[Any, Any, Any]], None]


class FirmwareHost:
    """The reference CSMS's firmware server: started (in a task of the CSMS, so that stopping
    the CSMS stops it) with the first UpdateFirmware, then reused."""

    def __init__(self) -> None:
        self._ready: asyncio.Future[FirmwareServer] | None = None

    async def server(self, spawn: Spawn) -> FirmwareServer:
        if self._ready is None:
            self._ready = asyncio.get_running_loop().create_future()
            spawn(self._run(self._ready))
        return await asyncio.shield(self._ready)

    @staticmethod
    async def _run(ready: asyncio.Future[FirmwareServer]) -> None:
        try:
            async with FirmwareServer(tls=own_pki()) as server:
                ready.set_result(server)
                await asyncio.Event().wait()  # until the CSMS stops (the task is cancelled)
        except Exception as exc:
            if not ready.done():
                ready.set_exception(exc)
            raise


def _later(seconds: int) -> str:
    return rfc3339(datetime.now(UTC) + timedelta(seconds=max(seconds, 0)))


def _not_pem(certificate: str) -> str:
    """The certificate as bare base64 DER: no PEM armour (``csms-firmware-certificate-not-pem``)."""
    der = x509.load_pem_x509_certificate(certificate.encode("ascii")).public_bytes(Encoding.DER)
    return base64.b64encode(der).decode("ascii")


def update_firmware(
    faults: frozenset[str], server: FirmwareServer, retrieve_in_s: int, install_in_s: int
) -> Command:
    """L01 UpdateFirmwareRequest for a new image served by ``server`` (see the module
    docstring), with the faults of the request applied."""
    request_id = next(_request_ids)
    image = IMAGE_PREFIX + str(request_id).encode("ascii") + b" " + os.urandom(IMAGE_SIZE)
    path = f"/firmware/{request_id}.bin"
    url = server.serve(path, image)
    if "csms-firmware-location-not-served" in faults:
        url = server.url(f"/firmware/missing-{request_id}.bin")
    kind = "wrong-signature" if "csms-firmware-wrong-signature" in faults else "valid"
    signed = signed_firmware(own_pki(), image, kind)
    firmware: dict[str, Any] = {"location": url}
    if "csms-firmware-schedule-ignored" in faults:
        retrieve_in_s = install_in_s = 0
    firmware["retrieveDateTime"] = _later(retrieve_in_s)
    if install_in_s > 0:
        firmware["installDateTime"] = _later(install_in_s)
    if "csms-firmware-no-signing-certificate" not in faults:
        certificate = signed.certificate
        if "csms-firmware-certificate-not-pem" in faults:
            certificate = _not_pem(certificate)
        firmware["signingCertificate"] = certificate
    if "csms-firmware-no-signature" not in faults:
        firmware["signature"] = signed.signature
    return "UpdateFirmware", {"requestId": request_id, "firmware": firmware}


# -- what the station sends ---------------------------------------------------------------------
def firmware_status(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """L01 FirmwareStatusNotification: every status confirmed and kept with its requestId
    (CALLERROR under ``csms-firmware-status-refused``, and for a status outside
    :data:`HAPPY_STATUSES` under ``csms-firmware-status-partial``)."""
    status = str(payload.get("status", ""))
    if "csms-firmware-status-refused" in state.faults or (
        "csms-firmware-status-partial" in state.faults and status not in HAPPY_STATUSES
    ):
        raise Refusal(ErrorKind.INTERNAL_ERROR, f"firmware status {status!r} not handled")
    request_id = payload.get("requestId")
    station.firmware_statuses.append((request_id if isinstance(request_id, int) else None, status))
    return {}


def _refusing_firmware_events(handler: Handler) -> Handler:
    def checked(
        state: CsmsState, station: StationRecord, payload: dict[str, Any]
    ) -> dict[str, Any]:
        if (
            "csms-firmware-security-event-refused" in state.faults
            and payload.get("type") in FIRMWARE_EVENTS
        ):
            raise Refusal(ErrorKind.INTERNAL_ERROR, "the security event could not be stored")
        return handler(state, station, payload)

    return checked


def _rejecting_firmware_boot(handler: Handler) -> Handler:
    def checked(
        state: CsmsState, station: StationRecord, payload: dict[str, Any]
    ) -> dict[str, Any]:
        answer = handler(state, station, payload)
        if "csms-firmware-boot-rejected" in state.faults and payload.get("reason") == (
            "FirmwareUpdate"
        ):
            station.boot_status = answer["status"] = "Rejected"
        return answer

    return checked


def handlers(current: dict[str, Handler]) -> dict[str, Handler]:
    """What block L adds to (or wraps in) the 2.x handlers ``current``."""
    return {
        "FirmwareStatusNotification": firmware_status,
        "SecurityEventNotification": _refusing_firmware_events(
            current["SecurityEventNotification"]
        ),
        "BootNotification": _rejecting_firmware_boot(current["BootNotification"]),
    }
