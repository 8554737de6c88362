"""The reference CSMS (OCPP 1.6J, 2.0.1, 2.1): the known-good backend for the CSMS test cases."""

from harness.reference.csms.commands import (
    CommandError,
    CommandFailed,
    CommandTimeout,
    StationNotConnected,
)
from harness.reference.csms.records import StationRecord, TransactionRecord
from harness.reference.csms.server import ReferenceCsms

__all__ = [
    "CommandError",
    "CommandFailed",
    "CommandTimeout",
    "ReferenceCsms",
    "StationNotConnected",
    "StationRecord",
    "TransactionRecord",
]
