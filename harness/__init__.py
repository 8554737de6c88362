"""ocpp-harness: OCPP conformance test harness (pytest plugin)."""

__version__ = "0.1.0"
