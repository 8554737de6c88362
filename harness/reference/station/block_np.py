"""OCA blocks N (diagnostics) and P (data transfer) of the reference station, OCPP 2.0.1/2.1.

* GetLog (N01): DiagnosticsLog and SecurityLog are Accepted with a file name (N01.FR.01) and
  uploaded by HTTP PUT to the remote location (a location ending in ``/`` gets the file name
  appended), announced by LogStatusNotification Uploading (N01.FR.08, again on each retry: the
  MAY of N01.FR.10) and closed by Uploaded (N01.FR.09) or, once the ``retries`` after the first
  attempt have failed ``retryInterval`` s apart, UploadFailure (N01.FR.10), every one with the
  GetLog's requestId (N01.FR.07). Another log type is Rejected (N01.FR.05). A GetLog while an
  upload runs cancels it: AcceptedCanceled, then LogStatusNotification AcceptedCanceled for the
  old requestId (N01.FR.12/20).
* CustomerInformation (N09/N10): the customer data the station keeps is its authorization cache
  (tokens the CSMS accepted). Exactly one of idToken, customerCertificate and customerIdentifier
  (else Invalid: N09.FR.09); report and clear both false is Rejected (N09.FR.07/N10.FR.07).
  A customerIdentifier names data the operator stored (C-14, ``store_customer_identifier``).
  Accepted, then one NotifyCustomerInformation with the same requestId: what is stored (empty
  data when nothing is), or that the data was cleared (N09.FR.05/06, N10.FR.03/04/06).
* customData (TC_P_03): accepted on every request like any other extension (it is in every
  schema); the fault ``station-refuses-custom-data`` refuses a SetVariables that carries it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.fileserver import TransferError, transfer
from harness.ocppj.errors import ErrorKind
from harness.reference.station.model import CallRefused, Outgoing, Payload, Reply, now_iso

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

LOG_TYPES = frozenset({"DiagnosticsLog", "SecurityLog"})
#: How long one upload attempt may take (s).
UPLOAD_TIMEOUT_S = 5.0
_IDENTIFIERS = ("idToken", "customerCertificate", "customerIdentifier")


class BlockNP:
    """GetLog, CustomerInformation and the customData fault of the reference station."""

    def __init__(self, station: ReferenceStation) -> None:
        self.st = station
        #: The running upload: (requestId, task).
        self.upload: tuple[int, asyncio.Task[None]] | None = None

    def handlers(
        self, current: dict[str, Callable[[Payload], Reply]]
    ) -> dict[str, Callable[[Payload], Reply]]:
        """The handlers this block adds to (or wraps in) ``current``."""
        set_variables = current["SetVariables"]

        def checked_set_variables(p: Payload) -> Reply:
            if "customData" in p and "station-refuses-custom-data" in self.st.faults:
                raise CallRefused(ErrorKind.FORMAT_VIOLATION, "customData is not understood")
            return set_variables(p)

        return {
            "GetLog": self.get_log,
            "CustomerInformation": self.customer_information,
            "SetVariables": checked_set_variables,
        }

    # -- N01 GetLog ---------------------------------------------------------------------------
    def log_status(self) -> Payload:
        """The LogStatusNotification a TriggerMessage asks for (F06, N01.FR.13): Uploading with
        the running upload's requestId, else Idle (no requestId)."""
        upload = self.upload
        if upload is not None and not upload[1].done():
            return {"status": "Uploading", "requestId": upload[0]}
        return {"status": "Idle"}

    def _status(self, status: str, request_id: int) -> None:
        if "getlog-wrong-requestid-16" in self.st.faults:  # 1.6 SEC N01.FR.07 broken
            request_id += 1
        payload: Payload = {"status": status, "requestId": request_id}
        self.st.send(Outgoing.fixed("LogStatusNotification", payload, pre_boot=True))

    def get_log(self, p: Payload) -> Reply:
        log_type, request_id = p["logType"], p["requestId"]
        if log_type not in LOG_TYPES or "getlog-rejected" in self.st.faults:
            return Reply({"status": "Rejected"})
        filename = f"{log_type}-{self.st.identity}-{request_id}.log"
        status = "Accepted"
        canceled: int | None = None
        upload = self.upload
        if upload is not None and not upload[1].done() and "getlog-no-cancel" not in self.st.faults:
            canceled = upload[0]
            upload[1].cancel()
            self.upload = None
            status = "AcceptedCanceled"
        location = str(p["log"]["remoteLocation"])
        url = location + filename if location.endswith("/") else location
        retries, interval = int(p.get("retries", 0)), float(p.get("retryInterval", 0))
        content = f"{log_type} of {self.st.identity} at {now_iso()}\n".encode()

        def go() -> None:
            if canceled is not None and "getlog-no-cancel-status" not in self.st.faults:
                self._status("AcceptedCanceled", canceled)
            task = self.st.spawn(self._run(request_id, url, filename, content, retries, interval))
            self.upload = (request_id, task)

        answer: Payload = {"status": status}
        if "getlog-no-filename" not in self.st.faults:
            answer["filename"] = filename
        return Reply(answer, then=go)

    async def _run(
        self, request_id: int, url: str, filename: str, body: bytes, retries: int, interval: float
    ) -> None:
        faults = self.st.faults
        for attempt in range(retries + 1):
            if "getlog-no-uploading" not in faults:
                self._status("Uploading", request_id)
            try:
                await transfer(
                    url, method="PUT", body=body, filename=filename, timeout_s=UPLOAD_TIMEOUT_S
                )
            except TransferError:
                if attempt < retries and "getlog-no-retry" not in faults:
                    await asyncio.sleep(interval)
                    continue
                self._status("UploadFailure", request_id)
                return
            self._status(
                "UploadFailure" if "getlog-upload-unreported" in faults else "Uploaded", request_id
            )
            return

    # -- N09/N10 CustomerInformation ----------------------------------------------------------
    def customer_information(self, p: Payload) -> Reply:
        given = [key for key in _IDENTIFIERS if key in p]
        if len(given) != 1:
            return Reply({"status": "Invalid"})
        if not p["report"] and not p["clear"]:
            return Reply({"status": "Rejected"})
        if "customer-info-rejected" in self.st.faults:
            return Reply({"status": "Rejected"})
        data = self._customer_data(p, given[0])
        notify: Payload = {
            "data": data[:512],
            "tbc": False,
            "seqNo": 0,
            "generatedAt": now_iso(),
            "requestId": p["requestId"],
        }

        def go() -> None:
            if "customer-info-no-notify" not in self.st.faults:
                self.st.send(Outgoing.fixed("NotifyCustomerInformation", notify, pre_boot=True))

        return Reply({"status": "Accepted"}, then=go)

    def _customer_data(self, p: Payload, given: str) -> str:
        """What the station keeps of the customer ``p`` names, cleared if asked (N10.FR.03/06):
        an idToken's entry in the authorization cache, a customerIdentifier's stored data
        (C-14); the report text, empty when nothing is kept (TC_N_62_CS step 7)."""
        if given == "idToken":
            token = str(p["idToken"]["idToken"])
            stored = (
                f"idToken {token}: in the authorization cache"
                if token in self.st.auth_cache
                else ""
            )
            if p["clear"]:
                self.st.auth_cache.discard(token)
            who = f"idToken {token}"
        elif given == "customerIdentifier":
            ident = str(p["customerIdentifier"])
            stored = self.st.customers.get(ident, "")
            if p["clear"] and "customer-info-identifier-kept" not in self.st.faults:
                self.st.customers.pop(ident, None)
            who = f"customer {ident}"
        else:
            stored, who = "", "the certificate's customer"
        if not p["report"]:
            return f"Data of {who} cleared"
        return stored + (" (cleared)" if p["clear"] and stored else "")
