"""OCA block N (Diagnostics: log upload, customer information), OCPP 2.0.1 and 2.1, both roles.
Steps and criteria in our own words after OCPP 2.0.1 Part 6: TC_N_25/26/32/35/36/62 _CS and
TC_N_25/27-32/34-36/62 _CSMS. Log uploads go to the harness's local file server
(:mod:`harness.fileserver`), every request it answers recorded in the case's trace."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.fileserver import FileServer
from harness.peers.defaults import now_iso
from harness.trace import Flow
from testcases.v201.log_states import csms_get_log, log_status
from testcases.v201.log_upload import log_server, log_uploaded, uploading_then_uploaded

V2 = ("2.0.1", "2.1")
#: The failure statuses N01.FR.10 allows for a log upload.
UPLOAD_FAILED = ("UploadFailure", "BadMessage", "PermissionDenied", "NotSupportedOperation")
#: TC_N_26_CS: the configured retryInterval (s), longer than one attempt at a missing path takes.
RETRY_INTERVAL_S = 1
RETRIES = 3
#: The customerIdentifier the OCA's test system configures (TC_N_62).
OCA_CUSTOMER = "OpenChargeAlliance"
#: The most NotifyCustomerInformation parts a report may have here (a bound for the wait).
MAX_PARTS = 50


@pytest.fixture
async def file_server(csms: CsmsPeer, sut_profile: SutProfile) -> AsyncIterator[FileServer]:
    """The log server of N01 for one case (:func:`.log_upload.log_server`; 127.0.0.1 for the
    built-in SUTs)."""
    async with log_server(csms, sut_profile.sut.listen.host) as server:
        yield server


# -- charging station under test -------------------------------------------------------------
@oca(
    "TC_N_25_CS",
    "Retrieve Log Information - Diagnostics Log - Success",
    profile="core",
    versions=V2,
    kills=(
        "getlog-rejected",
        "getlog-no-filename",
        "getlog-no-uploading",
        "getlog-upload-unreported",
    ),
)
async def test_get_log_diagnostics(csms: CsmsPeer, file_server: FileServer) -> None:
    """TC_N_25_CS (N01): GetLog logType DiagnosticsLog (step 1) is Accepted with a non-empty
    filename (step 2; N01.FR.01); LogStatusNotification Uploading (step 3; N01.FR.08) and
    Uploaded (step 5; N01.FR.09), each with the GetLog's requestId (N01.FR.07/13). Deviation:
    the document's step 5 reads "Updated", a status LogStatusNotification does not have; the
    requirement it lists (N01.FR.09) is Uploaded. Beyond the OCA: the file reached the log
    server (N01.FR.02/04)."""
    await log_uploaded(
        csms, file_server, "DiagnosticsLog", 2501, "N01.FR.02/04: the diagnostics log is uploaded"
    )


@oca(
    "TC_N_35_CS",
    "Retrieve Log Information - Security Log - Success",
    profile="core",
    versions=V2,
    kills=("getlog-rejected", "getlog-no-uploading", "getlog-upload-unreported"),
)
async def test_get_log_security(csms: CsmsPeer, file_server: FileServer) -> None:
    """TC_N_35_CS (N01): GetLog logType SecurityLog (step 1) is Accepted (step 2; N01.FR.01);
    LogStatusNotification Uploading (step 3; N01.FR.08) and Uploaded (step 5; N01.FR.09), each
    with the GetLog's requestId (N01.FR.07/13). Beyond the OCA: a filename is given (N01.FR.01)
    and the file reached the log server (N01.FR.02/03)."""
    await log_uploaded(
        csms, file_server, "SecurityLog", 3501, "N01.FR.02/03: the security log is uploaded"
    )


def _log_statuses(csms: CsmsPeer, request_id: int) -> list[tuple[float, str]]:
    """(arrival time, status) of every LogStatusNotification of ``request_id`` in this case."""
    return [
        (entry.monotonic, str(entry.payload.get("status")))
        for entry in csms.trace.entries()
        if entry.flow is Flow.RECEIVED
        and entry.action == "LogStatusNotification"
        and entry.message_type == 2
        and entry.payload is not None
        and entry.payload.get("requestId") == request_id
    ]


@oca(
    "TC_N_26_CS",
    "Retrieve Log Information - Diagnostics Log - Upload failed",
    profile="core",
    versions=V2,
    kills=("getlog-rejected", "getlog-no-uploading", "getlog-no-retry"),
)
async def test_get_log_upload_failed(csms: CsmsPeer, file_server: FileServer) -> None:
    """TC_N_26_CS (N01, errata 2025-01): GetLog DiagnosticsLog with retries 3, retryInterval
    1 s and a location whose path does not exist on the log server (step 1) is Accepted (step
    2; N01.FR.01); LogStatusNotification Uploading (step 3; N01.FR.08), then one of
    UploadFailure, BadMessage, PermissionDenied or NotSupportedOperation (step 5; N01.FR.10),
    with the GetLog's requestId (N01.FR.07/13). The harness waits at least 3 retry intervals;
    Uploading comes exactly once or four times, the failure status too (errata), and the last
    failure follows the first Uploading by 3 retry intervals (N01.FR.10: after the retries),
    within the time deviation."""
    request_id = 2601
    span = RETRIES * RETRY_INTERVAL_S
    result = await csms.call(
        "GetLog",
        log_type="DiagnosticsLog",
        request_id=request_id,
        retries=RETRIES,
        retry_interval=RETRY_INTERVAL_S,
        log={"remoteLocation": file_server.url("/missing/")},
    )
    result.must(status="Accepted", req="N01.FR.01: GetLog Accepted")
    await csms.expect(
        "LogStatusNotification",
        status="Uploading",
        request_id=request_id,
        within_s=csms.action_s,
        req="N01.FR.08: LogStatusNotification Uploading (N01.FR.07: same requestId)",
    )
    start = time.monotonic()
    deadline = start + span + csms.action_s
    failed: dict[str, Any] | None = None
    while failed is None:
        note = await csms.expect(
            "LogStatusNotification",
            request_id=request_id,
            within_s=max(0.0, deadline - time.monotonic()),
            req="N01.FR.10: the failed upload is reported (N01.FR.07: same requestId)",
        )
        if note.get("status") != "Uploading":
            failed = note.payload
    require(
        failed["status"] in UPLOAD_FAILED,
        req="N01.FR.10: the failed upload is reported (N01.FR.07: same requestId)",
        expected=" or ".join(UPLOAD_FAILED),
        actual=repr(failed["status"]),
        frames=csms.trace.render(last=12),
    )
    await asyncio.sleep(max(0.0, start + span + 0.5 - time.monotonic()))
    statuses = _log_statuses(csms, request_id)
    uploading = [t for t, s in statuses if s == "Uploading"]
    failures = [t for t, s in statuses if s in UPLOAD_FAILED]
    for what, times, req in (
        ("Uploading", uploading, "N01.FR.08"),
        ("the failure status", failures, "N01.FR.10"),
    ):
        require(
            len(times) in (1, RETRIES + 1),
            req=f"{req} (errata 2025-01): {what} sent once or once per attempt",
            expected=f"1 or {RETRIES + 1}",
            actual=str(len(times)),
            frames=csms.trace.render(last=20),
        )
    took = failures[-1] - uploading[0]
    require(
        span - 0.5 <= took <= span + csms.clock_deviation_s,
        req="N01.FR.10: the failure is reported after the retries",
        expected=f"{span} s (± the deviation) from the first Uploading to the last failure",
        actual=f"{took:.1f} s",
        frames=csms.trace.render(last=20),
    )


@oca(
    "TC_N_36_CS",
    "Retrieve Log Information - Second Request",
    profile="core",
    versions=V2,
    kills=("getlog-no-cancel", "getlog-no-cancel-status", "getlog-upload-unreported"),
    condition="C-57",
)
async def test_get_log_second_request(csms: CsmsPeer, file_server: FileServer) -> None:
    """TC_N_36_CS (N01, errata 2025-04), for a station that cancels a running upload (C-57):
    a GetLog (DiagnosticsLog, requestId #1) is Accepted (step 2; N01.FR.01) and reported
    Uploading (step 3; N01.FR.08); while the log server still holds that upload, a second GetLog
    (requestId #2, step 5) is answered AcceptedCanceled (step 6; N01.FR.12) and #1 reported
    AcceptedCanceled (step 7, before or after step 6; N01.FR.20); #2 is then reported Uploading
    (step 9) and Uploaded (step 11; N01.FR.09), every notification with its own request's
    requestId (N01.FR.07). The log server holds its answer to uploads until the second GetLog
    is answered, so the first upload is running when the second request comes."""
    first, second = 3601, 3602
    file_server.hold_uploads()
    location = {"remoteLocation": file_server.url()}
    result = await csms.call("GetLog", log_type="DiagnosticsLog", request_id=first, log=location)
    result.must(status="Accepted", req="N01.FR.01: GetLog Accepted")
    await csms.expect(
        "LogStatusNotification",
        status="Uploading",
        request_id=first,
        within_s=csms.action_s,
        req="N01.FR.08: LogStatusNotification Uploading (N01.FR.07: same requestId)",
    )
    result = await csms.call("GetLog", log_type="DiagnosticsLog", request_id=second, log=location)
    file_server.release_uploads()
    result.must(status="AcceptedCanceled", req="N01.FR.12: the second GetLog is AcceptedCanceled")
    await csms.expect(
        "LogStatusNotification",
        status="AcceptedCanceled",
        request_id=first,
        within_s=csms.action_s,
        req="N01.FR.20: LogStatusNotification AcceptedCanceled (N01.FR.07: the first requestId)",
    )
    await uploading_then_uploaded(csms, second)


@oca(
    "TC_N_32_CS",
    "Clear Customer Information - Clear and no report",
    profile="core",
    versions=V2,
    kills=("customer-info-rejected", "customer-info-no-notify"),
)
async def test_clear_customer_information(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_N_32_CS (N10): CustomerInformation with report false, clear true and the configured
    valid idToken (step 1) is Accepted (step 2; N10.FR.01); the station then sends one
    NotifyCustomerInformation for that request (step 3; N10.FR.06: one message, so tbc false)
    saying the data was cleared. The text of ``data`` is free, so the harness checks the one
    message, not its wording."""
    tokens = sut_profile.sut.tokens
    request_id = 3201
    result = await csms.call(
        "CustomerInformation",
        request_id=request_id,
        report=False,
        clear=True,
        id_token={"idToken": tokens.valid, "type": tokens.type},
    )
    result.must(status="Accepted", req="N10.FR.01: CustomerInformation Accepted")
    notify = await csms.expect(
        "NotifyCustomerInformation",
        request_id=request_id,
        within_s=csms.action_s,
        req="N10.FR.06: one NotifyCustomerInformation",
    )
    require(
        notify.get("tbc", False) is False and notify.get("seqNo") == 0,
        req="N10.FR.06: one NotifyCustomerInformation",
        expected="seqNo 0 and tbc false (a single message)",
        actual=f"seqNo {notify.get('seqNo')!r}, tbc {notify.get('tbc')!r}",
        frames=csms.trace.render(last=8),
    )


async def _customer_report(
    csms: CsmsPeer, request_id: int, *, clear: bool, **customer: Any
) -> list[str]:
    """CustomerInformation with report true for ``customer``: Accepted (N10.FR.01), then every
    NotifyCustomerInformation part of the request until tbc is false (Part 6: all report parts
    received); their data, in order."""
    result = await csms.call(
        "CustomerInformation", request_id=request_id, report=True, clear=clear, **customer
    )
    result.must(status="Accepted", req="N10.FR.01: CustomerInformation Accepted")
    parts: list[str] = []
    while len(parts) < MAX_PARTS:
        note = await csms.expect(
            "NotifyCustomerInformation",
            request_id=request_id,
            within_s=csms.action_s,
            req="N09.FR.05/06: NotifyCustomerInformation for the request, every part",
        )
        parts.append(str(note.get("data", "")))
        if not note.get("tbc", False):
            return parts
    require(
        False,
        req="N09.FR.05/06: NotifyCustomerInformation for the request, every part",
        expected=f"a last part (tbc false) within {MAX_PARTS} parts",
        actual=f"{MAX_PARTS} parts with tbc true",
        frames=csms.trace.render(last=8),
    )
    return parts


@oca(
    "TC_N_62_CS",
    "Clear Customer Information - Clear and report - customerIdentifier",
    profile="core",
    versions=V2,
    kills=("customer-info-rejected", "customer-info-identifier-kept"),
    condition="C-14",
)
async def test_clear_customer_by_identifier(csms: CsmsPeer, sut: SutActions) -> None:
    """TC_N_62_CS (N09/N10), for a station that keeps customer data by customerIdentifier
    (C-14): with customer data stored under "OpenChargeAlliance" (memory state, the operator
    action ``store_customer_identifier``), CustomerInformation with report true, clear true and
    that customerIdentifier (step 1) is Accepted (step 2; N10.FR.01) and its report, every part
    until tbc is false, has data (step 3; N10.FR.03); a second CustomerInformation with report
    true, clear false (step 5) is Accepted (step 6) and reports empty data (step 7: the data was
    cleared, N10.FR.03)."""
    await sut.store_customer_identifier(OCA_CUSTOMER)
    who = {"customer_identifier": OCA_CUSTOMER}
    first = await _customer_report(csms, 6201, clear=True, **who)
    require(
        any(part for part in first),
        req="N10.FR.03: the cleared data is reported",
        expected="data not empty",
        actual=repr(first),
        frames=csms.trace.render(last=8),
    )
    second = await _customer_report(csms, 6202, clear=False, **who)
    require(
        not any(part for part in second),
        req="N10.FR.03: the cleared data is no longer reported",
        expected="data empty",
        actual=repr(second),
        frames=csms.trace.render(last=8),
    )


# -- CSMS under test --------------------------------------------------------------------------
async def _csms_uploads(station: StationPeer, sut: SutActions, log_type: str) -> None:
    """TC_N_25/35_CSMS: GetLogRequest for ``log_type`` (tool validation), Accepted, then
    Uploading and Uploaded with its requestId, each answered."""
    request = await csms_get_log(station, sut, log_type)
    require_fields(
        request.payload,
        logType=log_type,
        req="N01: logType is the log asked for",
        frames=station.trace.render(last=6),
    )
    await log_status(station, "Uploading", request["requestId"])
    await log_status(station, "Uploaded", request["requestId"])


@oca(
    "TC_N_25_CSMS",
    "Retrieve Log Information - Diagnostics Log - Success",
    profile="core",
    versions=V2,
    kills=("csms-getlog-not-sent", "csms-getlog-wrong-type", "csms-log-status-refused"),
)
async def test_csms_get_log_diagnostics(station: StationPeer, sut: SutActions) -> None:
    """TC_N_25_CSMS (N01): the CSMS, asked by its operator, sends GetLogRequest with logType
    DiagnosticsLog (step 1, the tool validation); the harness answers Accepted (step 2) and
    reports Uploading and Uploaded with the request's requestId (steps 3, 5), both answered by
    the CSMS (steps 4, 6)."""
    await _csms_uploads(station, sut, "DiagnosticsLog")


@oca(
    "TC_N_35_CSMS",
    "Retrieve Log Information - Security Log - Success",
    profile="core",
    versions=V2,
    kills=("csms-getlog-not-sent", "csms-getlog-wrong-type", "csms-log-status-refused"),
)
async def test_csms_get_log_security(station: StationPeer, sut: SutActions) -> None:
    """TC_N_35_CSMS (N01): as TC_N_25_CSMS with logType SecurityLog (step 1, the tool
    validation): Accepted, Uploading, Uploaded, each notification answered (steps 2-6)."""
    await _csms_uploads(station, sut, "SecurityLog")


@oca(
    "TC_N_34_CSMS",
    "Retrieve Log Information - Rejected",
    profile="core",
    versions=V2,
    kills=("csms-getlog-not-sent",),
)
async def test_csms_get_log_rejected(station: StationPeer, sut: SutActions) -> None:
    """TC_N_34_CSMS (N01): the CSMS sends GetLogRequest (step 1) and the harness answers
    Rejected (step 2). The document has no tool validation: the CSMS sending the request (and
    the connection staying usable: a Heartbeat is answered) is what is checked."""
    await csms_get_log(station, sut, "DiagnosticsLog", answer="Rejected")
    (await station.call("Heartbeat")).must(req="N01: the CSMS takes the Rejected in its stride")


@oca(
    "TC_N_36_CSMS",
    "Retrieve Log Information - Second Request",
    profile="core",
    versions=V2,
    kills=("csms-getlog-not-sent", "csms-log-status-refused"),
)
async def test_csms_get_log_second_request(station: StationPeer, sut: SutActions) -> None:
    """TC_N_36_CSMS (N01): a first GetLogRequest (step 1) is Accepted (step 2) and its upload
    reported Uploading (steps 3-4); a second GetLogRequest (step 5) is answered AcceptedCanceled
    (step 6), the first upload reported AcceptedCanceled with its requestId (steps 7-8), the
    second Uploading and Uploaded with its requestId (steps 9-12), every notification answered
    by the CSMS. The document has no tool validation; the log type asked for is DiagnosticsLog
    both times."""
    first = await csms_get_log(station, sut, "DiagnosticsLog")
    await log_status(station, "Uploading", first["requestId"])
    second = await csms_get_log(station, sut, "DiagnosticsLog", answer="AcceptedCanceled")
    await log_status(station, "AcceptedCanceled", first["requestId"])
    await log_status(station, "Uploading", second["requestId"])
    await log_status(station, "Uploaded", second["requestId"])


async def _csms_customer_information(
    station: StationPeer,
    sut: SutActions,
    profile: SutProfile,
    *,
    report: bool,
    clear: bool,
    answer: str = "Accepted",
    data: str | None = None,
) -> None:
    """The operator has the CSMS ask for (``report``) and/or clear (``clear``) the configured
    valid idToken's data (action ``customer_information``); the harness answers ``answer``
    (step 2) and checks the request's report, clear and idToken (step 1, the tool validations:
    N09.FR.01, N09.FR.04/N10.FR.08: only the idToken names the customer, errata 2025-04 of
    TC_N_62); if ``data`` is given, it sends one NotifyCustomerInformation with it for the
    request, which the CSMS answers (steps 3-4)."""
    tokens = profile.sut.tokens
    station.hold("CustomerInformation")
    await sut.customer_information(
        report=report, clear=clear, id_token=tokens.valid, token_type=tokens.type
    )
    request = await station.expect(
        "CustomerInformation", req="N09: the CSMS sends CustomerInformationRequest"
    )
    await request.reply(status=answer)
    frames = station.trace.render(last=6)
    require_fields(
        request.payload,
        report=report,
        req="N09.FR.01: report true" if report else "N10: report false",
        frames=frames,
    )
    if clear:
        require_fields(request.payload, clear=True, req="N10: clear true", frames=frames)
    token = request.get("idToken") or {}
    others = [k for k in ("customerIdentifier", "customerCertificate") if k in request.payload]
    require(
        token.get("idToken") == tokens.valid and token.get("type") == tokens.type and not others,
        req="N09.FR.04/N10.FR.08: the customer is named by the configured idToken",
        expected=f"idToken {tokens.valid!r} of type {tokens.type!r}, nothing else",
        actual=f"idToken {token!r}" + (f", also {', '.join(others)}" if others else ""),
        frames=frames,
    )
    if data is None:
        return
    result = await station.call(
        "NotifyCustomerInformation",
        data=data,
        tbc=False,
        seq_no=0,
        generated_at=now_iso(),
        request_id=request["requestId"],
    )
    result.must(req="N09/N10: NotifyCustomerInformation answered")


#: What the harness station reports: some data, or none found.
SOME_DATA = "idToken seen in 3 transactions; last 2026-01-01T00:00:00Z"
NO_DATA = "No customer data found"
_CUSTOMER_FAULTS = (
    "csms-customer-info-no-report",
    "csms-customer-info-no-token",
    "csms-notify-customer-refused",
)


@oca(
    "TC_N_27_CSMS",
    "Get Customer Information - Accepted + data",
    profile="core",
    versions=V2,
    kills=_CUSTOMER_FAULTS,
)
async def test_csms_get_customer_information_data(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_N_27_CSMS (N09): CustomerInformationRequest with report true and the configured
    valid idToken (step 1; N09.FR.01/04), answered Accepted (step 2); a NotifyCustomerInformation
    with data (step 3) is answered (step 4)."""
    await _csms_customer_information(
        station, sut, sut_profile, report=True, clear=False, data=SOME_DATA
    )


@oca(
    "TC_N_28_CSMS",
    "Get Customer Information - Accepted + no data",
    profile="core",
    versions=V2,
    kills=_CUSTOMER_FAULTS,
)
async def test_csms_get_customer_information_no_data(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_N_28_CSMS (N09): as TC_N_27_CSMS, the NotifyCustomerInformation saying no data was
    found (steps 1-4; N09.FR.01/04)."""
    await _csms_customer_information(
        station, sut, sut_profile, report=True, clear=False, data=NO_DATA
    )


@oca(
    "TC_N_29_CSMS",
    "Get Customer Information - Not Accepted",
    profile="core",
    versions=V2,
    kills=("csms-customer-info-no-report", "csms-customer-info-no-token"),
)
async def test_csms_get_customer_information_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_N_29_CSMS (N09): CustomerInformationRequest with report true and the configured
    valid idToken (step 1; N09.FR.01/04), answered Rejected (step 2). Beyond the OCA: the
    connection stays usable (a Heartbeat is answered)."""
    await _csms_customer_information(
        station, sut, sut_profile, report=True, clear=False, answer="Rejected"
    )
    (await station.call("Heartbeat")).must(req="N09: the CSMS takes the Rejected in its stride")


@oca(
    "TC_N_30_CSMS",
    "Clear Customer Information - Clear and report + data",
    profile="core",
    versions=V2,
    kills=(*_CUSTOMER_FAULTS, "csms-customer-info-no-clear"),
)
async def test_csms_clear_customer_information_data(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_N_30_CSMS (N10): CustomerInformationRequest with report true, clear true and the
    configured valid idToken (step 1; N10.FR.08), answered Accepted (step 2); a
    NotifyCustomerInformation with the cleared data (step 3) is answered (step 4)."""
    await _csms_customer_information(
        station, sut, sut_profile, report=True, clear=True, data=SOME_DATA
    )


@oca(
    "TC_N_31_CSMS",
    "Clear Customer Information - Clear and report + no data",
    profile="core",
    versions=V2,
    kills=(*_CUSTOMER_FAULTS, "csms-customer-info-no-clear"),
)
async def test_csms_clear_customer_information_no_data(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_N_31_CSMS (N10): as TC_N_30_CSMS, the NotifyCustomerInformation saying no data was
    found (steps 1-4; N10.FR.08)."""
    await _csms_customer_information(
        station, sut, sut_profile, report=True, clear=True, data=NO_DATA
    )


@oca(
    "TC_N_32_CSMS",
    "Clear Customer Information - Clear and no report",
    profile="core",
    versions=V2,
    kills=(
        "csms-customer-info-no-clear",
        "csms-customer-info-no-token",
        "csms-notify-customer-refused",
    ),
)
async def test_csms_clear_customer_information_no_report(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_N_32_CSMS (N10): CustomerInformationRequest with report false, clear true and the
    configured valid idToken (step 1; N10.FR.08), answered Accepted (step 2); a
    NotifyCustomerInformation saying the data was cleared (step 3) is answered (step 4)."""
    await _csms_customer_information(
        station, sut, sut_profile, report=False, clear=True, data="Customer data cleared"
    )


@oca(
    "TC_N_62_CSMS",
    "Clear Customer Information - Clear and report - customerIdentifier",
    profile="core",
    versions=V2,
    kills=("csms-customer-identifier-with-token", "csms-notify-customer-refused"),
    condition="C-14",
)
async def test_csms_clear_customer_by_identifier(station: StationPeer, sut: SutActions) -> None:
    """TC_N_62_CSMS (N10, errata 2025-04), for a CSMS that handles customerIdentifier (C-14):
    the CSMS sends CustomerInformationRequest with report true, clear true and customerIdentifier
    "OpenChargeAlliance", idToken and customerCertificate omitted (step 1, the tool validations;
    N10.FR.08), answered Accepted (step 2); a NotifyCustomerInformation with the cleared data
    (step 3) is answered (step 4)."""
    station.hold("CustomerInformation")
    await sut.customer_information_by_identifier(OCA_CUSTOMER, report=True, clear=True)
    request = await station.expect(
        "CustomerInformation", req="N10: the CSMS sends CustomerInformationRequest"
    )
    await request.reply(status="Accepted")
    frames = station.trace.render(last=6)
    require_fields(request.payload, report=True, req="N09.FR.01: report true", frames=frames)
    require_fields(request.payload, clear=True, req="N10: clear true", frames=frames)
    others = [k for k in ("idToken", "customerCertificate") if k in request.payload]
    require(
        request.get("customerIdentifier") == OCA_CUSTOMER and not others,
        req="N10.FR.08: only the customerIdentifier names the customer",
        expected=f"customerIdentifier {OCA_CUSTOMER!r}, idToken and customerCertificate omitted",
        actual=f"customerIdentifier {request.get('customerIdentifier')!r}"
        + (f", also {', '.join(others)}" if others else ""),
        frames=frames,
    )
    result = await station.call(
        "NotifyCustomerInformation",
        data=f"customer {OCA_CUSTOMER}: 2 transactions, cleared",
        tbc=False,
        seq_no=0,
        generated_at=now_iso(),
        request_id=request["requestId"],
    )
    result.must(req="N09/N10: NotifyCustomerInformation answered")
