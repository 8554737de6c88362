"""The primitive rules of the stricter-than-schema checks (see :mod:`harness.strict`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

Rule = Callable[[Any], str | None]


# -- rules ------------------------------------------------------------------------------------
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?(?:[Zz]|[+-](\d\d):(\d\d))"
)
_IDENTIFIER = re.compile(r"[A-Za-z0-9*\-_=:+|@.]*")
TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_RAW_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INT32 = (-(2**31), 2**31 - 1)


@cache
def date_time(max_fraction: int | None) -> Rule:
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


def pattern(regex: re.Pattern[str], what: str) -> Rule:
    def rule(value: Any) -> str | None:
        if isinstance(value, str) and regex.fullmatch(value) is None:
            return what
        return None

    return rule


def identifier_string(value: Any) -> str | None:
    if not isinstance(value, str) or _IDENTIFIER.fullmatch(value):
        return None
    bad = sorted({c for c in value if not _IDENTIFIER.fullmatch(c)})
    return f"characters {''.join(bad)!r} are not allowed in an identifierString"


def not_empty(value: Any) -> str | None:
    return "empty identifier" if value == "" else None


def id_token_object(value: Any) -> str | None:
    if (
        isinstance(value, dict)
        and value.get("idToken") == ""
        and value.get("type") != "NoAuthorization"
    ):
        return f"empty idToken of type {value.get('type')!r} (only NoAuthorization may be empty)"
    return None


def trimmed_printable(value: Any) -> str | None:
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


def six_decimals(value: Any) -> str | None:
    places = _decimal_places(value)
    return (
        f"{places} decimal places (at most 6 towards the Charging Station)" if places > 6 else None
    )


def one_decimal(value: Any) -> str | None:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and abs(value * 10 - round(value * 10)) > 1e-6:
        return "more than one decimal place"
    return None


def int32(value: Any) -> str | None:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not _INT32[0] <= value <= _INT32[1]
    ):
        return "outside the 32-bit signed integer range"
    return None


def raw_sampled_value(value: Any) -> str | None:
    if not isinstance(value, dict) or value.get("format", "Raw") != "Raw":
        return None
    raw = value.get("value")
    if isinstance(raw, str) and _RAW_DECIMAL.fullmatch(raw) is None:
        return f"value {raw!r} of a Raw sampled value is not a decimal number"
    return None


def boolean_case(value: Any) -> str | None:
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


def v16_key_case(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    standard = _V16_KEYS.get(value.lower())
    if standard is not None and standard != value:
        return f"differs only in case from the standard key {standard!r}"
    return None
