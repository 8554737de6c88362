"""The station-under-test side of L01 (secure firmware update) shared by the block L cases
(:mod:`.test_l_firmware`, :mod:`.test_l_firmware_tx`): the UpdateFirmware, the
FirmwareStatusNotification sequence it starts, and the checks of its order, requestId and
timing. Every status the station sends is written into the case's trace as it is taken."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Mapping
from typing import Any

from harness import CsmsPeer
from harness.checks import require, should
from harness.peers.matching import one_of
from harness.trace import Flow
from harness.verdicts import SutFailure

#: The statuses after which an update sends nothing more (L01; RevokedCertificate and
#: InvalidCertificate are answers of 2.0.1 but FirmwareStatusNotification statuses too).
TERMINAL = frozenset(
    {
        "Installed",
        "InstallationFailed",
        "InstallVerificationFailed",
        "DownloadFailed",
        "InvalidSignature",
        "InvalidCertificate",
        "RevokedCertificate",
    }
)


def step(status: str, *, req: str) -> tuple[str, str]:
    """A status of the sequence and the requirement its absence fails on."""
    return status, req


#: What a missing status in the sequence fails on, by status.
STATUS_REQ: Mapping[str, str] = dict(
    (
        step("DownloadScheduled", req="L01.FR.13: FirmwareStatusNotification DownloadScheduled"),
        step("Downloading", req="L01.FR.01: FirmwareStatusNotification Downloading"),
        step("Downloaded", req="L01.FR.01: FirmwareStatusNotification Downloaded"),
        step("SignatureVerified", req="L01.FR.01/04: FirmwareStatusNotification SignatureVerified"),
        step("InstallScheduled", req="L01.FR.16: FirmwareStatusNotification InstallScheduled"),
        step(
            "Installing",
            req="L01.FR.01: FirmwareStatusNotification Installing (or InstallRebooting)",
        ),
        step("Installed", req="L01.FR.28: FirmwareStatusNotification Installed"),
        step("InvalidSignature", req="L01.FR.04: FirmwareStatusNotification InvalidSignature"),
        step("DownloadFailed", req="L01.FR.30: FirmwareStatusNotification DownloadFailed"),
        step(
            "InstallVerificationFailed",
            req="L01.FR.29: InstallVerificationFailed or InstallationFailed",
        ),
    )
)
REQUEST_ID = "L01.FR.10: every FirmwareStatusNotification carries the UpdateFirmware's requestId"
UPDATED = "L01.FR.31: SecurityEventNotification FirmwareUpdated"
ACCEPTED = "L01.FR.21: UpdateFirmware with a trusted signing certificate Accepted"
#: The success path: Installing may give way to InstallRebooting (Part 6: a station that reboots
#: before installing reports no Installing; L01.FR.23).
INSTALLED_PATH: tuple[str | tuple[str, ...], ...] = (
    "Downloading",
    "Downloaded",
    "SignatureVerified",
    ("Installing", "InstallRebooting"),
    "Installed",
)


def install_wait(csms: CsmsPeer) -> float:
    """How long one status may take: a download, an installation or a reboot and reconnect."""
    return 2 * csms.action_s + csms.response_s


async def update_firmware(
    csms: CsmsPeer,
    request_id: int,
    firmware: dict[str, Any],
    *,
    retries: int | None = None,
    retry_interval: int | None = None,
    status: str | tuple[str, ...] = "Accepted",
    req: str = ACCEPTED,
) -> str:
    """UpdateFirmware, answered with ``status`` (one of them); the status given."""
    fields: dict[str, Any] = {"request_id": request_id, "firmware": firmware}
    if retries is not None:
        fields["retries"] = retries
    if retry_interval is not None:
        fields["retry_interval"] = retry_interval
    result = await csms.call("UpdateFirmware", req=req, **fields)
    result.must(req=req)
    wanted = (status,) if isinstance(status, str) else status
    answer = result.get("status")
    require(
        answer in wanted,
        req=req,
        expected=" or ".join(wanted),
        actual=repr(answer),
        frames=result.frames,
    )
    return str(answer)


async def follow(
    csms: CsmsPeer,
    request_id: int,
    *,
    until: Iterable[str] = TERMINAL,
    tolerate: Mapping[int, frozenset[str]] | None = None,
    within_s: float | None = None,
) -> list[str]:
    """The FirmwareStatusNotifications of ``request_id`` up to one of ``until`` (each within
    ``within_s``), every one with that requestId (L01.FR.10) but those ``tolerate`` allows for
    another request (e.g. DownloadFailed of a canceled update, errata 2025 TC_L_10)."""
    stop, seen = frozenset(until), list[str]()
    wait = install_wait(csms) if within_s is None else within_s
    while True:
        what = " or ".join(sorted(stop))
        note = await csms.expect(
            "FirmwareStatusNotification",
            within_s=wait,
            req=f"L01.FR.01: FirmwareStatusNotification up to {what} (seen: {seen})",
        )
        status, rid = note.get("status"), note.get("requestId")
        if rid != request_id and status in (tolerate or {}).get(rid, frozenset()):
            csms.trace.event(f"firmware update {rid}: {status} (the canceled update)")
            continue
        require(
            rid == request_id,
            req=REQUEST_ID,
            expected=f"requestId {request_id}",
            actual=f"requestId {rid!r} (status {status!r})",
            frames=csms.trace.render(last=10),
        )
        seen.append(str(status))
        csms.trace.event(f"firmware update {request_id}: statuses so far {seen}")
        if status in stop:
            return seen


def require_sequence(
    csms: CsmsPeer, seen: list[str], wanted: Iterable[str | tuple[str, ...]]
) -> None:
    """``wanted`` occurs in ``seen`` in this order (other statuses in between are the optional
    ones Part 6 allows); a tuple is a choice. A missing one fails on its requirement."""
    index = 0
    for step in wanted:
        choice = (step,) if isinstance(step, str) else step
        found = next((n for n in range(index, len(seen)) if seen[n] in choice), None)
        if found is None:
            raise SutFailure(
                STATUS_REQ.get(choice[0], f"L01.FR.01: FirmwareStatusNotification {choice[0]}"),
                f"{' or '.join(choice)} after {seen[:index] or 'the UpdateFirmware'}",
                f"statuses {seen}",
                csms.trace.render(last=14),
            )
        index = found + 1


def status_times(csms: CsmsPeer, request_id: int) -> list[tuple[float, str]]:
    """(arrival time, status) of every FirmwareStatusNotification of ``request_id`` so far."""
    return [
        (entry.monotonic, str(entry.payload.get("status")))
        for entry in csms.trace.entries()
        if entry.flow is Flow.RECEIVED
        and entry.action == "FirmwareStatusNotification"
        and entry.message_type == 2
        and entry.payload is not None
        and entry.payload.get("requestId") == request_id
    ]


def first_time(csms: CsmsPeer, request_id: int, statuses: Iterable[str]) -> float | None:
    """When the first of ``statuses`` of ``request_id`` arrived (None: not yet)."""
    wanted = frozenset(statuses)
    return next((t for t, s in status_times(csms, request_id) if s in wanted), None)


async def security_event(csms: CsmsPeer, kind: str, req: str) -> None:
    """A SecurityEventNotification of ``kind`` (before or after the statuses: errata TC_L_06)."""
    await csms.expect("SecurityEventNotification", type=kind, within_s=install_wait(csms), req=req)


async def installed(csms: CsmsPeer, request_id: int, path: Any = INSTALLED_PATH) -> list[str]:
    """The rest of a successful update: the statuses up to Installed in order (``path``), then
    SecurityEventNotification FirmwareUpdated (L01.FR.31)."""
    seen = await follow(csms, request_id)
    require_sequence(csms, seen, path)
    await security_event(csms, "FirmwareUpdated", UPDATED)
    return seen


def not_before(csms: CsmsPeer, when: float | None, due: float, *, req: str, what: str) -> None:
    """``when`` (monotonic) is not earlier than ``due`` less the clock deviation."""
    if when is None:
        return
    early = due - csms.clock_deviation_s - when
    require(
        early <= 0,
        req=req,
        expected=f"{what} not before the time set",
        actual=f"{what} {early:.1f} s too early (clock deviation {csms.clock_deviation_s:g} s)",
        frames=csms.trace.render(last=14),
    )


def monotonic_at(offset_s: float) -> float:
    return time.monotonic() + offset_s


async def settle(csms: CsmsPeer) -> None:
    """After a case: an update it started that has not reached a final status (a case that
    failed half-way) is waited for, bounded, so that the next case finds the station idle (a
    running update would make its UpdateFirmware a cancellation)."""
    last: tuple[Any, str] | None = None  # the latest update only: earlier ones were canceled
    for entry in csms.trace.entries():
        if (
            entry.flow is Flow.RECEIVED
            and entry.action == "FirmwareStatusNotification"
            and entry.message_type == 2
            and entry.payload is not None
        ):
            last = (entry.payload.get("requestId"), str(entry.payload.get("status")))
    if last is not None and last[1] not in TERMINAL:
        request_id = last[0]
        with contextlib.suppress(Exception):
            await csms.expect(
                "FirmwareStatusNotification",
                request_id=request_id,
                status=one_of(*TERMINAL),
                within_s=install_wait(csms),
                req="clean-up: the started firmware update ends",
            )


def reports_version(csms: CsmsPeer, version: str | None) -> None:
    """L01.FR.28 (SHOULD have activated the new firmware): a BootNotification after the update
    reports ``version`` (None: not known, nothing checked); a spec warning otherwise."""
    boots = [
        entry.payload
        for entry in csms.trace.entries()
        if entry.flow is Flow.RECEIVED
        and entry.action == "BootNotification"
        and entry.message_type == 2
        and entry.payload is not None
    ]
    if version is None or not boots:
        return
    reported = (boots[-1].get("chargingStation") or {}).get("firmwareVersion")
    should(
        csms,
        reported == version,
        req="L01.FR.28: the new firmware is activated (BootNotification firmwareVersion)",
        expected=f"firmwareVersion {version!r} after the reboot",
        actual=repr(reported),
    )
