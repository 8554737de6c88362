"""The firmware a block L case sends (OCPP 2.0.1/2.1 UpdateFirmware, and the 1.6 security
extension's SignedUpdateFirmware: the same ``firmware`` object), and the server that serves it.

What a case uses::

    async with firmware_server(csms, sut_profile) as server:
        package = signed_package(server, sut_profile, pki, kind="valid")
        async with manufacturer_root(csms, pki, needed=package.harness_made):
            await csms.call("UpdateFirmware", request_id=1, firmware=package.firmware(...))

* :func:`firmware_server`: a :class:`~harness.firmware_server.FirmwareServer` on
  ``sut.listen.host`` (where the station reaches the harness), HTTPS with the session PKI when
  the session runs TLS (L01.FR.08 recommends a secure protocol), plain HTTP otherwise; every
  download attempt is written into the case's trace.
* :func:`signed_package`: for the built-in reference station, and for the bad kinds on any
  station, an image the harness makes, signed with the session PKI
  (:mod:`harness.pki.firmware`: ``valid``, ``wrong-signature``, ``foreign-key``,
  ``untrusted``, ``expired``). A real station cannot install a harness image, so the ``valid``
  and ``failing`` kinds of a real station are the vendor's files from ``sut.firmware``;
  :func:`needs_vendor_image` says when a case is NOT-APPLICABLE for lack of them.
* :func:`manufacturer_root`: the precondition of a harness-signed image: the station trusts the
  session PKI's manufacturer root. Installed with InstallCertificate ManufacturerRootCertificate
  (M05) when GetInstalledCertificateIds does not list it, and deleted again afterwards (only
  what the case installed), so no case depends on another's order.
* :func:`session_pki`: the PKI of the harness CSMS's TLS set-up, or (security profile 1 and
  the plain built-ins, where ``csms.tls`` is None) one the session makes for block L.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import itertools
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import CsmsPeer
from harness.config import SutProfile
from harness.fileserver import FileRequest
from harness.firmware_server import FirmwareServer
from harness.pki import Pki, certificate_hash_data, ensure_pki
from harness.pki.firmware import signed_firmware
from harness.verdicts import Inconclusive, NotApplicable

MANUFACTURER_ROOT = "ManufacturerRootCertificate"
#: The first line of a harness image (what the reference station reads; any station installs
#: nothing of it but a reference station).
IMAGE_MAGIC = "OCPP-HARNESS-FIRMWARE"
_SERIAL = itertools.count(1)
_PKI: dict[str, Pki] = {}


def session_pki(csms: CsmsPeer) -> Pki:
    """The harness's PKI: the TLS set-up's, else one made once per session (ECDSA)."""
    if csms.tls is not None and csms.tls.pki is not None:
        return csms.tls.pki
    if "pki" not in _PKI:
        folder = Path(tempfile.mkdtemp(prefix="ocpp-harness-firmware-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _PKI["pki"] = ensure_pki(folder / "ecdsa")
    return _PKI["pki"]


def harness_image(version: str, *, installable: bool = True, size: int = 4096) -> bytes:
    """A harness firmware image: the reference station installs ``version`` from it, or fails
    its installation verification when not ``installable`` (TC_L_08_CS)."""
    mark = "" if installable else " installable=no"
    head = f"{IMAGE_MAGIC} version={version}{mark}\n".encode("ascii")
    body = bytes((n * 37 + 11) % 251 for n in range(max(0, size - len(head))))
    return head + body


def at(offset_s: float) -> str:
    """A UTC date-time ``offset_s`` from now, as OCPP writes it."""
    when = datetime.now(UTC) + timedelta(seconds=offset_s)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class FirmwarePackage:
    """One firmware a case offers: where it is served, its signing fields, the version the
    station reports once it runs it (None: not known) and whether the harness made it."""

    path: str
    url: str
    data: bytes
    certificate: str
    signature: str
    version: str | None
    harness_made: bool
    #: What a conforming station makes of it (:class:`harness.pki.firmware.SignedFirmware`).
    verdict: str = "Accepted"
    security_event: str | None = None

    def firmware(
        self,
        *,
        retrieve: str | None = None,
        install: str | None = None,
        location: str | None = None,
        signed: bool = True,
    ) -> dict[str, Any]:
        """The ``firmware`` field of UpdateFirmware / SignedUpdateFirmware (snake_case keys, as
        the peers take them): retrieveDateTime two hours ago unless given (Part 6)."""
        fields: dict[str, Any] = {
            "location": location or self.url,
            "retrieve_date_time": retrieve or at(-7200),
        }
        if install is not None:
            fields["install_date_time"] = install
        if signed:
            fields["signing_certificate"] = self.certificate
            fields["signature"] = self.signature
        return fields


@contextlib.asynccontextmanager
async def firmware_server(csms: CsmsPeer, profile: SutProfile) -> AsyncIterator[FirmwareServer]:
    """The firmware server of one case on ``sut.listen.host``; every attempt traced."""

    def record(request: FileRequest) -> None:
        csms.trace.event(request.describe())

    tls = csms.tls.pki if csms.tls is not None else None
    host = profile.sut.listen.host
    server = FirmwareServer(host=host, tls=tls, on_request=record)
    try:
        await server.start()
    except OSError as exc:
        raise Inconclusive(
            f"precondition: the firmware server cannot listen on sut.listen.host {host!r}: {exc}"
        ) from None
    try:
        yield server
    finally:
        await server.stop()


def needs_vendor_image(profile: SutProfile, *, failing: bool = False) -> str | None:
    """Why a case that installs firmware does not apply (None: it does): a real station needs
    ``sut.firmware`` (with ``failing_image`` for a failing installation)."""
    if profile.sut.builtin is not None:
        return None
    fw = profile.sut.firmware
    if fw is None:
        return (
            "sut.firmware is not set: a real station installs only its vendor's signed image "
            "(sut.firmware.image, signing_certificate, signature, version)"
        )
    if failing and fw.failing_image is None:
        return "sut.firmware.failing_image is not set: no image whose installation fails"
    return None


def _read(profile: SutProfile, name: str) -> bytes:
    base = profile.path.parent if profile.path is not None else Path.cwd()
    return (base / name).read_bytes()


def _signature(profile: SutProfile, inline: str | None, in_file: str | None) -> str:
    if inline is not None:
        return inline.strip()
    raw = _read(profile, str(in_file)).strip()
    try:  # a file of base64 text, or the raw signature bytes
        base64.b64decode(raw, validate=True)
        return raw.decode("ascii")
    except ValueError:
        return base64.b64encode(raw).decode("ascii")


def signed_package(
    server: FirmwareServer, profile: SutProfile, pki: Pki, kind: str = "valid"
) -> FirmwarePackage:
    """Serve the firmware of ``kind`` (:data:`harness.pki.firmware.SIGNED_KINDS`, or ``failing``:
    a valid signature of an image whose installation fails) at a fresh path of ``server``."""
    serial = next(_SERIAL)
    path = f"/fw/firmware-{serial}.bin"
    vendor = profile.sut.firmware if profile.sut.builtin is None else None
    if vendor is not None and kind in ("valid", "failing"):
        failing = kind == "failing"
        name = vendor.failing_image if failing else vendor.image
        if name is None:
            raise NotApplicable(str(needs_vendor_image(profile, failing=True)))
        data = _read(profile, name)
        signature = (
            _signature(profile, vendor.failing_signature, vendor.failing_signature_file)
            if failing
            else _signature(profile, vendor.signature, vendor.signature_file)
        )
        certificate = _read(profile, vendor.signing_certificate).decode("ascii")
        url = server.serve(path, data)
        return FirmwarePackage(
            path, url, data, certificate, signature, None if failing else vendor.version, False
        )
    version = f"2.0.{serial}"
    data = harness_image(version, installable=kind != "failing")
    signed = signed_firmware(pki, data, "valid" if kind == "failing" else kind)
    url = server.serve(path, data)
    return FirmwarePackage(
        path,
        url,
        data,
        signed.certificate,
        signed.signature,
        version if kind == "valid" else None,
        True,
        signed.verdict,
        signed.security_event,
    )


def _listed(outcome: Any, root_pem: str) -> bool:
    wanted = certificate_hash_data(root_pem, root_pem)
    keys = ("issuerNameHash", "issuerKeyHash", "serialNumber")

    def same(data: Any) -> bool:
        if not isinstance(data, dict):
            return False
        return all(
            str(data.get(k, "")).lower().lstrip("0") == wanted[k].lower().lstrip("0") for k in keys
        )

    chain = outcome.get("certificateHashDataChain") or outcome.get("certificateHashData") or []
    return any(
        same(entry.get("certificateHashData", entry)) for entry in chain if isinstance(entry, dict)
    )


@contextlib.asynccontextmanager
async def manufacturer_root(
    csms: CsmsPeer, pki: Pki, *, needed: bool = True, v16: bool = False
) -> AsyncIterator[None]:
    """Precondition of a harness-signed image: the station trusts ``pki``'s manufacturer root
    (installed with InstallCertificate, M05 / 1.6 SEC M05, when not listed; removed afterwards
    when the case installed it). NOT-APPLICABLE when the station refuses to install it."""
    if not needed:
        yield
        return
    root = pki.manufacturer_root.read_text()
    kinds: Any = MANUFACTURER_ROOT if v16 else [MANUFACTURER_ROOT]
    listed = await csms.call(
        "GetInstalledCertificateIds",
        certificate_type=kinds,
        req="precondition: GetInstalledCertificateIds answered",
    )
    installed = False
    if not _listed(listed.payload or {}, root):
        result = await csms.call(
            "InstallCertificate",
            certificate_type=MANUFACTURER_ROOT,
            certificate=root,
            req="precondition: InstallCertificate answered",
        )
        if (result.payload or {}).get("status") != "Accepted":
            raise NotApplicable(
                "the station did not install the harness's ManufacturerRootCertificate (M05), "
                "so it cannot verify a harness-signed firmware"
            )
        installed = True
    try:
        yield
    finally:
        if installed:
            data = certificate_hash_data(root, root)
            with contextlib.suppress(Exception):
                await csms.call("DeleteCertificate", certificate_hash_data=data)
