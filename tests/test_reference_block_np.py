"""The reference station's blocks N and P (harness/reference/station/block_np.py) beyond what the
OCA cases drive: the answers no case asks for (Rejected, Invalid), the upload's retries and its
cancellation, and what a CustomerInformation reports and clears."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, cast

import pytest

from harness.fileserver import FileServer
from harness.reference.station.block_np import BlockNP
from harness.reference.station.core import ReferenceStation
from harness.reference.station.model import CallRefused, Outgoing, Payload, Reply


class FakeStation:
    """What BlockNP uses of a ReferenceStation: faults, identity, send, spawn, customer data."""

    def __init__(self, faults: frozenset[str] = frozenset()) -> None:
        self.faults = faults
        self.identity = "CS-NP"
        self.sent: list[tuple[str, Payload]] = []
        self.auth_cache: set[str] = {"VALID001"}
        self.customers: dict[str, str] = {"OpenChargeAlliance": "customer data"}
        self.tasks: list[asyncio.Task[None]] = []

    def send(self, item: Outgoing, *, front: bool = False) -> None:
        self.sent.append((item.action, item.build()))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coro)
        self.tasks.append(task)
        return task


def _block(faults: frozenset[str] = frozenset()) -> tuple[BlockNP, FakeStation]:
    fake = FakeStation(faults)
    return BlockNP(cast(ReferenceStation, fake)), fake


def _run(reply: Reply) -> Payload:
    if reply.then is not None:
        reply.then()
    return reply.payload


def _statuses(fake: FakeStation) -> list[tuple[str, int]]:
    return [(p["status"], p["requestId"]) for a, p in fake.sent if a == "LogStatusNotification"]


async def test_get_log_rejects_an_unknown_log_type() -> None:
    block, fake = _block()
    log = {"remoteLocation": "http://127.0.0.1:9/upload/"}
    reply = block.get_log({"logType": "DataCollectorLog", "requestId": 1, "log": log})
    assert reply.payload == {"status": "Rejected"}
    assert fake.sent == []


async def test_get_log_retries_then_reports_the_failure() -> None:
    block, fake = _block()
    async with FileServer() as server:
        payload = {
            "logType": "SecurityLog",
            "requestId": 7,
            "retries": 2,
            "retryInterval": 0,
            "log": {"remoteLocation": server.url("/missing/")},
        }
        assert _run(block.get_log(payload))["status"] == "Accepted"
        await asyncio.wait_for(asyncio.gather(*fake.tasks), timeout=10)
        assert [r.path for r in server.requests] == ["/missing/SecurityLog-CS-NP-7.log"] * 3
    assert _statuses(fake) == [("Uploading", 7)] * 3 + [("UploadFailure", 7)]


async def test_a_second_get_log_cancels_the_running_upload() -> None:
    block, fake = _block()
    async with FileServer() as server:
        server.hold_uploads()
        log = {"remoteLocation": server.url()}
        _run(block.get_log({"logType": "DiagnosticsLog", "requestId": 1, "log": log}))
        await asyncio.sleep(0.2)
        second = _run(block.get_log({"logType": "DiagnosticsLog", "requestId": 2, "log": log}))
        server.release_uploads()
        await asyncio.wait_for(asyncio.gather(*fake.tasks, return_exceptions=True), timeout=10)
    assert second["status"] == "AcceptedCanceled"
    assert _statuses(fake) == [
        ("Uploading", 1),
        ("AcceptedCanceled", 1),
        ("Uploading", 2),
        ("Uploaded", 2),
    ]


@pytest.mark.parametrize(
    ("request_fields", "status"),
    [
        ({"report": True, "clear": False}, "Invalid"),  # no customer named (N09.FR.09)
        (
            {
                "report": True,
                "clear": False,
                "idToken": {"idToken": "VALID001", "type": "ISO14443"},
                "customerIdentifier": "OpenChargeAlliance",
            },
            "Invalid",
        ),  # two named (N09.FR.09)
        ({"report": False, "clear": False, "customerIdentifier": "x"}, "Rejected"),  # N09.FR.07
    ],
)
async def test_customer_information_refusals(request_fields: Payload, status: str) -> None:
    block, fake = _block()
    reply = block.customer_information({"requestId": 1, **request_fields})
    assert _run(reply) == {"status": status}
    assert fake.sent == []


async def test_customer_information_reports_and_clears() -> None:
    block, fake = _block()
    token = {"idToken": {"idToken": "VALID001", "type": "ISO14443"}}
    _run(block.customer_information({"requestId": 1, "report": True, "clear": True, **token}))
    _run(block.customer_information({"requestId": 2, "report": True, "clear": False, **token}))
    ident = {"customerIdentifier": "OpenChargeAlliance"}
    _run(block.customer_information({"requestId": 3, "report": False, "clear": True, **ident}))
    _run(block.customer_information({"requestId": 4, "report": True, "clear": False, **ident}))
    notes = [p for a, p in fake.sent if a == "NotifyCustomerInformation"]
    assert [(n["requestId"], n["seqNo"], n["tbc"]) for n in notes] == [
        (i, 0, False) for i in (1, 2, 3, 4)
    ]
    assert "VALID001" in notes[0]["data"]
    assert notes[1]["data"] == ""
    assert "cleared" in notes[2]["data"]
    assert notes[3]["data"] == ""
    assert fake.auth_cache == set()
    assert fake.customers == {}


async def test_custom_data_refused_only_under_its_fault() -> None:
    plain = {"SetVariables": lambda p: Reply({"setVariableResult": []})}
    request: Payload = {"setVariableData": [], "customData": {"vendorId": "org.example"}}
    block, _ = _block()
    assert block.handlers(dict(plain))["SetVariables"](request).payload == {"setVariableResult": []}
    faulty, _ = _block(frozenset({"station-refuses-custom-data"}))
    with pytest.raises(CallRefused):
        faulty.handlers(dict(plain))["SetVariables"](request)


async def test_log_status_for_a_trigger() -> None:
    block, fake = _block()
    assert block.log_status() == {"status": "Idle"}
    async with FileServer() as server:
        server.hold_uploads()
        log = {"remoteLocation": server.url()}
        _run(block.get_log({"logType": "DiagnosticsLog", "requestId": 5, "log": log}))
        await asyncio.sleep(0.1)
        assert block.log_status() == {"status": "Uploading", "requestId": 5}
        server.release_uploads()
        await asyncio.wait_for(asyncio.gather(*fake.tasks), timeout=10)
    assert block.log_status() == {"status": "Idle"}
