"""The CSMS-under-test side of L01 (Secure Firmware Update) as the OCA's reusable steps
(:mod:`.test_l_firmware_csms`): the operator has the CSMS send UpdateFirmware, the harness station
answers it, checks what a secure firmware update must carry, reports the status sequence with
the request's requestId and reboots into the new firmware; the CSMS must answer every message.

Checks on every UpdateFirmwareRequest (:func:`signed_request`), beyond the OCA's tool
validations: the signing certificate is given (L01.FR.11), is one X.509 certificate in PEM
(A00.FR.507) with a key large enough (A00.FR.501-503), and a signature is given (L01.FR.09, the
tool validation of TC_L_01_CSMS); an expired certificate, one whose key usage forbids signatures
or whose extended key usage is not code signing is a warning (A00.FR.707: the CSMS SHOULD
validate it first). Before the harness reports SignatureVerified (:func:`firmware_verified`) it
fetches the image from a loopback location and verifies the signature over it with the
certificate (L01.FR.09); a location elsewhere is not the harness's to reach: a warning that it
was not checked, and the script goes on as the OCA's does.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from harness import StationPeer, SutActions
from harness.checks import require, should
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from harness.progress import waiting
from harness.verdicts import Axis, SutFailure
from testcases.v201.firmware_signing_checks import (
    FetchError,
    fetch,
    is_loopback,
    now,
    read_certificate,
    verify_firmware,
)

#: What a case fails on when the CSMS does not answer a FirmwareStatusNotification.
STATUS_ANSWERED = "L01.FR.01: FirmwareStatusNotification answered"
BOOT_ACCEPTED = "B01: the BootNotification after the firmware update is Accepted"
#: The statuses up to a verified signature, and from the install on (TC_L_01_CSMS).
DOWNLOADED = ("Downloading", "Downloaded")
INSTALLING = ("Installing", "InstallRebooting")


async def update_firmware(
    station: StationPeer,
    sut: SutActions,
    answer: str = "Accepted",
    *,
    retrieve_in_s: int = 0,
    install_in_s: int = 0,
) -> InboundCall:
    """The operator has the CSMS update the station's firmware (action ``update_firmware``);
    the harness answers the UpdateFirmwareRequest ``answer`` and checks what it carries
    (:func:`signed_request`)."""
    station.hold("UpdateFirmware")
    await sut.update_firmware(retrieve_in_s=retrieve_in_s, install_in_s=install_in_s)
    request = await station.expect(
        "UpdateFirmware", req="L01: the CSMS sends UpdateFirmwareRequest"
    )
    await request.reply(status=answer)
    signed_request(station, request)
    return request


def _firmware(request: InboundCall) -> dict[str, Any]:
    firmware = request.get("firmware")
    return firmware if isinstance(firmware, dict) else {}


def signed_request(station: StationPeer, request: InboundCall) -> None:
    """L01.FR.11, A00.FR.501-503/507, L01.FR.09 on ``request`` (FAIL); A00.FR.707 (warnings;
    see the module docstring)."""
    firmware = _firmware(request)
    frames = station.trace.render(last=4)
    certificate = firmware.get("signingCertificate")
    require(
        isinstance(certificate, str) and certificate.strip() != "",
        req="L01.FR.11: firmware.signingCertificate given",
        expected="the firmware signing certificate in the request",
        actual=f"signingCertificate {certificate!r}",
        frames=frames,
    )
    facts = read_certificate(certificate)
    require(
        not facts.problem,
        req="A00.FR.507: signingCertificate is an X.509 certificate in PEM",
        expected="one PEM-encoded X.509 certificate",
        actual=f"{facts.problem}: {str(certificate)[:80]!r}...",
        frames=frames,
    )
    require(
        not facts.key_too_small,
        req="A00.FR.501-503: the signing certificate's key is large enough",
        expected="RSA of at least 2048 bits or an elliptic curve of at least 224 bits",
        actual=f"{facts.key_kind} {facts.key_bits} bits",
        frames=frames,
    )
    signature = firmware.get("signature")
    require(
        isinstance(signature, str) and signature.strip() != "",
        req="L01.FR.09: firmware.signature given",
        expected="the firmware's signature in the request (TC_L_01_CSMS tool validation)",
        actual=f"signature {signature!r}",
        frames=frames,
    )
    validated = "A00.FR.707: the CSMS validates the firmware signing certificate before sending it"
    should(
        station,
        not facts.expired_at(now()),
        req=validated,
        expected="a certificate valid now",
        actual=f"valid from {facts.not_before} to {facts.not_after}",
    )
    should(
        station,
        not facts.no_digital_signature,
        req=validated,
        expected="KeyUsage allowing digitalSignature (L01.FR.12: X.509 rules)",
        actual="KeyUsage without digitalSignature",
    )
    should(
        station,
        not facts.not_code_signing,
        req=validated,
        expected="no ExtendedKeyUsage (A00.FR.514), or one with codeSigning",
        actual="ExtendedKeyUsage without codeSigning",
    )


async def firmware_verified(station: StationPeer, request: InboundCall) -> None:
    """What the harness does before it reports SignatureVerified: fetch the image from the
    request's location (loopback only) and verify the signature over it with the signing
    certificate (L01.FR.09); the image and the verdict go into the trace."""
    firmware = _firmware(request)
    location = str(firmware.get("location", ""))
    should(
        station,
        not location.lower().startswith(("http:", "ftp:")),
        req="L01.FR.08: the firmware is sent encrypted (a secure protocol or an encrypted image)",
        expected="an https, ftps or sftp location (or an encrypted image)",
        actual=location,
    )
    if not is_loopback(location):
        station.warn(
            Axis.SPEC,
            "L01.FR.09: the signature verifies over the firmware",
            f"not checked: the harness fetches firmware only from this host, not {location!r}",
        )
        return
    try:
        image = await fetch(location, timeout_s=station.response_s)
    except FetchError as exc:
        raise SutFailure(
            "L01: the firmware is served at firmware.location",
            f"the firmware image at {location}",
            str(exc),
            station.trace.render(last=6),
        ) from None
    station.trace.event(f"firmware fetched from {location}: {len(image)} bytes")
    try:
        verify_firmware(str(firmware["signingCertificate"]), image, str(firmware["signature"]))
    except InvalidSignature as exc:
        raise SutFailure(
            "L01.FR.09: the signature verifies over the firmware with signingCertificate",
            f"firmware.signature valid for the {len(image)} bytes at {location}",
            f"it does not verify ({exc or 'InvalidSignature'})",
            station.trace.render(last=6),
        ) from None
    station.trace.event("firmware signature verified with the signing certificate")


async def status(
    station: StationPeer, value: str, request_id: Any, *, req: str = STATUS_ANSWERED
) -> None:
    """FirmwareStatusNotification ``value`` for ``request_id`` (L01.FR.10), answered by the
    CSMS (``req``)."""
    result = await station.call(
        "FirmwareStatusNotification", status=value, request_id=request_id, req=req
    )
    result.must(req=req)


async def statuses(station: StationPeer, values: tuple[str, ...], request_id: Any) -> None:
    """:func:`status` for each of ``values`` in turn."""
    for value in values:
        await status(station, value, request_id)


async def security_event(station: StationPeer, kind: str) -> None:
    """SecurityEventNotification ``kind`` (L01.FR.02/03), confirmed by the CSMS (A04.FR.03)."""
    req = "A04.FR.03: SecurityEventNotification confirmed"
    result = await station.call(
        "SecurityEventNotification", type=kind, timestamp=now_iso(), req=req
    )
    result.must(req=req)


async def until(station: StationPeer, request: InboundCall, field: str) -> None:
    """Wait until the request's ``firmware.<field>`` (a date-time) has come, at most the
    profile's action time (the OCA: a step "executed after" that time)."""
    value = _firmware(request).get(field)
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        delay = (when - now()).total_seconds()
    except (TypeError, ValueError):
        return
    if delay <= 0:
        return
    wait = min(delay, station.action_s)
    station.trace.event(f"waiting {wait:.1f} s for {field} {value}")
    with waiting(f"the {field} of the UpdateFirmwareRequest", wait):
        await asyncio.sleep(wait)


def in_future(station: StationPeer, request: InboundCall, field: str, *, req: str) -> None:
    """A tool validation (``req``): ``firmware.<field>`` is a date-time in the future."""
    value = _firmware(request).get(field)
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        ahead = (when - now()).total_seconds() if when.tzinfo else None
    except (TypeError, ValueError):
        ahead = None
    require(
        ahead is not None and ahead > 0,
        req=req,
        expected=f"firmware.{field} a date-time after the request",
        actual=f"{field} {value!r}",
        frames=station.trace.render(last=4),
    )


async def rebooted(station: StationPeer, profile: SutProfile) -> None:
    """The station reboots into the new firmware: a new connection, BootNotification with
    reason FirmwareUpdate answered Accepted (the tool validation), every connector reported
    Available (StatusNotification), each answered."""
    await station.disconnect()
    await station.connect(req="B01: the CSMS accepts the station's connection after the reboot")
    boot = await station.boot(reason="FirmwareUpdate", req="B01: BootNotification answered")
    boot.must(status="Accepted", req=BOOT_ACCEPTED)
    await connectors(station, profile, "Available")


async def connectors(
    station: StationPeer, profile: SutProfile, value: str, *, skip: tuple[int, int] | None = None
) -> None:
    """Every connector (but ``skip``) reported ``value`` with StatusNotification, answered."""
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            if (evse.id, connector) == skip:
                continue
            result = await station.call(
                "StatusNotification",
                timestamp=now_iso(),
                connector_status=value,
                evse_id=evse.id,
                connector_id=connector,
                req="G01: StatusNotification answered",
            )
            result.must(req="G01: StatusNotification answered")


async def installed(station: StationPeer, profile: SutProfile, request: InboundCall) -> None:
    """From the verified signature to Installed: SignatureVerified, Installing and
    InstallRebooting (L01.FR.15), the reboot (:func:`rebooted`), then Installed, each
    FirmwareStatusNotification with the request's requestId and answered."""
    request_id = request.get("requestId")
    await firmware_verified(station, request)
    await statuses(station, ("SignatureVerified", *INSTALLING), request_id)
    await rebooted(station, profile)
    await status(station, "Installed", request_id)
