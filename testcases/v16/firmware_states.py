"""Steps shared by the OCPP 1.6 firmware and diagnostics cases with the charge point under test
(:mod:`.test_firmware`, :mod:`.test_firmware_signed`): applicability, the harness's firmware
image and the firmware server it is offered on, the status sequence a case waits for.

Applicability: the plain UpdateFirmware and GetDiagnostics (1.6 §5.9, §5.16) need the Firmware
Management feature profile (``claims.profiles: [firmware-management]``; the charge point lists it
in SupportedFeatureProfiles, 1.6 §9.1). A charge point that runs the security extension's signed
firmware update (1.6 SEC L01) must refuse UpdateFirmware (L01.FR.20): the harness takes a
charge point with a security profile (1-3) for one, and one without for a charge point that
updates by UpdateFirmware.

The image: the harness's test firmware is a small file whose first line is
``OCPP-HARNESS-FIRMWARE <version>``; the reference charge point installs such an image and then
reports ``<version>`` in BootNotification. A charge point of a vendor needs its own image (the
cases offer the harness's).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator

from harness import CsmsPeer
from harness.catalogue import profile_slug
from harness.config import SutProfile
from harness.firmware_server import FirmwareServer
from harness.peers.exchange import InboundCall

V16 = ("1.6",)
FIRMWARE_MANAGEMENT = "firmware-management"
#: The first line of the harness's test firmware, before its version.
IMAGE_MAGIC = b"OCPP-HARNESS-FIRMWARE "
#: retryInterval (s) the cases ask for, and the retries.
RETRY_INTERVAL_S = 1
RETRIES = 2


def firmware_management(profile: SutProfile) -> str | None:
    """NOT-APPLICABLE unless the charge point claims the Firmware Management feature profile."""
    claimed = {profile_slug(p) for p in profile.claims.profiles}
    if FIRMWARE_MANAGEMENT not in claimed:
        return (
            "needs the Firmware Management feature profile (claims.profiles: firmware-management)"
        )
    return None


def plain_firmware(profile: SutProfile) -> str | None:
    """UpdateFirmware (1.6 §5.16): Firmware Management, and no signed firmware update."""
    reason = firmware_management(profile)
    if reason is None and profile.sut.security_profile >= 1:
        reason = (
            "a charge point with a security profile updates firmware by SignedUpdateFirmware "
            "(1.6 SEC L01.FR.20: UpdateFirmware is refused): see TC_080_CS"
        )
    return reason


def signed_firmware(profile: SutProfile) -> str | None:
    """SignedUpdateFirmware (1.6 SEC L01): a charge point with a security profile."""
    if profile.sut.security_profile < 1:
        return (
            "the signed firmware update (1.6 SEC L01) is taken for a charge point with a security "
            "profile; without one it updates by UpdateFirmware (TC_044_1_CS)"
        )
    return None


def new_version() -> str:
    """A firmware version the charge point has not run before."""
    return f"2.{secrets.randbelow(1000)}.{secrets.randbelow(1000)}"


def image(version: str) -> bytes:
    """The harness's test firmware of ``version``."""
    body = secrets.token_hex(256).encode("ascii")
    return IMAGE_MAGIC + version.encode("ascii") + b"\n" + body + b"\n"


@contextlib.asynccontextmanager
async def firmware_server(csms: CsmsPeer, host: str) -> AsyncIterator[FirmwareServer]:
    """The harness's firmware (and upload) server for one case, on ``host`` (where the harness
    listens: the charge point reaches it there); every request goes into the trace."""
    async with FirmwareServer(
        host=host, on_request=lambda request: csms.trace.event(request.describe())
    ) as server:
        yield server


async def reported(csms: CsmsPeer, action: str, status: str, *, req: str) -> InboundCall:
    """``action`` with ``status`` within the action time (``req``: that it comes); answered by
    default."""
    return await csms.expect(action, status=status, within_s=csms.action_s + 3, req=req)
