"""Schema fuzzing: property-based OCPP payloads sent to the SUT (robustness cases RB_FUZZ_*).

* :mod:`~harness.fuzz.strategies` — valid payloads from the official schemas;
* :mod:`~harness.fuzz.mutations` — near-valid payloads: a valid one with exactly one schema
  violation (a required field dropped, a wrong type, an unknown property, a value outside its
  enumeration or limits);
* :mod:`~harness.fuzz.engine` — runs hypothesis (deterministic by seed, shrinking the failure to a
  minimal payload) against an asynchronous probe on the harness's event loop;
* :mod:`~harness.fuzz.targets` — which actions a SUT must accept, and the verdict on its answers.
"""
