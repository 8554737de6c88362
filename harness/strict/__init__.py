"""Stricter-than-schema checks: what the official schemas and the OCA test tool let through.

The OCA JSON schemas type most primitives as plain ``string``/``number``/``integer`` and the test
tool does not check their formats either (oca-catalogue.md, complaint 2), so schema-valid but wrong
data passes. These checks report it as warnings on the spec axis (:class:`~harness.verdicts.Axis`);
they never change a verdict. Rules, per OCPP version:

* **date-time** (every ``format: date-time`` field): RFC 3339 §5.6 with ``T``, seconds and an
  explicit ``Z`` or ``±hh:mm`` offset; a real calendar date, hours 00-23 (no ``24:00``); in 2.x
  at most 3 fractional digits (2.0.1 Part 2 §2.1.4 dateTime). 2.1 tariff fields: ``hh:mm`` times
  of day and ``YYYY-MM-DD`` dates.
* **identifiers**: 2.x ``identifierString`` fields (``idToken``, ``additionalIdToken``,
  ``transactionId``) use only ``a-z A-Z 0-9 * - _ = : + | @ .`` (Part 2 §2.1.4); an empty
  ``transactionId``, or an empty ``idToken`` not of type NoAuthorization, identifies nothing. 1.6
  ``idTag``/``parentIdTag`` (CiString20): no leading or trailing whitespace, no control characters.
* **decimals**: 1.6 fields the schema gives ``multipleOf: 0.1`` (charging limits) have at most one
  decimal place (1.6 §7: "accepts at most one digit fraction"); 2.x decimals sent towards the
  Charging Station have at most six (Part 2 §2.1.4 decimal); a 1.6 Raw ``SampledValue.value`` is
  a decimal number. 2.x integers are 32-bit signed (Part 2 §2.1.4 integer).
* **case**: a 2.x ``attributeValue`` that is ``True``/``FALSE``... rather than ``true``/``false``
  (Part 2 §2.1.4 boolean); a 1.6 configuration key that differs from a standard key (§9) only in
  case (keys are case-insensitive, but a CSMS comparing exactly will not recognise it). Enumeration
  fields need no such check: the schemas reject any other spelling outright.

Lengths the schemas bound (``maxLength``) are enforced by the schema validation itself.

Cost: each (version, action, direction, sender) schema is turned once into a *plan* holding only
the paths that carry a rule, and a payload walk visits only those paths.
"""

from harness.strict.plans import (
    MAX_FINDINGS,
    StrictChecker,
    StrictProblem,
    check_payload,
    plan_for,
)

__all__ = ["MAX_FINDINGS", "StrictChecker", "StrictProblem", "check_payload", "plan_for"]
