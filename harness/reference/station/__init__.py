"""The reference charging station (OCPP 1.6J, 2.0.1, 2.1): the known-good SUT of the station test
cases, with named faults (``harness.reference.faults``) that each break one behaviour."""

from harness.reference.station.core import ReferenceStation

__all__ = ["ReferenceStation"]
