"""OCA block H (Reservation) of the 2.0.1/2.1 reference CSMS: the ReserveNow (H01) and
CancelReservation (H02) its operator has it send, and the ReservationStatusUpdate (H04) it
answers. 1.6 has its own in :mod:`~harness.reference.csms.v16_commands`.

* ReserveNow: a new id per reservation, the operator's EVSE (``evse_id`` 0: none, any EVSE,
  H01 S1) or connector type (H01 S3: its connectorType, no evseId), the idToken with the
  groupIdToken the CSMS holds for it (H03.FR.04-06), an expiryDateTime the operator's seconds
  from now.
* CancelReservation: the reservationId the operator chose (H02).

Seeded faults (:mod:`harness.reference.csms_faults_h`): ``csms-reserve-wrong-evse``,
``csms-reserve-any-names-evse``, ``csms-reserve-no-group``, ``csms-reserve-type-dropped``,
``csms-reserve-expired``, ``csms-cancel-wrong-reservation``, ``csms-reservation-update-refused``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.reference.csms.block_np import refused_under
from harness.reference.csms.handlers_common import Handler, acknowledge, rfc3339

_reservation_ids = itertools.count(1)


def reserve_now(
    faults: frozenset[str],
    evse_id: int,
    id_token: str,
    group: str | None,
    expiry_in_s: int,
    connector_type: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """H01 ReserveNowRequest for ``evse_id`` (0: any EVSE) and ``id_token``; with
    ``connector_type`` (H01 S3) that connectorType and no evseId."""
    if "csms-reserve-wrong-evse" in faults and evse_id:
        evse_id += 1
    if "csms-reserve-any-names-evse" in faults and not evse_id:
        evse_id = 1
    seconds = 0 if "csms-reserve-expired" in faults else expiry_in_s
    payload: dict[str, Any] = {
        "id": next(_reservation_ids),
        "expiryDateTime": rfc3339(datetime.now(UTC) + timedelta(seconds=seconds)),
        "idToken": {"idToken": id_token, "type": "ISO14443"},
    }
    if connector_type is not None:
        evse_id = 0
        if "csms-reserve-type-dropped" not in faults:
            payload["connectorType"] = connector_type
    if evse_id:
        payload["evseId"] = evse_id
    if group and "csms-reserve-no-group" not in faults:
        payload["groupIdToken"] = {"idToken": group, "type": "Central"}
    return "ReserveNow", payload


def cancel_reservation(faults: frozenset[str], reservation_id: int) -> tuple[str, dict[str, Any]]:
    """H02 CancelReservationRequest for the operator's ``reservation_id``."""
    if "csms-cancel-wrong-reservation" in faults:
        reservation_id += 1
    return "CancelReservation", {"reservationId": reservation_id}


HANDLERS: dict[str, Handler] = {
    # H04.FR.01 / H01.FR.16-17: the CSMS confirms a reservation's end
    "ReservationStatusUpdate": refused_under("csms-reservation-update-refused", acknowledge),
}
