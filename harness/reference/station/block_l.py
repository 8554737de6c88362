"""OCA block L (firmware management) of the 2.0.1/2.1 reference station: UpdateFirmware (L01,
secure firmware update) done for real.

* UpdateFirmware without signingCertificate or signature (an L02 non-secure update) is Rejected:
  the reference station takes signed firmware only (TC_L_18_CS allows Rejected).
* L01.FR.21/22: the signing certificate must chain to one of the station's
  ManufacturerRootCertificates (the block M store, M05) for codeSigning, within its validity,
  else InvalidCertificate and SecurityEventNotification InvalidFirmwareSigningCertificate
  (L01.FR.02).
* A second UpdateFirmware while one runs cancels it: AcceptedCanceled (L01.FR.24, PICS C-60); the
  canceled update sends nothing more. Then everything below runs for the new requestId.
* retrieveDateTime in the future: DownloadScheduled (L01.FR.13), download at that time. The
  download (:mod:`.firmware_fetch`, HTTP or HTTPS with the station's TLS trust) is tried
  ``retries`` more times ``retryInterval`` s apart (default 0 / 1 s); Downloading once (the
  variant ``firmware-downloading-each-retry``: on every attempt, the MAY of L01.FR.30), then
  Downloaded, or DownloadFailed after the last attempt (L01.FR.30). The variant
  ``firmware-download-resume`` asks for the rest of a truncated download with a Range request.
* L01.FR.04/12: the signature is verified over the whole file with the signing certificate:
  InvalidSignature and SecurityEventNotification InvalidFirmwareSignature (L01.FR.03), else
  SignatureVerified.
* installDateTime in the future: InstallScheduled (L01.FR.16), install at that time, never
  before. With ongoing transactions the station downloads (PICS AQ-7) but does not install
  (not C-43): InstallScheduled (the MAY of L01.FR.34) and it waits until they all ended
  (L01.FR.06); with ChargingStation.AllowNewSessionsPendingFirmwareUpdate false the EVSEs not in
  use are Unavailable meanwhile (L01.FR.07; true: C-20, new sessions may start). The variant
  ``firmware-download-after-transactions`` (not AQ-7) waits before the download instead, with
  DownloadScheduled (L01.FR.13); ``firmware-cancel-refused`` (not C-60) answers a second
  UpdateFirmware Rejected while one runs (L01.FR.27).
* An image the harness marked not installable (:data:`NOT_INSTALLABLE` in its first line):
  Installing, then InstallVerificationFailed (L01.FR.29), no reboot; the old firmware stays.
* Otherwise Installing, InstallRebooting (L01.FR.15/32 option a; the variant
  ``firmware-no-install-rebooting`` takes option b), a power cycle with boot reason
  FirmwareUpdate, the new version (the image's ``version=``) in BootNotification, then
  Installed and SecurityEventNotification FirmwareUpdated (L01.FR.28/31).
* Every FirmwareStatusNotification carries the UpdateFirmware's requestId (L01.FR.10/20).
  TriggerMessage FirmwareStatusNotification (F06.FR.16, L01.FR.25/26): the status of the update
  that runs, Idle when none does (a finished update, Installed or failed, is idle again: so the
  block F trigger cases do not depend on what ran before them).

Seeded faults are in :mod:`harness.reference.faults_l`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature

from harness.pki.build import CODE_SIGNING
from harness.pki.firmware import verify_firmware
from harness.pki.verify import ChainError, verify_chain
from harness.reference.station.devmodel import Variable
from harness.reference.station.firmware_fetch import FetchError, fetch
from harness.reference.station.model import Connector, Outgoing, Payload, Reply, now_iso

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.v2 import V2

#: The first line of a harness firmware image starts with this; ``version=`` names the version
#: it installs, :data:`NOT_INSTALLABLE` marks one whose installation fails (TC_L_08_CS).
IMAGE_MAGIC = b"OCPP-HARNESS-FIRMWARE"
NOT_INSTALLABLE = b"installable=no"
MANUFACTURER_ROOT = "ManufacturerRootCertificate"
#: How long one download attempt may take (s).
DOWNLOAD_TIMEOUT_S = 5.0
#: How often the station looks whether its transactions ended (s).
POLL_S = 0.1


def variables() -> list[Variable]:
    """ChargingStation.AllowNewSessionsPendingFirmwareUpdate (C-20), default false."""
    return [
        Variable("ChargingStation", "AllowNewSessionsPendingFirmwareUpdate", "boolean", "false")
    ]


def image_version(data: bytes, fallback: str) -> str | None:
    """The version a harness image installs (``version=`` in its first line), ``fallback`` for
    another image; None when the image is marked not installable."""
    first = data.split(b"\n", 1)[0]
    if not first.startswith(IMAGE_MAGIC):
        return fallback
    if NOT_INSTALLABLE in first:
        return None
    for word in first.split():
        if word.startswith(b"version="):
            return word[8:].decode("ascii", "replace")[:50] or fallback
    return fallback


def _at(text: object) -> float:
    """Seconds from now until the date-time ``text`` (0 for none, or one in the past)."""
    if not isinstance(text, str):
        return 0.0
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class FirmwareUpdater:
    """UpdateFirmware and the firmware state of one reference station (2.x)."""

    def __init__(self, v2: V2, roots: Callable[[], list[str]]) -> None:
        self.v2 = v2
        self.st: ReferenceStation = v2.st
        self._roots = roots
        #: The firmware version the station runs (BootNotification.chargingStation).
        self.version = "1.0.0"
        self.task: asyncio.Task[None] | None = None
        self.request_id: int | None = None
        self.last_status = "Idle"
        #: L01.FR.07: EVSEs not in use are Unavailable until the firmware is installed.
        self.hold = False

    def fault(self, name: str) -> bool:
        return name in self.st.faults

    # -- what the rest of the station asks ------------------------------------------------------
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def status_payload(self) -> Payload:
        """F06.FR.16 / L01.FR.25/26: what a triggered FirmwareStatusNotification says."""
        if not self.running() or self.request_id is None:
            return {"status": "Idle"}
        return {"status": self.last_status, "requestId": self.request_id}

    def connector_status(self, c: Connector, status: str) -> str:
        """L01.FR.07: an Available connector is Unavailable while the update holds the EVSEs."""
        return "Unavailable" if self.hold and status == "Available" else status

    # -- UpdateFirmware -------------------------------------------------------------------------
    def update_firmware(self, p: Payload) -> Reply:
        fw, request_id = p["firmware"], int(p["requestId"])
        cert, signature = fw.get("signingCertificate"), fw.get("signature")
        if (not cert or not signature) and not self.fault("firmware-unsigned-accepted"):
            return Reply({"status": "Rejected"})  # L02 (non-secure) is not supported
        accept_any = self.fault("firmware-untrusted-certificate-accepted")
        if cert and not accept_any and not self._trusted(str(cert)):
            return Reply(
                {"status": "InvalidCertificate"},
                then=lambda: self._event("InvalidFirmwareSigningCertificate"),
            )
        status = "Accepted"
        if self.running() and "firmware-cancel-refused" in self.st.variants:
            return Reply({"status": "Rejected"})  # L01.FR.27 (the variant drops C-60)
        if self.running() and not self.fault("firmware-no-cancel"):
            assert self.task is not None
            self.task.cancel()  # L01.FR.24
            self.task = None
            status = "AcceptedCanceled"
        retries = int(p.get("retries", 0))
        interval = float(p.get("retryInterval", 1))

        def go() -> None:
            if self.hold:
                self.hold = False
                self.st.refresh_status()
            self.request_id = request_id
            self.task = self.st.spawn(self._run(request_id, fw, retries, interval))

        return Reply({"status": status}, then=go)

    def _trusted(self, cert: str) -> bool:
        """L01.FR.21: whether ``cert`` chains to a ManufacturerRootCertificate for codeSigning."""
        for root in self._roots():
            try:
                verify_chain(cert, root, purpose=CODE_SIGNING)
            except (ChainError, ValueError):
                continue
            return True
        return False

    # -- the update -----------------------------------------------------------------------------
    def _status(self, status: str, request_id: int) -> None:
        """L01.FR.01/10: a FirmwareStatusNotification with the request's requestId."""
        self.last_status = status
        if self.fault("firmware-wrong-request-id"):
            request_id += 1
        payload: Payload = {"status": status, "requestId": request_id}
        self.st.send(Outgoing.fixed("FirmwareStatusNotification", payload))

    def _event(self, kind: str) -> None:
        """L01.FR.02/03/31: a SecurityEventNotification of ``kind``."""
        if kind != "FirmwareUpdated" and self.fault("firmware-no-security-event"):
            return
        if kind == "FirmwareUpdated" and self.fault("firmware-no-updated-event"):
            return
        payload: Payload = {"type": kind, "timestamp": now_iso()}
        self.st.send(Outgoing.fixed("SecurityEventNotification", payload))

    async def _run(self, request_id: int, fw: Payload, retries: int, interval: float) -> None:
        wait = _at(fw.get("retrieveDateTime"))
        if wait > 0 and not self.fault("firmware-downloads-early"):
            self._status("DownloadScheduled", request_id)  # L01.FR.13
            await asyncio.sleep(wait)
        if "firmware-download-after-transactions" in self.st.variants:
            await self._transactions_ended(request_id, "DownloadScheduled")  # not AQ-7
        data = await self._download(request_id, str(fw["location"]), retries, interval)
        if data is None:
            self._status("DownloadFailed", request_id)  # L01.FR.30
            return
        self._status("Downloaded", request_id)
        try:
            verify_firmware(str(fw.get("signingCertificate", "")), data, str(fw.get("signature")))
        except (InvalidSignature, ValueError):
            if not self.fault("firmware-bad-signature-accepted"):
                self._status("InvalidSignature", request_id)  # L01.FR.04
                self._event("InvalidFirmwareSignature")  # L01.FR.03
                return
        if not self.fault("firmware-no-signature-verified"):
            self._status("SignatureVerified", request_id)
        wait = _at(fw.get("installDateTime"))
        if wait > 0:
            self._status("InstallScheduled", request_id)  # L01.FR.16
            if not self.fault("firmware-installs-early"):
                await asyncio.sleep(wait)
        await self._transactions_ended(request_id, "InstallScheduled")
        if "firmware-unavailable-before-install" in self.st.variants and not self.hold:
            self.hold = True  # Part 6 TC_L_01 step 9: optional
            self.st.refresh_status()
        await self._install(request_id, data)

    async def _download(
        self, request_id: int, url: str, retries: int, interval: float
    ) -> bytes | None:
        """The image, or None once every attempt failed (retries after the first)."""
        each = "firmware-downloading-each-retry" in self.st.variants
        resume = "firmware-download-resume" in self.st.variants
        attempts = 1 if self.fault("firmware-no-retry") else retries + 1
        got = b""
        for attempt in range(attempts):
            if attempt == 0 or each:
                self._status("Downloading", request_id)
            try:
                rest = await fetch(
                    url,
                    offset=len(got),
                    ssl_context=self._client_ssl(),
                    timeout_s=DOWNLOAD_TIMEOUT_S,
                )
                return got + rest
            except FetchError as exc:
                got = got + exc.partial if resume else b""
            if attempt + 1 < attempts:
                await asyncio.sleep(interval)
        return None

    def _client_ssl(self) -> ssl.SSLContext | None:
        """HTTPS downloads trust what the station trusts for its CSMS connection."""
        context = self.st.ssl_context
        if context is None:
            return None
        ders = context.get_ca_certs(binary_form=True)
        if not ders:
            return None
        client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        client.load_verify_locations(cadata="".join(ssl.DER_cert_to_PEM_cert(d) for d in ders))
        return client

    async def _transactions_ended(self, request_id: int, scheduled: str) -> None:
        """L01.FR.06/07/34: no installation (with the variant
        ``firmware-download-after-transactions``: no download either, L01.FR.13) while a
        transaction runs; ``scheduled`` is the status reported meanwhile."""
        if not self.v2.txe.tx or self.fault("firmware-installs-during-transaction"):
            return
        if self.last_status != scheduled:
            self._status(scheduled, request_id)  # L01.FR.13 / L01.FR.34 (MAY)
        allow = self.v2.dm.get_bool("ChargingStation", "AllowNewSessionsPendingFirmwareUpdate")
        if not allow and not self.fault("firmware-evse-not-held"):
            self.hold = True
            self.st.refresh_status()
        while self.v2.txe.tx:  # noqa: ASYNC110 - the transaction engine has no event for it
            await asyncio.sleep(POLL_S)

    async def _install(self, request_id: int, data: bytes) -> None:
        new = image_version(data, f"{self.version}+1")
        self._status("Installing", request_id)
        if new is None and not self.fault("firmware-install-verification-ignored"):
            await asyncio.sleep(0.2)
            self._status("InstallVerificationFailed", request_id)  # L01.FR.29
            self.hold = False
            self.st.refresh_status()
            return
        if "firmware-no-install-rebooting" not in self.st.variants:
            self._status("InstallRebooting", request_id)  # L01.FR.15/32 (a)
        self.hold = False
        self.version = new or f"{self.version}+1"
        await self._delivered()
        await self.st.power_cycle(boot_reason="FirmwareUpdate", reason="Reboot")
        self._status("Installed", request_id)  # L01.FR.28, sent once booted
        self._event("FirmwareUpdated")  # L01.FR.31

    async def _delivered(self) -> None:
        """The statuses so far reach the CSMS before the reboot (a power cycle forgets what is
        still queued but transaction messages); bounded by the station's flush time."""
        outbox = self.st.outbox
        deadline = time.monotonic() + self.st.flush_s
        while outbox.contains("FirmwareStatusNotification") and time.monotonic() < deadline:
            await outbox.wait_change(max(0.01, deadline - time.monotonic()))

    def handlers(self) -> dict[str, Callable[[Payload], Reply]]:
        return {"UpdateFirmware": self.update_firmware}


def manufacturer_roots(store: dict[str, list[str]]) -> list[str]:
    """The ManufacturerRootCertificates of a block M store (PEM)."""
    return list(store.get(MANUFACTURER_ROOT, []))
