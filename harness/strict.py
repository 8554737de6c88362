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

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from harness.ocppj.frames import Call, CallResult
from harness.ocppj.schemas import Direction, schema_document
from harness.ocppj.session import Received
from harness.verdicts import Axis, Finding

#: Distinct strict findings kept per test case; the rest are counted in one last finding.
MAX_FINDINGS = 20

Rule = Callable[[Any], str | None]


@dataclass(frozen=True, slots=True)
class _Check:
    requirement: str
    rule: Rule


@dataclass(frozen=True, slots=True)
class _Plan:
    """The checks at one schema node and the sub-plans below it (only non-empty ones)."""

    checks: tuple[_Check, ...] = ()
    props: tuple[tuple[str, _Plan], ...] = ()
    items: _Plan | None = None

    @property
    def empty(self) -> bool:
        return not self.checks and not self.props and self.items is None


@dataclass(frozen=True, slots=True)
class StrictProblem:
    """One value that breaks a rule: where (``meterValue[0].timestamp``), which rule, why."""

    path: str
    requirement: str
    problem: str
    value: Any

    def describe(self, action: str, direction: Direction) -> str:
        shown = repr(self.value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        return f"{action} {direction.value} {self.path} = {shown}: {self.problem}"


# -- rules ------------------------------------------------------------------------------------
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?(?:[Zz]|[+-](\d\d):(\d\d))"
)
_IDENTIFIER = re.compile(r"[A-Za-z0-9*\-_=:+|@.]*")
_TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_RAW_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INT32 = (-(2**31), 2**31 - 1)


@cache
def _date_time(max_fraction: int | None) -> Rule:
    """One rule (and one bounded memo) per fraction limit, shared by every date-time field."""
    known: dict[str, str | None] = {}  # timestamps repeat within and across messages

    def rule(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if value in known:
            return known[value]
        if len(known) >= 512:
            known.clear()
        known[value] = problem = judge(value)
        return problem

    def judge(value: str) -> str | None:
        match = _RFC3339.fullmatch(value)
        if match is None:
            return "not an RFC 3339 date-time (date 'T' hh:mm:ss, then 'Z' or a ±hh:mm offset)"
        year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
        if hour > 23:
            return f"hour {hour} does not exist in RFC 3339 (midnight is 00:00 of the next day)"
        if minute > 59 or second > 60:
            return "minutes or seconds out of range"
        try:
            date(year, month, day)
        except ValueError:
            return "no such calendar date"
        if match.group(8) is not None and (int(match.group(8)) > 23 or int(match.group(9)) > 59):
            return "time zone offset out of range"
        fraction = match.group(7)
        if max_fraction is not None and fraction and len(fraction) - 1 > max_fraction:
            return f"{len(fraction) - 1} fractional digits (at most {max_fraction})"
        return None

    return rule


def _pattern(regex: re.Pattern[str], what: str) -> Rule:
    def rule(value: Any) -> str | None:
        if isinstance(value, str) and regex.fullmatch(value) is None:
            return what
        return None

    return rule


def _identifier_string(value: Any) -> str | None:
    if not isinstance(value, str) or _IDENTIFIER.fullmatch(value):
        return None
    bad = sorted({c for c in value if not _IDENTIFIER.fullmatch(c)})
    return f"characters {''.join(bad)!r} are not allowed in an identifierString"


def _not_empty(value: Any) -> str | None:
    return "empty identifier" if value == "" else None


def _id_token_object(value: Any) -> str | None:
    if (
        isinstance(value, dict)
        and value.get("idToken") == ""
        and value.get("type") != "NoAuthorization"
    ):
        return f"empty idToken of type {value.get('type')!r} (only NoAuthorization may be empty)"
    return None


def _trimmed_printable(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value != value.strip():
        return "leading or trailing whitespace in an identifier"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "control characters in an identifier"
    return None


def _decimal_places(value: Any) -> int:
    if not isinstance(value, float):
        return 0
    exponent = Decimal(repr(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _six_decimals(value: Any) -> str | None:
    places = _decimal_places(value)
    return (
        f"{places} decimal places (at most 6 towards the Charging Station)" if places > 6 else None
    )


def _one_decimal(value: Any) -> str | None:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and abs(value * 10 - round(value * 10)) > 1e-6:
        return "more than one decimal place"
    return None


def _int32(value: Any) -> str | None:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not _INT32[0] <= value <= _INT32[1]
    ):
        return "outside the 32-bit signed integer range"
    return None


def _raw_sampled_value(value: Any) -> str | None:
    if not isinstance(value, dict) or value.get("format", "Raw") != "Raw":
        return None
    raw = value.get("value")
    if isinstance(raw, str) and _RAW_DECIMAL.fullmatch(raw) is None:
        return f"value {raw!r} of a Raw sampled value is not a decimal number"
    return None


def _boolean_case(value: Any) -> str | None:
    if (
        isinstance(value, str)
        and value.lower() in ("true", "false")
        and value not in ("true", "false")
    ):
        return f"a boolean is spelled {value.lower()!r}, not {value!r}"
    return None


#: OCPP 1.6 §9 standard configuration keys (Core, Local Auth List, Reservation, Smart Charging,
#: Security whitepaper), by lower-case name.
_V16_KEY_NAMES = """
AllowOfflineTxForUnknownId AuthorizationCacheEnabled AuthorizeRemoteTxRequests BlinkRepeat
ClockAlignedDataInterval ConnectionTimeOut ConnectorPhaseRotation
ConnectorPhaseRotationMaxLength GetConfigurationMaxKeys HeartbeatInterval LightIntensity
LocalAuthorizeOffline LocalPreAuthorize MaxEnergyOnInvalidId MeterValuesAlignedData
MeterValuesAlignedDataMaxLength MeterValuesSampledData MeterValuesSampledDataMaxLength
MeterValueSampleInterval MinimumStatusDuration NumberOfConnectors ResetRetries
StopTransactionOnEVSideDisconnect StopTransactionOnInvalidId StopTxnAlignedData
StopTxnAlignedDataMaxLength StopTxnSampledData StopTxnSampledDataMaxLength
SupportedFeatureProfiles SupportedFeatureProfilesMaxLength TransactionMessageAttempts
TransactionMessageRetryInterval UnlockConnectorOnEVSideDisconnect WebSocketPingInterval
LocalAuthListEnabled LocalAuthListMaxLength SendLocalListMaxLength
ReserveConnectorZeroSupported ChargeProfileMaxStackLevel
ChargingScheduleAllowedChargingRateUnit ChargingScheduleMaxPeriods
ConnectorSwitch3to1PhaseSupported MaxChargingProfilesInstalled
AdditionalRootCertificateCheck AuthorizationKey CertificateSignedMaxChainSize
CertificateStoreMaxLength CpoName SecurityProfile
"""
_V16_KEYS = {name.lower(): name for name in _V16_KEY_NAMES.split()}


def _v16_key_case(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    standard = _V16_KEYS.get(value.lower())
    if standard is not None and standard != value:
        return f"differs only in case from the standard key {standard!r}"
    return None


# -- plans ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Context:
    version: str
    toward_station: bool

    @property
    def v16(self) -> bool:
        return self.version == "1.6"

    def part2(self, topic: str) -> str:
        return f"OCPP {self.version} Part 2 §2.1.4 {topic}"


_V2_IDENTIFIERS = frozenset({"idToken", "additionalIdToken", "transactionId"})
_V16_IDENTIFIERS = frozenset({"idTag", "parentIdTag"})


def _value_checks(ctx: _Context, node: dict[str, Any], name: str, owner: str) -> list[_Check]:
    kind = node.get("type")
    checks: list[_Check] = []
    if kind == "string" and "enum" not in node:
        checks += _string_checks(ctx, node, name, owner)
    elif kind == "number":
        if ctx.v16 and "multipleOf" in node:
            checks.append(_Check("OCPP 1.6 §7 charging rate: at most one decimal", _one_decimal))
        elif not ctx.v16 and ctx.toward_station:
            checks.append(_Check(ctx.part2("decimal"), _six_decimals))
    elif kind == "integer" and not ctx.v16:
        checks.append(_Check(ctx.part2("integer"), _int32))
    elif kind == "object":
        props = node.get("properties", {})
        if ctx.v16 and "value" in props and "format" in props:
            checks.append(_Check("OCPP 1.6 §7 SampledValue.value (Raw)", _raw_sampled_value))
        if not ctx.v16 and "idToken" in props and "type" in props:
            checks.append(_Check(ctx.part2("identifierString"), _id_token_object))
    return checks


def _string_checks(ctx: _Context, node: dict[str, Any], name: str, owner: str) -> list[_Check]:
    checks: list[_Check] = []
    if node.get("format") == "date-time":
        requirement = (
            "OCPP 1.6 JSON schema format date-time (RFC 3339 §5.6)"
            if ctx.v16
            else ctx.part2("dateTime (RFC 3339, at most 3 fractional digits)")
        )
        checks.append(_Check(requirement, _date_time(None if ctx.v16 else 3)))
    elif ctx.v16 and name in _V16_IDENTIFIERS:
        checks.append(_Check("OCPP 1.6 §7 IdToken (CiString20Type)", _trimmed_printable))
    elif ctx.v16 and name in ("key", "unknownKey"):
        checks.append(_Check("OCPP 1.6 §9 standard configuration key names", _v16_key_case))
    elif not ctx.v16 and name in _V2_IDENTIFIERS:
        checks.append(_Check(ctx.part2("identifierString"), _identifier_string))
        if name == "transactionId":
            checks.append(_Check(ctx.part2("identifierString"), _not_empty))
    elif not ctx.v16 and (
        name == "attributeValue" or (name == "value" and owner == "VariableAttributeType")
    ):
        checks.append(_Check(ctx.part2("boolean"), _boolean_case))
    elif name in ("startTimeOfDay", "endTimeOfDay"):
        checks.append(
            _Check(
                f"OCPP {ctx.version} tariff time of day (hh:mm)",
                _pattern(_TIME_OF_DAY, "not hh:mm"),
            )
        )
    elif name in ("validFromDate", "validToDate"):
        checks.append(_Check(f"OCPP {ctx.version} tariff date (RFC 3339 full-date)", _date_only))
    return checks


def _date_only(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if _FULL_DATE.fullmatch(value) is None:
        return "not YYYY-MM-DD"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "no such calendar date"
    return None


def _build(
    ctx: _Context,
    node: dict[str, Any],
    defs: dict[str, Any],
    name: str = "",
    owner: str = "",
    depth: int = 0,
) -> _Plan:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        owner = ref.rsplit("/", 1)[1]
        node = defs.get(owner, {})
    if depth > 24:  # the OCPP schemas are not recursive; this only guards against a bad file
        return _Plan()
    checks = tuple(_value_checks(ctx, node, name, owner))
    props = []
    for key, sub in node.get("properties", {}).items():
        plan = _build(ctx, sub, defs, key, owner, depth + 1)
        if not plan.empty:
            props.append((key, plan))
    items = None
    if isinstance(node.get("items"), dict):
        candidate = _build(ctx, node["items"], defs, name, owner, depth + 1)
        items = None if candidate.empty else candidate
    return _Plan(checks, tuple(props), items)


@cache
def plan_for(version: str, action: str, direction: Direction, toward_station: bool) -> _Plan | None:
    """The check plan of one message kind; None when nothing in it is checked."""
    schema = schema_document(version, action, direction)
    if schema is None:
        return None
    plan = _build(_Context(version, toward_station), schema, schema.get("definitions", {}))
    return None if plan.empty else plan


def _format_path(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(payload)"


Path = list[str | int]
Visitor = Callable[[Any, Path, list[StrictProblem]], None]


def _apply(checks: tuple[_Check, ...], value: Any, path: Path, out: list[StrictProblem]) -> None:
    for check in checks:
        problem = check.rule(value)
        if problem is not None:
            out.append(StrictProblem(_format_path(path), check.requirement, problem, value))


def _compile(plan: _Plan) -> Visitor:
    """A walker for ``plan``: properties that are plain values are checked in place (no call
    per leaf), so a payload costs one call per object or array that holds something to check."""
    checks = plan.checks
    leaves = tuple(
        (key, sub.checks) for key, sub in plan.props if not sub.props and sub.items is None
    )
    inner = tuple(
        (key, _compile(sub)) for key, sub in plan.props if sub.props or sub.items is not None
    )
    items = _compile(plan.items) if plan.items is not None else None

    def visit(value: Any, path: Path, out: list[StrictProblem]) -> None:
        if checks:
            _apply(checks, value, path, out)
        if type(value) is dict:
            for key, leaf_checks in leaves:
                if key in value:
                    leaf = value[key]
                    for check in leaf_checks:
                        if check.rule(leaf) is not None:
                            _apply((check,), leaf, [*path, key], out)
            for key, sub in inner:
                if key in value:
                    path.append(key)
                    sub(value[key], path, out)
                    path.pop()
        elif items is not None and type(value) is list:
            for index, item in enumerate(value):
                path.append(index)
                items(item, path, out)
                path.pop()

    return visit


@cache
def _visitor(
    version: str, action: str, direction: Direction, toward_station: bool
) -> Visitor | None:
    plan = plan_for(version, action, direction, toward_station)
    return None if plan is None else _compile(plan)


def check_payload(
    version: str,
    action: str,
    direction: Direction,
    payload: Any,
    *,
    toward_station: bool,
) -> list[StrictProblem]:
    """Every value of ``payload`` that breaks a strict rule (empty: nothing to report).

    ``toward_station``: the payload was sent by the CSMS (the 2.x decimal rule applies to it).
    """
    visit = _visitor(version, action, direction, toward_station)
    if visit is None:
        return []
    out: list[StrictProblem] = []
    visit(payload, [], out)
    return out


class StrictChecker:
    """Applies the strict rules to what one peer receives; one finding per rule and place per
    test case (indices folded: ``meterValue[].timestamp``), at most :data:`MAX_FINDINGS`."""

    def __init__(self, *, toward_station: bool) -> None:
        self.toward_station = toward_station
        self.enabled = True
        self._seen: set[tuple[str, str, str]] = set()
        self._suppressed = 0

    def reset(self) -> None:
        """Start a new test case."""
        self._seen.clear()
        self._suppressed = 0

    def inspect(self, version: str, event: Received) -> list[Finding]:
        """Findings for one schema-valid inbound CALL or CALLRESULT (others are not looked at)."""
        if not self.enabled or event.problem is not None:
            return []
        frame = event.frame
        if isinstance(frame, Call):
            action, direction = frame.action, Direction.REQUEST
        elif isinstance(frame, CallResult) and event.request is not None:
            action, direction = event.request.action, Direction.RESPONSE
        else:
            return []
        problems = check_payload(
            version, action, direction, frame.payload, toward_station=self.toward_station
        )
        findings: list[Finding] = []
        for problem in problems:
            key = (action, re.sub(r"\[\d+\]", "[]", problem.path), problem.requirement)
            if key in self._seen:
                continue
            if len(self._seen) >= MAX_FINDINGS:
                self._suppressed += 1
                if self._suppressed == 1:
                    findings.append(
                        Finding(
                            Axis.SPEC,
                            "strict checks",
                            f"more than {MAX_FINDINGS} strict-check findings: the rest are not listed",
                        )
                    )
                continue
            self._seen.add(key)
            findings.append(
                Finding(Axis.SPEC, problem.requirement, problem.describe(action, direction))
            )
        return findings
