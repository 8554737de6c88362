"""Steps shared by the OCPP 1.6 firmware and diagnostics cases with the charge point under test
(:mod:`.test_firmware`, :mod:`.test_firmware_signed`): applicability and the status a case waits
for.

Applicability: the plain UpdateFirmware and GetDiagnostics (1.6 §5.9, §5.16) need a charge point
under test to claim the Firmware Management feature profile (``claims.profiles:
[firmware-management]``; it lists it in SupportedFeatureProfiles, 1.6 §9.1); a Central System
under test is asked through its operator. A charge point that runs the security extension's signed
firmware update (1.6 SEC L01) must refuse UpdateFirmware (L01.FR.20): the harness takes a
charge point with a security profile (1-3) for one, and one without for a charge point that
updates by UpdateFirmware.

The firmware and its server are :mod:`testcases.firmware_package`'s (shared with block L): the
built-in reference charge point installs a harness image; a real one installs only its vendor's
image (``sut.firmware``), without which the cases that install are NOT-APPLICABLE.
"""

from __future__ import annotations

from harness import CsmsPeer
from harness.catalogue import profile_slug
from harness.config import Role, SutProfile
from harness.peers.exchange import InboundCall
from testcases.firmware_package import needs_vendor_image

V16 = ("1.6",)
FIRMWARE_MANAGEMENT = "firmware-management"
#: retryInterval (s) the cases ask for, and the retries.
RETRY_INTERVAL_S = 1
RETRIES = 2


def firmware_management(profile: SutProfile) -> str | None:
    """NOT-APPLICABLE unless the charge point claims the Firmware Management feature profile (a
    Central System under test is asked through its operator: no claim needed)."""
    if profile.sut.role is Role.CSMS:
        return None
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


def plain_install(profile: SutProfile) -> str | None:
    """UpdateFirmware of an image the charge point installs (the vendor's on a real one)."""
    return plain_firmware(profile) or needs_vendor_image(profile)


def plain_install_failing(profile: SutProfile) -> str | None:
    """UpdateFirmware of an image whose installation fails (the vendor's on a real one)."""
    return plain_firmware(profile) or needs_vendor_image(profile, failing=True)


def signed_install(profile: SutProfile) -> str | None:
    """SignedUpdateFirmware of an image the charge point installs."""
    return signed_firmware(profile) or needs_vendor_image(profile)


def signed_firmware(profile: SutProfile) -> str | None:
    """SignedUpdateFirmware (1.6 SEC L01): a charge point with a security profile."""
    if profile.sut.security_profile < 1:
        return (
            "the signed firmware update (1.6 SEC L01) is taken for a charge point with a security "
            "profile; without one it updates by UpdateFirmware (TC_044_1_CS)"
        )
    return None


async def reported(csms: CsmsPeer, action: str, status: str, *, req: str) -> InboundCall:
    """``action`` with ``status`` within the action time (``req``: that it comes); answered by
    default."""
    return await csms.expect(action, status=status, within_s=csms.action_s + 3, req=req)
