"""OCPP 2.0.1/2.1 device model of the reference station: components, variables and their access.

Implements GetVariables (B06), SetVariables (B05), GetBaseReport (B07) and GetReport (B08) over a
fixed set of controller components (OCPPCommCtrlr, TxCtrlr, AuthCtrlr, SampledDataCtrlr,
AlignedDataCtrlr, DeviceDataCtrlr, SecurityCtrlr, ClockCtrlr) and the physical ChargingStation,
EVSE and Connector components (Part 2, Appendices "Referenced Components and Variables").

Result statuses (B06.FR.01: one result per requested item, in order): Accepted with the value
(B06.FR.10); UnknownComponent / UnknownVariable; NotSupportedAttributeType for attribute types other
than Actual; Rejected for a read-only variable or a value of the wrong type. A result without a
requested attributeType carries Actual (B06.FR.11). Seeded faults: ``getvariables-rejects-known``,
``getvariables-reads-boot-value`` (GetVariables answers the value a variable had when the
station started, not the one set since), ``config-change-not-applied`` and
``config-change-rejected`` (every SetVariables Rejected); block B's (:mod:`harness.reference.faults_b`):
``dm-unknown-component-as-variable``, ``dm-unknown-variable-rejected``,
``dm-attribute-type-ignored``, ``dm-read-only-set-accepted``, ``dm-badly-formatted-accepted``,
``dm-first-item-only``, ``report-configuration-as-full``,
``report-configuration-with-read-only`` and ``report-never-sent``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Payload = dict[str, Any]

_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


@dataclass(eq=False, slots=True)
class Variable:
    """One variable of one component (all attributes are the Actual one)."""

    component: str
    name: str
    data_type: str
    value: str = ""
    mutability: str = "ReadWrite"
    instance: str | None = None
    evse: int | None = None
    connector: int | None = None
    values_list: str | None = None
    minimum: int | None = None
    non_empty: bool = False
    unit: str | None = None
    getter: Callable[[], str] | None = None
    setter: Callable[[str], None] | None = None
    #: A check beyond the data type (A05.FR.02/03: NetworkConfigurationPriority); False: Rejected.
    accepts: Callable[[str], bool] | None = None

    def current(self) -> str:
        return self.getter() if self.getter is not None else self.value

    def component_json(self) -> Payload:
        out: Payload = {"name": self.component}
        if self.evse is not None:
            evse: Payload = {"id": self.evse}
            if self.connector is not None:
                evse["connectorId"] = self.connector
            out["evse"] = evse
        return out

    def variable_json(self) -> Payload:
        out: Payload = {"name": self.name}
        if self.instance is not None:
            out["instance"] = self.instance
        return out

    def normalise(self, value: str) -> str | None:
        """``value`` as it would be stored, or None if this variable cannot take it."""
        text = value.strip()
        dt = self.data_type
        if dt == "integer":
            ok = bool(_INTEGER.fullmatch(text)) and (
                self.minimum is None or int(text) >= self.minimum
            )
            return str(int(text)) if ok else None
        if dt == "decimal":
            return text if _DECIMAL.fullmatch(text) else None
        if dt == "boolean":
            return text.lower() if text.lower() in ("true", "false") else None
        if dt == "dateTime":
            try:
                datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            return text
        allowed = self.values_list.split(",") if self.values_list else None
        if dt == "OptionList":
            return text if allowed is None or text in allowed else None
        if dt in ("MemberList", "SequenceList"):
            items = [item.strip() for item in text.split(",") if item.strip()]
            if (self.non_empty and not items) or (
                allowed is not None and any(i not in allowed for i in items)
            ):
                return None
            return ",".join(items)
        return value

    def report(self) -> Payload:
        """This variable as ReportDataType (B07/B08)."""
        attribute: Payload = {
            "type": "Actual",
            "mutability": self.mutability,
            "persistent": True,
            "constant": False,
        }
        if self.mutability != "WriteOnly":
            attribute["value"] = self.current()
        characteristics: Payload = {"dataType": self.data_type, "supportsMonitoring": False}
        if self.values_list:
            characteristics["valuesList"] = self.values_list
        if self.unit:
            characteristics["unit"] = self.unit
        return {
            "component": self.component_json(),
            "variable": self.variable_json(),
            "variableAttribute": [attribute],
            "variableCharacteristics": characteristics,
        }


def _component_key(component: Payload) -> tuple[str, str | None, int | None, int | None]:
    evse = component.get("evse") or {}
    return (
        component.get("name", ""),
        component.get("instance"),
        evse.get("id"),
        evse.get("connectorId"),
    )


class DeviceModel:
    """The variables, addressed as OCPP addresses them (component, evse, variable, instance)."""

    def __init__(self, variables: Iterable[Variable], faults: frozenset[str]) -> None:
        self.faults = faults
        self.variables = list(variables)
        self._by_key = {
            (v.component, None, v.evse, v.connector, v.name, v.instance): v for v in self.variables
        }
        self._components = {(v.component, None, v.evse, v.connector) for v in self.variables}
        #: What GetVariables answers under ``getvariables-reads-boot-value`` (a stale read cache).
        self._boot_values = (
            {id(v): v.value for v in self.variables}
            if "getvariables-reads-boot-value" in faults
            else {}
        )

    def find(self, component: Payload, variable: Payload) -> Variable | str:
        """The variable addressed, or "UnknownComponent" / "UnknownVariable"."""
        comp = _component_key(component)
        if comp not in self._components:
            if "dm-unknown-component-as-variable" in self.faults:
                return "UnknownVariable"
            return "UnknownComponent"
        found = self._by_key.get((*comp, variable.get("name", ""), variable.get("instance")))
        if found is None and "dm-unknown-variable-rejected" in self.faults:
            return "Rejected"
        return found if found is not None else "UnknownVariable"

    def _supported(self, attribute: str) -> bool:
        """Only the Actual attribute exists (B05.FR.06, B06.FR.08)."""
        return attribute == "Actual" or "dm-attribute-type-ignored" in self.faults

    def value(self, component: str, name: str, instance: str | None = None) -> str:
        return self._by_key[(component, None, None, None, name, instance)].current()

    def get_int(self, component: str, name: str, instance: str | None = None) -> int:
        return int(self.value(component, name, instance))

    def get_bool(self, component: str, name: str) -> bool:
        return self.value(component, name) == "true"

    def get_set(self, component: str, name: str) -> frozenset[str]:
        return frozenset(i for i in self.value(component, name).split(",") if i)

    # -- GetVariables / SetVariables -------------------------------------------------------------
    def get_variables(self, data: list[Payload]) -> list[Payload]:
        if "dm-first-item-only" in self.faults:
            data = data[:1]
        return [self._get_one(item) for item in data]

    def _get_one(self, item: Payload) -> Payload:
        attribute = item.get("attributeType", "Actual")
        result: Payload = {
            "attributeType": attribute,
            "component": item["component"],
            "variable": item["variable"],
        }
        found = self.find(item["component"], item["variable"])
        if isinstance(found, str):
            result["attributeStatus"] = found
        elif "getvariables-rejects-known" in self.faults:
            result["attributeStatus"] = "UnknownVariable"
        elif not self._supported(attribute):
            result["attributeStatus"] = "NotSupportedAttributeType"
        elif found.mutability == "WriteOnly":
            result["attributeStatus"] = "Rejected"
        else:
            result["attributeStatus"] = "Accepted"
            result["attributeValue"] = found.current()
            if "getvariables-reads-boot-value" in self.faults:
                result["attributeValue"] = self._boot_values.get(id(found), found.current())
        return result

    def set_variables(self, data: list[Payload]) -> list[Payload]:
        if "dm-first-item-only" in self.faults:
            data = data[:1]
        return [self._set_one(item) for item in data]

    def _set_one(self, item: Payload) -> Payload:
        attribute = item.get("attributeType", "Actual")
        result: Payload = {
            "attributeType": attribute,
            "component": item["component"],
            "variable": item["variable"],
        }
        found = self.find(item["component"], item["variable"])
        if isinstance(found, str):
            result["attributeStatus"] = found
            return result
        if not self._supported(attribute):
            result["attributeStatus"] = "NotSupportedAttributeType"
            return result
        value = found.normalise(str(item.get("attributeValue", "")))
        if value is not None and found.accepts is not None and not found.accepts(value):
            value = None
        if (value is None and "dm-badly-formatted-accepted" in self.faults) or (
            found.mutability == "ReadOnly" and "dm-read-only-set-accepted" in self.faults
        ):
            result["attributeStatus"] = "Accepted"  # the seeded fault: nothing is stored
            return result
        if (
            found.mutability == "ReadOnly"
            or value is None
            or "config-change-rejected" in self.faults
        ):
            result["attributeStatus"] = "Rejected"
            return result
        if "config-change-not-applied" not in self.faults:
            if found.setter is not None:
                found.setter(value)
            else:
                found.value = value
        result["attributeStatus"] = "Accepted"
        return result

    # -- reports --------------------------------------------------------------------------------
    def base_report(self, base: str) -> list[Payload]:
        """B07: FullInventory, ConfigurationInventory (writable variables) or SummaryInventory
        (the availability of the ChargingStation, EVSE and Connector components)."""
        if "report-never-sent" in self.faults:
            return []  # no part, so no NotifyReport
        if (
            base == "ConfigurationInventory"
            and "report-configuration-with-read-only" in self.faults
        ):
            chosen = self.variables
        elif base == "ConfigurationInventory":
            chosen = [v for v in self.variables if v.mutability != "ReadOnly"]
        elif base == "SummaryInventory":
            chosen = [v for v in self.variables if v.name == "AvailabilityState"]
        elif "report-configuration-as-full" in self.faults:
            chosen = [v for v in self.variables if v.mutability != "ReadOnly"]
        else:
            chosen = self.variables
        return [v.report() for v in chosen]

    def custom_report(
        self, component_variables: list[Payload] | None, criteria: list[str] | None
    ) -> list[Payload]:
        """B08: the variables matching ``componentVariable`` and ``componentCriteria``."""
        chosen = self.variables
        if component_variables:
            chosen = [v for v in chosen if any(_matches(v, cv) for cv in component_variables)]
        if criteria:
            keep = {
                (v.component, v.evse, v.connector)
                for v in self.variables
                if v.name in criteria and v.current() == "true"
            }
            chosen = [v for v in chosen if (v.component, v.evse, v.connector) in keep]
        return [v.report() for v in chosen]


def _matches(var: Variable, wanted: Payload) -> bool:
    component = wanted.get("component", {})
    if component.get("name") != var.component or component.get("instance") is not None:
        return False
    evse = component.get("evse")
    if evse is not None and (
        evse.get("id") != var.evse
        or ("connectorId" in evse and evse["connectorId"] != var.connector)
    ):
        return False
    variable = wanted.get("variable")
    if variable is None:
        return True
    return bool(variable.get("name") == var.name and variable.get("instance") == var.instance)
