"""OCPP 1.6 Security Whitepaper (edition 3) secure firmware update with the charge point under
test (the harness plays the Central System): SignedUpdateFirmware and
SignedFirmwareStatusNotification (1.6 SEC L01, §5.19-5.22): TC_080_CS and TC_081_CS. The 1.6
test case document is not public: the ids and titles are the catalogue's (section 25), the steps
ours, after the whitepaper's use case L01 and the OCA 2.0.1 twin each case names.

The firmware (:mod:`testcases.firmware_package`, shared with block L): on the built-in reference
a harness image signed with the session PKI's firmware signing key (:mod:`harness.pki.firmware`),
the charge point first given the PKI's ManufacturerRootCertificate (InstallCertificate, 1.6 SEC
M05; deleted again afterwards), the root its signing certificate must lead to (L01.FR.23); on a
real charge point the vendor's signed image (``sut.firmware``) for TC_080_CS, and a harness image
with a real signature of other bytes for TC_081_CS."""

from __future__ import annotations

from harness import CsmsPeer, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from testcases.firmware_package import (
    FirmwarePackage,
    firmware_server,
    manufacturer_root,
    session_pki,
    signed_package,
)
from testcases.v16.firmware_states import RETRY_INTERVAL_S, V16, signed_firmware, signed_install

SIGNED = "SignedFirmwareStatusNotification"
ACCEPTED = "1.6 SEC L01.FR.23: SignedUpdateFirmware.req with a valid certificate is Accepted"
SAME_ID = "1.6 SEC L01.FR.10: the same requestId"
STATUS = "1.6 SEC L01.FR.01: SignedFirmwareStatusNotification {}"
VERIFIED = "1.6 SEC L01.FR.01: SignatureVerified"
UPDATED_EVENT = "1.6 SEC A04: SecurityEventNotification FirmwareUpdated"
BAD_SIGNATURE = "1.6 SEC L01.FR.04: SignedFirmwareStatusNotification InvalidSignature"
SIGNATURE_EVENT = "1.6 SEC L01.FR.03: SecurityEventNotification InvalidFirmwareSignature"


async def _send(csms: CsmsPeer, package: FirmwarePackage, request_id: int) -> None:
    """SignedUpdateFirmware.req with the package's location, retrieveDateTime now, no
    installDateTime, its signing certificate and signature (step 1), Accepted (step 2)."""
    answer = await csms.call(
        "SignedUpdateFirmware",
        request_id=request_id,
        retries=1,
        retry_interval=RETRY_INTERVAL_S,
        firmware=package.firmware(retrieve=now_iso()),
        req=ACCEPTED,
    )
    answer.must(status="Accepted", req=ACCEPTED)


async def _status(csms: CsmsPeer, status: str, request_id: int, req: str = "") -> InboundCall:
    """SignedFirmwareStatusNotification ``status`` (L01.FR.01), whose requestId must be the
    request's (L01.FR.10)."""
    found = await csms.expect(
        SIGNED, status=status, within_s=csms.action_s + 3, req=req or STATUS.format(status)
    )
    require(
        found.get("requestId") == request_id,
        req=SAME_ID,
        expected=f"requestId {request_id}",
        actual=repr(found.get("requestId")),
        frames=csms.trace.render(last=6),
    )
    return found


@oca(
    "TC_080_CS",
    "Secure Firmware Update",
    profile="advanced-security",
    versions=V16,
    kills=(
        "signed-firmware-wrong-requestid-16",
        "signed-firmware-skips-signature-verified-16",
        "signed-firmware-no-updated-event-16",
    ),
    applies=signed_install,
)
async def test_secure_firmware_update(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_080_CS (1.6 SEC L01.FR.01/04/05/10/12/15/23; the 1.6 test case document is not public:
    the steps follow the OCA 2.0.1 twin TC_L_01_CS): SignedUpdateFirmware.req with a validly signed
    image, retrieveDateTime now and no installDateTime (step 1), Accepted (step 2);
    SignedFirmwareStatusNotification Downloading, Downloaded, SignatureVerified, Installing (steps
    3-13; InstallRebooting and connector statuses in between allowed), each with the request's
    requestId; after the reboot (the charge point reconnects, step 15) Installed with it (step
    18) and SecurityEventNotification FirmwareUpdated (step 20), in either order. Every
    notification is answered by default."""
    request_id = 8001
    pki = session_pki(csms)
    async with firmware_server(csms, sut_profile) as server:
        package = signed_package(server, sut_profile, pki, "valid")
        async with manufacturer_root(csms, pki, needed=package.harness_made, v16=True):
            await _send(csms, package, request_id)
            await _status(csms, "Downloading", request_id)
            await _status(csms, "Downloaded", request_id)
            await _status(csms, "SignatureVerified", request_id, req=VERIFIED)
            await _status(csms, "Installing", request_id)
            await csms.expect(
                "BootNotification",
                within_s=sut_profile.sut.timeouts.connect_s + csms.action_s,
                req="1.6 SEC L01.FR.05: the charge point installs the firmware (and reboots)",
            )
    await _status(csms, "Installed", request_id)
    await csms.expect(
        "SecurityEventNotification",
        type="FirmwareUpdated",
        within_s=csms.action_s,
        req=UPDATED_EVENT,
    )


@oca(
    "TC_081_CS",
    "Secure Firmware Update - Invalid Signature",
    profile="advanced-security",
    versions=V16,
    kills=("signed-firmware-accepts-bad-signature-16", "signed-firmware-no-signature-event-16"),
    applies=signed_firmware,
)
async def test_secure_firmware_invalid_signature(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_081_CS (1.6 SEC L01.FR.01/03/04/10; the 1.6 test case document is not public: the steps
    follow the OCA 2.0.1 twin TC_L_06_CS): SignedUpdateFirmware.req with the valid signing
    certificate and a real signature by its key of other bytes (step 1), Accepted (step 2);
    SignedFirmwareStatusNotification Downloading and Downloaded (steps 3-6), then InvalidSignature
    (step 7) with the request's requestId and SecurityEventNotification InvalidFirmwareSignature
    (step 9), those two in either order (2.0.1 errata)."""
    request_id = 8101
    pki = session_pki(csms)
    async with firmware_server(csms, sut_profile) as server:
        package = signed_package(server, sut_profile, pki, "wrong-signature")
        async with manufacturer_root(csms, pki, needed=package.harness_made, v16=True):
            await _send(csms, package, request_id)
            await _status(csms, "Downloading", request_id)
            await _status(csms, "Downloaded", request_id)
            await _status(csms, "InvalidSignature", request_id, req=BAD_SIGNATURE)
            await csms.expect(
                "SecurityEventNotification",
                type="InvalidFirmwareSignature",
                within_s=csms.action_s,
                req=SIGNATURE_EVENT,
            )
