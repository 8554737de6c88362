"""The reference CSMS's block L (harness/reference/csms/block_l.py) beyond what the OCA cases
drive: the UpdateFirmwareRequest it builds (an image it serves, signed for real, a fresh
requestId, the schedule asked for, each request fault), every firmware status kept per station,
and its firmware server stopped with the CSMS."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature

from harness.firmware_server import FirmwareServer
from harness.pki import verify_firmware
from harness.reference.csms import block_l
from harness.reference.csms.handlers_common import Refusal
from harness.reference.csms.handlers_v2 import HANDLERS
from harness.reference.csms.records import CsmsState, StationRecord
from testcases.v201.firmware_signing_checks import FetchError, fetch, read_certificate


def _state(*faults: str) -> CsmsState:
    return CsmsState("2.0.1", frozenset(faults), ("VALID001",))


async def _request(
    *faults: str, retrieve_in_s: int = 0, install_in_s: int = 0
) -> tuple[dict[str, Any], bytes | FetchError]:
    async with FirmwareServer() as server:
        action, payload = block_l.update_firmware(
            frozenset(faults), server, retrieve_in_s, install_in_s
        )
        assert action == "UpdateFirmware"
        firmware = payload["firmware"]
        image: bytes | FetchError
        try:
            image = await fetch(firmware["location"], timeout_s=5)
        except FetchError as exc:  # the location fault: nothing served
            image = exc
    return payload, image


async def test_the_request_carries_a_served_image_signed_for_real() -> None:
    first, image = await _request()
    second, _ = await _request()
    firmware = first["firmware"]
    assert isinstance(image, bytes)
    assert image.startswith(block_l.IMAGE_PREFIX)
    verify_firmware(firmware["signingCertificate"], image, firmware["signature"])
    assert not read_certificate(firmware["signingCertificate"]).problem
    assert "installDateTime" not in firmware
    assert second["requestId"] != first["requestId"]


async def test_the_schedule_asked_for_and_its_fault() -> None:
    payload, _ = await _request(retrieve_in_s=30, install_in_s=60)
    assert payload["firmware"]["installDateTime"] > payload["firmware"]["retrieveDateTime"]
    ignored, _ = await _request("csms-firmware-schedule-ignored", install_in_s=60)
    assert "installDateTime" not in ignored["firmware"]


async def test_the_request_faults() -> None:
    no_cert, _ = await _request("csms-firmware-no-signing-certificate")
    assert "signingCertificate" not in no_cert["firmware"]
    no_sig, _ = await _request("csms-firmware-no-signature")
    assert "signature" not in no_sig["firmware"]
    bare, _ = await _request("csms-firmware-certificate-not-pem")
    assert read_certificate(bare["firmware"]["signingCertificate"]).problem
    wrong, image = await _request("csms-firmware-wrong-signature")
    assert isinstance(image, bytes)
    with pytest.raises(InvalidSignature):
        verify_firmware(
            wrong["firmware"]["signingCertificate"], image, wrong["firmware"]["signature"]
        )
    _, missing = await _request("csms-firmware-location-not-served")
    assert "404" in str(missing)


def test_every_status_is_kept_with_its_request_id() -> None:
    handler = HANDLERS["FirmwareStatusNotification"]
    state, station = _state(), StationRecord("CS-L")
    for status in ("DownloadScheduled", "Downloading", "InstallVerificationFailed"):
        assert handler(state, station, {"status": status, "requestId": 7}) == {}
    assert handler(state, station, {"status": "Idle"}) == {}
    assert station.firmware_statuses[-1] == (None, "Idle")
    assert station.firmware_statuses[0] == (7, "DownloadScheduled")


@pytest.mark.parametrize(
    ("fault", "status", "refused"),
    [
        ("csms-firmware-status-refused", "Downloading", True),
        ("csms-firmware-status-partial", "Downloading", False),
        ("csms-firmware-status-partial", "DownloadFailed", True),
    ],
)
def test_status_faults(fault: str, status: str, refused: bool) -> None:
    handler = HANDLERS["FirmwareStatusNotification"]
    state, station = _state(fault), StationRecord("CS-L")
    if refused:
        with pytest.raises(Refusal):
            handler(state, station, {"status": status})
    else:
        assert handler(state, station, {"status": status}) == {}


def test_firmware_security_events_and_boot_faults() -> None:
    events, boot = HANDLERS["SecurityEventNotification"], HANDLERS["BootNotification"]
    state, station = _state("csms-firmware-security-event-refused"), StationRecord("CS-L")
    event = {"type": "InvalidFirmwareSignature", "timestamp": "2026-01-01T00:00:00Z"}
    with pytest.raises(Refusal):
        events(state, station, event)
    assert events(state, station, {**event, "type": "SettingSystemTime"}) == {}
    boot_payload = {
        "reason": "FirmwareUpdate",
        "chargingStation": {"model": "m", "vendorName": "v"},
    }
    assert boot(_state(), station, boot_payload)["status"] == "Accepted"
    rejecting = _state("csms-firmware-boot-rejected")
    assert boot(rejecting, station, boot_payload)["status"] == "Rejected"
    assert boot(rejecting, station, {**boot_payload, "reason": "PowerUp"})["status"] == "Accepted"


async def test_the_firmware_server_stops_with_its_task() -> None:
    tasks: list[asyncio.Task[Any]] = []

    def spawn(coro: Coroutine[Any, Any, Any]) -> None:
        tasks.append(asyncio.ensure_future(coro))

    host = block_l.FirmwareHost()
    server = await host.server(spawn)
    assert await host.server(spawn) is server
    assert len(tasks) == 1
    url = server.serve("/fw.bin", b"image")
    assert await fetch(url, timeout_s=5) == b"image"
    tasks[0].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    with pytest.raises(FetchError, match="GET"):
        await fetch(url, timeout_s=2)
