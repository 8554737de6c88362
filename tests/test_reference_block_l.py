"""The reference station's block L (harness/reference/station/block_l.py) beyond what the OCA
cases drive: the download client and its resume, the retries and Downloading per retry, the
refusals, the triggered status, the image's version; and the ``sut.firmware`` profile section."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, cast

import pytest

from harness.config import ProfileError
from harness.config.validate import profile_from_mapping
from harness.firmware_server import FirmwareServer
from harness.pki import Pki, ensure_pki
from harness.pki.firmware import signed_firmware
from harness.reference.station.block_l import FirmwareUpdater, image_version
from harness.reference.station.firmware_fetch import FetchError, fetch
from harness.reference.station.model import Outgoing, Payload, Reply
from harness.reference.station.v2 import V2
from testcases.firmware_package import harness_image


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return ensure_pki(Path(tmp_path_factory.mktemp("block-l")) / "ecdsa")


class _Outbox:
    def contains(self, action: str) -> bool:
        return False

    async def wait_change(self, timeout: float) -> None:
        await asyncio.sleep(0)


class _Station:
    """What FirmwareUpdater uses of a ReferenceStation."""

    flush_s = 1.0
    ssl_context = None

    def __init__(self, faults: frozenset[str], variants: frozenset[str]) -> None:
        self.faults = faults
        self.variants = variants
        self.sent: list[tuple[str, Payload]] = []
        self.outbox = _Outbox()
        self.cycles: list[str] = []

    def send(self, item: Outgoing, *, front: bool = False) -> None:
        self.sent.append((item.action, item.build()))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        return asyncio.ensure_future(coro)

    def refresh_status(self) -> None:
        pass

    async def power_cycle(self, *, boot_reason: str, reason: str) -> None:
        self.cycles.append(boot_reason)


class _Dm:
    def get_bool(self, component: str, name: str) -> bool:
        return False


class _Txe:
    tx: dict[int, object] = {}


class _V2:
    def __init__(self, station: _Station) -> None:
        self.st = station
        self.dm = _Dm()
        self.txe = _Txe()


def _updater(
    pki: Pki, faults: frozenset[str] = frozenset(), variants: frozenset[str] = frozenset()
) -> tuple[FirmwareUpdater, _Station]:
    station = _Station(faults, variants)
    root = pki.manufacturer_root.read_text()
    return FirmwareUpdater(cast(V2, _V2(station)), lambda: [root]), station


def _statuses(station: _Station) -> list[str]:
    return [p["status"] for a, p in station.sent if a == "FirmwareStatusNotification"]


async def _finish(updater: FirmwareUpdater, reply: Reply) -> None:
    if reply.then is not None:
        reply.then()
    assert updater.task is not None
    await asyncio.wait_for(updater.task, timeout=10)


def _request(url: str, pki: Pki, data: bytes, kind: str = "valid", **extra: Any) -> Payload:
    signed = signed_firmware(pki, data, kind)
    firmware = {
        "location": url,
        "retrieveDateTime": "2020-01-01T00:00:00Z",
        "signingCertificate": signed.certificate,
        "signature": signed.signature,
    }
    return {"requestId": 7, "firmware": firmware, **extra}


async def test_fetch_whole_truncated_and_resumed() -> None:
    data = harness_image("9.9.9", size=20000)
    async with FirmwareServer() as server:
        url = server.serve("/fw.bin", data)
        assert await fetch(url) == data
        server.set_fault("/fw.bin", "truncated", times=1, keep=5000)
        with pytest.raises(FetchError) as caught:
            await fetch(url)
        assert caught.value.partial == data[:5000]
        rest = await fetch(url, offset=5000)
        assert rest == data[5000:]
        tries = await server.wait_attempts("/fw.bin", 3, timeout_s=2)  # recorded once closed
        assert tries[-1].asked_range == "bytes=5000-"
        with pytest.raises(FetchError):
            await fetch(server.url("/missing.bin"))


def test_image_version() -> None:
    assert image_version(harness_image("3.1.4"), "x") == "3.1.4"
    assert image_version(harness_image("3.1.4", installable=False), "x") is None
    assert image_version(b"vendor firmware", "1.0.0+1") == "1.0.0+1"


async def test_unsigned_and_untrusted_are_refused(pki: Pki) -> None:
    updater, station = _updater(pki)
    data = harness_image("2.0.0")
    request = _request("http://127.0.0.1:9/fw.bin", pki, data)
    unsigned = {**request, "firmware": {"location": "http://127.0.0.1:9/fw.bin"}}
    assert updater.update_firmware(unsigned).payload == {"status": "Rejected"}
    reply = updater.update_firmware(_request("http://127.0.0.1:9/fw.bin", pki, data, "untrusted"))
    assert reply.payload == {"status": "InvalidCertificate"}
    assert reply.then is not None
    reply.then()
    assert station.sent[-1][1]["type"] == "InvalidFirmwareSigningCertificate"
    assert updater.status_payload() == {"status": "Idle"}


@pytest.mark.parametrize("variants", [frozenset(), frozenset({"firmware-downloading-each-retry"})])
async def test_download_failed_after_the_retries(pki: Pki, variants: frozenset[str]) -> None:
    updater, station = _updater(pki, variants=variants)
    async with FirmwareServer() as server:
        url = server.url("/nothing.bin")
        request = _request(url, pki, b"x", retries=2, retryInterval=0)
        await _finish(updater, updater.update_firmware(request))
        assert len(await server.wait_attempts("/nothing.bin", 3, timeout_s=2)) == 3
    each = "firmware-downloading-each-retry" in variants
    assert _statuses(station) == ["Downloading"] * (3 if each else 1) + ["DownloadFailed"]


async def test_no_retry_fault_gives_up_at_once(pki: Pki) -> None:
    updater, _ = _updater(pki, faults=frozenset({"firmware-no-retry"}))
    async with FirmwareServer() as server:
        request = _request(server.url("/nothing.bin"), pki, b"x", retries=2, retryInterval=0)
        await _finish(updater, updater.update_firmware(request))
        assert len(await server.wait_attempts("/nothing.bin", 2, timeout_s=0.5)) == 1


async def test_resumed_download_installs_and_reboots(pki: Pki) -> None:
    updater, station = _updater(pki, variants=frozenset({"firmware-download-resume"}))
    data = harness_image("4.5.6", size=30000)
    async with FirmwareServer() as server:
        url = server.serve("/fw.bin", data)
        server.set_fault("/fw.bin", "truncated", times=1, keep=1000)
        request = _request(url, pki, data, retries=1, retryInterval=0)
        await _finish(updater, updater.update_firmware(request))
        tries = await server.wait_attempts("/fw.bin", 2, timeout_s=2)
        ranges = [a.asked_range for a in tries]
    assert ranges == [None, "bytes=1000-"]
    assert _statuses(station) == [
        "Downloading",
        "Downloaded",
        "SignatureVerified",
        "Installing",
        "InstallRebooting",
        "Installed",
    ]
    assert station.cycles == ["FirmwareUpdate"]
    assert updater.version == "4.5.6"
    assert station.sent[-1][1]["type"] == "FirmwareUpdated"


async def test_a_second_update_cancels_the_first(pki: Pki) -> None:
    updater, station = _updater(pki)
    data = harness_image("5.0.0")
    async with FirmwareServer() as server:
        url = server.serve("/fw.bin", data)
        server.set_fault("/fw.bin", "stall", hold_s=5)
        first = updater.update_firmware(_request(url, pki, data))
        assert first.then is not None
        first.then()
        await server.wait_attempts("/fw.bin", 1, timeout_s=3)
        assert updater.status_payload() == {"status": "Downloading", "requestId": 7}
        server.clear_fault("/fw.bin")
        second = updater.update_firmware({**_request(url, pki, data), "requestId": 8})
        assert second.payload == {"status": "AcceptedCanceled"}
        await _finish(updater, second)
    ids = [p["requestId"] for a, p in station.sent if a == "FirmwareStatusNotification"]
    assert ids[0] == 7
    assert set(ids[1:]) == {8}
    assert _statuses(station)[-1] == "Installed"


def _profile(firmware: Any, tmp_path: Path, role: str = "charging-station") -> Any:
    data: dict[str, Any] = {
        "name": "x",
        "sut": {
            "role": role,
            "ocpp": "2.0.1",
            "identity": "CS1",
            "security_profile": 0,
            "firmware": firmware,
        },
    }
    if role == "charging-station":
        data["sut"]["listen"] = {"host": "127.0.0.1", "port": 9000}
    else:
        data["sut"]["url"] = "ws://127.0.0.1:9000/ocpp"
    return profile_from_mapping(data, path=tmp_path / "sut.yaml")


def test_sut_firmware_section(tmp_path: Path) -> None:
    (tmp_path / "fw.bin").write_bytes(b"image")
    (tmp_path / "signing.pem").write_text("PEM")
    good = {
        "image": "fw.bin",
        "signing_certificate": "signing.pem",
        "signature": "c2ln",
        "version": "4",
    }
    loaded = _profile(good, tmp_path).sut.firmware
    assert loaded is not None
    assert (loaded.version, loaded.signature) == ("4", "c2ln")
    problems: list[tuple[dict[str, str | None], str]] = [
        ({**good, "signature": None}, "sut.firmware.signature"),
        ({**good, "signature_file": "fw.sig"}, "sut.firmware.signature"),
        ({**good, "image": "other.bin"}, "sut.firmware.image"),
        ({**good, "version": None}, "sut.firmware.version"),
        ({**good, "failing_image": "fw.bin"}, "sut.firmware.failing_signature"),
        ({**good, "imagee": "x"}, "sut.firmware.imagee"),
    ]
    for firmware, key in problems:
        with pytest.raises(ProfileError) as caught:
            _profile({k: v for k, v in firmware.items() if v is not None}, tmp_path)
        assert key in str(caught.value), (firmware, str(caught.value))
    with pytest.raises(ProfileError, match=r"sut\.firmware"):
        _profile(good, tmp_path, role="csms")
