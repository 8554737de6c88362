"""OCPP 1.6 Firmware Management (1.6 §4.4, §4.5, §5.9, §5.16) and the security extension's
signed firmware update (1.6 SEC L01) at the 1.6 reference charge point.

* UpdateFirmware (§5.16): answered at once (the answer has no fields), then, from
  ``retrieveDate`` on (a date in the past: at once; a later one is waited for, at most
  :data:`MAX_WAIT_S`), the image is downloaded by HTTP(S) GET
  (:func:`~harness.reference.station.firmware_fetch.fetch`): FirmwareStatusNotification
  Downloading, and after a failed attempt up to ``retries`` more attempts ``retryInterval`` s apart,
  then DownloadFailed (§4.4). A downloaded image is Downloaded, then Installing; an image the
  charge point cannot install (not a harness image, :data:`IMAGE_MAGIC`, or one marked
  ``installable=no``) ends in InstallationFailed; a good one is installed by a reboot, after which BootNotification reports the
  new ``firmwareVersion`` (the image's) and FirmwareStatusNotification Installed follows.
* GetDiagnostics (§5.9): answered with the ``fileName`` it uploads, then the file is sent by HTTP
  PUT to ``location`` + file name (OCPP 1.6 names FTP; an HTTP URI is a URI too):
  DiagnosticsStatusNotification Uploading, then Uploaded, or UploadFailed after ``retries`` more
  attempts ``retryInterval`` s apart (§4.5).
* SignedUpdateFirmware (1.6 SEC L01, only on a charge point with a security profile; it then
  refuses UpdateFirmware with CALLERROR NotSupported, L01.FR.20, and a charge point without one
  refuses SignedUpdateFirmware): the signing certificate must lead to an installed
  ManufacturerRootCertificate (codeSigning), else InvalidCertificate and the security event
  InvalidFirmwareSigningCertificate (L01.FR.23/24, L01.FR.02); otherwise Accepted (a running
  update is cancelled: AcceptedCanceled, L01.FR.26), then SignedFirmwareStatusNotification
  Downloading, Downloaded, the signature checked over the whole image (L01.FR.04/12):
  SignatureVerified, or InvalidSignature with the security event InvalidFirmwareSignature
  (L01.FR.03); Installing, InstallRebooting (L01.FR.15), the reboot, then Installed and the
  security event FirmwareUpdated; every one with the request's requestId (L01.FR.10).
* TriggerMessage FirmwareStatusNotification / DiagnosticsStatusNotification (§5.17): the current
  status, Idle when nothing runs; ExtendedTriggerMessage FirmwareStatusNotification: the last
  SignedFirmwareStatusNotification sent, Idle after Installed (L01.FR.28/29).

Seeded faults (:mod:`harness.reference.faults_fw16`), one behaviour each, named in the code.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature

from harness.fileserver import TransferError, transfer
from harness.ocppj.errors import ErrorKind
from harness.pki.build import CODE_SIGNING
from harness.pki.firmware import verify_firmware
from harness.pki.verify import ChainError, verify_chain
from harness.reference.station.firmware_fetch import FetchError, fetch
from harness.reference.station.model import CallRefused, Outgoing, Payload, Reply, now_iso

if TYPE_CHECKING:
    from harness.reference.station.v16 import V16

#: The first line of an image the reference charge point can install: this, then the version.
IMAGE_MAGIC = b"OCPP-HARNESS-FIRMWARE "
NOT_INSTALLABLE = b"installable=no"
INITIAL_VERSION = "1.0.0"
#: The longest a retrieve or install date in the future is waited for (s).
MAX_WAIT_S = 30.0
#: How long one download or upload attempt may take (s).
TRANSFER_TIMEOUT_S = 5.0
#: How long queued status messages may take to go out before the installing reboot (s).
FLUSH_S = 2.0


def image_version(data: bytes) -> str | None:
    """The firmware version a harness image installs (its first line: :data:`IMAGE_MAGIC`, then
    ``version=<v>`` or ``<v>``); None for an image the charge point cannot install (another
    format, or marked ``installable=no``)."""
    head = data.split(b"\n", 1)[0]
    if not head.startswith(IMAGE_MAGIC.rstrip()):
        return None
    words = head[len(IMAGE_MAGIC.rstrip()) :].split()
    if NOT_INSTALLABLE in words or not words:
        return None
    version = next((w[8:] for w in words if w.startswith(b"version=")), words[0])
    return version.decode("ascii", "replace")[:50] or None


def seconds_until(value: object) -> float:
    """Seconds from now to the date-time ``value`` (0 when past or unreadable; capped)."""
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_WAIT_S)


def client_ssl(context: ssl.SSLContext | None) -> ssl.SSLContext | None:
    """HTTPS downloads trust what the charge point trusts for its Central System connection."""
    ders = context.get_ca_certs(binary_form=True) if context is not None else []
    if not ders:
        return None
    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    client.load_verify_locations(cadata="".join(ssl.DER_cert_to_PEM_cert(d) for d in ders))
    return client


class Firmware16:
    """Firmware update and diagnostics of one 1.6 reference charge point (module docstring)."""

    def __init__(self, v16: V16) -> None:
        self.v16 = v16
        self.st = v16.st
        self.version = INITIAL_VERSION
        #: Signed updates (L01) instead of UpdateFirmware: the charge point has a security profile.
        self.signed = v16.sec.initial >= 1
        self.firmware_status = "Idle"
        self.diagnostics_status = "Idle"
        #: The last SignedFirmwareStatusNotification sent: (status, requestId).
        self.last_signed: tuple[str, int | None] = ("Idle", None)
        self.task: asyncio.Task[None] | None = None
        self.upload: asyncio.Task[None] | None = None

    def handlers(self) -> dict[str, Callable[[Payload], Reply]]:
        return {
            "UpdateFirmware": self.update_firmware,
            "GetDiagnostics": self.get_diagnostics,
            "SignedUpdateFirmware": self.signed_update_firmware,
        }

    @property
    def faults(self) -> frozenset[str]:
        return self.st.faults

    def boot_version(self) -> str:
        """The firmwareVersion BootNotification reports."""
        if "firmware-version-unchanged-16" in self.faults:
            return INITIAL_VERSION
        return self.version

    # -- status messages ------------------------------------------------------------------------
    def _firmware(self, status: str, *, pre_boot: bool = True) -> None:
        self.firmware_status = status
        payload = {"status": status}
        self.st.send(Outgoing.fixed("FirmwareStatusNotification", payload, pre_boot=pre_boot))

    def _diagnostics(self, status: str) -> None:
        self.diagnostics_status = status
        payload = {"status": status}
        self.st.send(Outgoing.fixed("DiagnosticsStatusNotification", payload, pre_boot=True))

    def _signed(self, status: str, request_id: int, *, pre_boot: bool = True) -> None:
        self.last_signed = (status, request_id)
        if "signed-firmware-wrong-requestid-16" in self.faults:
            request_id += 1
        payload: Payload = {"status": status, "requestId": request_id}
        out = Outgoing.fixed("SignedFirmwareStatusNotification", payload, pre_boot=pre_boot)
        self.st.send(out)

    def _event(self, kind: str, info: str) -> None:
        payload: Payload = {"type": kind, "timestamp": now_iso(), "techInfo": info[:255]}
        self.st.send(Outgoing.fixed("SecurityEventNotification", payload))

    def triggered_firmware(self) -> Payload:
        """§5.17: the status of a running update, else Idle."""
        running = self.task is not None and not self.task.done()
        return {"status": self.firmware_status if running else "Idle"}

    def triggered_diagnostics(self) -> Payload:
        running = self.upload is not None and not self.upload.done()
        return {"status": self.diagnostics_status if running else "Idle"}

    def triggered_signed(self) -> Payload:
        """L01.FR.28/29: the last status sent (its requestId with it), Idle after Installed."""
        status, request_id = self.last_signed
        if status in ("Idle", "Installed") or request_id is None:
            return {"status": "Idle"}
        return {"status": status, "requestId": request_id}

    # -- transfers ------------------------------------------------------------------------------
    async def _download(self, url: str, retries: int, interval: float) -> bytes | None:
        """The image, or None once every attempt failed (1 + ``retries``, ``interval`` apart)."""
        if "firmware-no-retry-16" in self.faults:
            retries = 0
        for attempt in range(retries + 1):
            try:
                return await fetch(
                    url, ssl_context=client_ssl(self.st.ssl_context), timeout_s=TRANSFER_TIMEOUT_S
                )
            except FetchError:
                if attempt < retries:
                    await asyncio.sleep(interval)
        return None

    async def _reboot(self, version: str) -> None:
        """Install ``version``: the queued messages out, then a reboot that runs it."""
        for _ in range(int(FLUSH_S / 0.05)):
            if not len(self.st.outbox):
                break
            await asyncio.sleep(0.05)
        self.version = version
        await self.st.power_cycle(boot_reason="FirmwareUpdate", reason="Reboot")

    # -- UpdateFirmware (§5.16, §4.4) -----------------------------------------------------------
    def update_firmware(self, p: Payload) -> Reply:
        if self.signed:  # 1.6 SEC L01.FR.20
            raise CallRefused(ErrorKind.NOT_SUPPORTED, "use SignedUpdateFirmware")
        url, when = str(p["location"]), seconds_until(p["retrieveDate"])
        retries, interval = int(p.get("retries", 0)), float(p.get("retryInterval", 0))

        def go() -> None:
            if self.task is not None and not self.task.done():
                self.task.cancel()
            self.task = self.st.spawn(self._update(url, when, retries, interval))

        return Reply({}, then=go)

    async def _update(self, url: str, when: float, retries: int, interval: float) -> None:
        await asyncio.sleep(when)
        self._firmware("Downloading")
        data = await self._download(url, retries, interval)
        if data is None:
            self._firmware("DownloadFailed")
            return
        if "firmware-no-downloaded-16" not in self.faults:
            self._firmware("Downloaded")
        self._firmware("Installing")
        version = image_version(data)
        if version is None:
            if "firmware-bad-image-installed-16" in self.faults:
                self._firmware("Installed")
                return
            self._firmware("InstallationFailed")
            return
        await self._reboot(version)
        self._firmware("Installed", pre_boot=False)

    # -- GetDiagnostics (§5.9, §4.5) ------------------------------------------------------------
    def get_diagnostics(self, p: Payload) -> Reply:
        location = str(p["location"])
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"diagnostics-{self.st.identity}-{stamp}.log"
        url = location + name if location.endswith("/") else f"{location}/{name}"
        retries, interval = int(p.get("retries", 0)), float(p.get("retryInterval", 0))
        body = f"diagnostics of {self.st.identity} at {now_iso()}\n".encode()

        def go() -> None:
            self.upload = self.st.spawn(self._upload(url, name, body, retries, interval))

        answer: Payload = {} if "diagnostics-no-filename-16" in self.faults else {"fileName": name}
        return Reply(answer, then=go)

    async def _upload(
        self, url: str, name: str, body: bytes, retries: int, interval: float
    ) -> None:
        if "diagnostics-no-uploading-16" not in self.faults:
            self._diagnostics("Uploading")
        for attempt in range(retries + 1):
            try:
                await transfer(
                    url, method="PUT", body=body, filename=name, timeout_s=TRANSFER_TIMEOUT_S
                )
            except TransferError:
                if attempt < retries:
                    await asyncio.sleep(interval)
                    continue
                failed = "diagnostics-failure-as-uploaded-16" in self.faults
                self._diagnostics("Uploaded" if failed else "UploadFailed")
                return
            self._diagnostics("Uploaded")
            return

    # -- SignedUpdateFirmware (1.6 SEC L01) -----------------------------------------------------
    def _trusted(self, certificate: str) -> bool:
        """L01.FR.23: the signing certificate leads to an installed manufacturer root."""
        roots = self.v16.sec.store.store.get("ManufacturerRootCertificate", [])
        for root in roots:
            try:
                verify_chain(certificate, root, purpose=CODE_SIGNING)
            except (ChainError, ValueError):
                continue
            return True
        return False

    def signed_update_firmware(self, p: Payload) -> Reply:
        if not self.signed:
            raise CallRefused(ErrorKind.NOT_SUPPORTED, "no secure firmware update (L01)")
        request_id, fw = int(p["requestId"]), p["firmware"]
        certificate, signature = str(fw["signingCertificate"]), str(fw["signature"])
        if not self._trusted(certificate):  # L01.FR.24, L01.FR.02
            info = "the firmware signing certificate does not lead to a manufacturer root"
            return Reply(
                {"status": "InvalidCertificate"},
                then=lambda: self._event("InvalidFirmwareSigningCertificate", info),
            )
        status = "Accepted"
        if self.task is not None and not self.task.done():  # L01.FR.26
            self.task.cancel()
            status = "AcceptedCanceled"
        args = (
            request_id,
            str(fw["location"]),
            seconds_until(fw["retrieveDateTime"]),
            seconds_until(fw.get("installDateTime", "")),
            certificate,
            signature,
            int(p.get("retries", 0)),
            float(p.get("retryInterval", 0)),
        )

        def go() -> None:
            self.task = self.st.spawn(self._signed_update(*args))

        return Reply({"status": status}, then=go)

    async def _signed_update(
        self,
        request_id: int,
        url: str,
        retrieve: float,
        install: float,
        certificate: str,
        signature: str,
        retries: int,
        interval: float,
    ) -> None:
        await asyncio.sleep(retrieve)
        self._signed("Downloading", request_id)
        data = await self._download(url, retries, interval)
        if data is None:
            self._signed("DownloadFailed", request_id)
            return
        self._signed("Downloaded", request_id)
        try:
            verify_firmware(certificate, data, signature)  # L01.FR.04/12
        except (InvalidSignature, ValueError) as exc:
            if "signed-firmware-accepts-bad-signature-16" not in self.faults:
                self._signed("InvalidSignature", request_id)
                if "signed-firmware-no-signature-event-16" not in self.faults:
                    self._event("InvalidFirmwareSignature", str(exc) or "signature mismatch")
                return
        if "signed-firmware-skips-signature-verified-16" not in self.faults:
            self._signed("SignatureVerified", request_id)
        if install > 0:  # L01.FR.16
            self._signed("InstallScheduled", request_id)
            await asyncio.sleep(install)
        self._signed("Installing", request_id)
        version = image_version(data)
        if version is None:
            self._signed("InstallationFailed", request_id)
            return
        self._signed("InstallRebooting", request_id)  # L01.FR.15
        await self._reboot(version)
        self._signed("Installed", request_id, pre_boot=False)
        if "signed-firmware-no-updated-event-16" not in self.faults:
            self._event("FirmwareUpdated", f"firmware {version} installed")
