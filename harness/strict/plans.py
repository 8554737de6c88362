"""Plans of the stricter-than-schema checks: which rule applies where, per schema, and the
checker a peer runs on what it receives (see :mod:`harness.strict`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from harness.ocppj.frames import Call, CallResult
from harness.ocppj.schemas import Direction, schema_document
from harness.ocppj.session import Received
from harness.strict.rules import (
    FULL_DATE,
    TIME_OF_DAY,
    Rule,
    boolean_case,
    date_time,
    id_token_object,
    identifier_string,
    int32,
    not_empty,
    one_decimal,
    pattern,
    raw_sampled_value,
    six_decimals,
    trimmed_printable,
    v16_key_case,
)
from harness.verdicts import Axis, Finding

#: Distinct strict findings kept per test case; the rest are counted in one last finding.
MAX_FINDINGS = 20


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
            checks.append(_Check("OCPP 1.6 §7 charging rate: at most one decimal", one_decimal))
        elif not ctx.v16 and ctx.toward_station:
            checks.append(_Check(ctx.part2("decimal"), six_decimals))
    elif kind == "integer" and not ctx.v16:
        checks.append(_Check(ctx.part2("integer"), int32))
    elif kind == "object":
        props = node.get("properties", {})
        if ctx.v16 and "value" in props and "format" in props:
            checks.append(_Check("OCPP 1.6 §7 SampledValue.value (Raw)", raw_sampled_value))
        if not ctx.v16 and "idToken" in props and "type" in props:
            checks.append(_Check(ctx.part2("identifierString"), id_token_object))
    return checks


def _string_checks(ctx: _Context, node: dict[str, Any], name: str, owner: str) -> list[_Check]:
    checks: list[_Check] = []
    if node.get("format") == "date-time":
        requirement = (
            "OCPP 1.6 JSON schema format date-time (RFC 3339 §5.6)"
            if ctx.v16
            else ctx.part2("dateTime (RFC 3339, at most 3 fractional digits)")
        )
        checks.append(_Check(requirement, date_time(None if ctx.v16 else 3)))
    elif ctx.v16 and name in _V16_IDENTIFIERS:
        checks.append(_Check("OCPP 1.6 §7 IdToken (CiString20Type)", trimmed_printable))
    elif ctx.v16 and name in ("key", "unknownKey"):
        checks.append(_Check("OCPP 1.6 §9 standard configuration key names", v16_key_case))
    elif not ctx.v16 and name in _V2_IDENTIFIERS:
        checks.append(_Check(ctx.part2("identifierString"), identifier_string))
        if name == "transactionId":
            checks.append(_Check(ctx.part2("identifierString"), not_empty))
    elif not ctx.v16 and (
        name == "attributeValue" or (name == "value" and owner == "VariableAttributeType")
    ):
        checks.append(_Check(ctx.part2("boolean"), boolean_case))
    elif name in ("startTimeOfDay", "endTimeOfDay"):
        checks.append(
            _Check(
                f"OCPP {ctx.version} tariff time of day (hh:mm)",
                pattern(TIME_OF_DAY, "not hh:mm"),
            )
        )
    elif name in ("validFromDate", "validToDate"):
        checks.append(_Check(f"OCPP {ctx.version} tariff date (RFC 3339 full-date)", _date_only))
    return checks


def _date_only(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if FULL_DATE.fullmatch(value) is None:
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
