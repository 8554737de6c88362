"""Reading ``results.json`` back: validation against ``results.schema.json``, and schema 1 upgrade.

``ocpp-harness report`` and ``ocpp-harness diff`` read results files through :func:`load_results`,
which upgrades a schema-1 document (harness 0.1) to schema 2 by recomputing the claims
assessment from its cases, and rejects anything else with a message naming the file and the
first offending field.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from harness.report.claims import assess
from harness.report.results import SCHEMA

SCHEMA_V1 = "ocpp-harness/results/1"


class ResultsError(ValueError):
    """A results file that cannot be read, or does not follow the schema."""


@functools.cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``results.json``, shipped beside this module."""
    text = resources.files("harness.report").joinpath("results.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(document: Any, *, where: str = "results.json") -> None:
    """Raise :class:`ResultsError` (naming the field) unless ``document`` follows the schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ResultsError(f"{where}: {path}: {error.message}")


def validate_case(case: Any, *, where: str = "case") -> None:
    """Validate one ``cases[]`` record (the per-case ``cases/<id>-<version>.json`` file)."""
    import jsonschema

    schema = {"$ref": "#/$defs/case", "$defs": json_schema()["$defs"]}
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(case)
    )
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ResultsError(f"{where}: {path}: {error.message}")


def upgrade_v1(document: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 document as schema 2: defaults for new fields, claims assessed from its cases."""
    run = document["run"]
    sut = run["sut"]
    sut.setdefault("security_profile", 0)
    sut.setdefault("features", [])
    claims = run["claims"]
    claims.setdefault("source", {"kind": "profile", "file": None, "sha256": None})
    claims.setdefault("features", [])
    for case in document["cases"]:
        case.setdefault("requirement", None)
        case.setdefault("octt", "ok")
        case.setdefault("failing_frame", None)
        case.setdefault("trace_dropped", 0)
        case.setdefault("warnings", [])
        if not case.get("reason"):
            case["reason"] = f"{case['verdict']} (recorded by a harness without reason sentences)"
    assessment = assess(
        document["cases"], [], claims, role=sut["role"], version=sut["ocpp"], security_profile=None
    )
    out = {"schema": SCHEMA, "run": run, **{k: assessment[k] for k in _ASSESSED}}
    out.update(cases=document["cases"], not_run=[])
    return out


_ASSESSED = (
    "outcome",
    "discrepancies",
    "profiles",
    "versions",
    "security_profiles",
    "coverage",
)


def load_results(path: Path) -> dict[str, Any]:
    """Read, upgrade (schema 1) and validate a results file."""
    try:
        document: Any = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not a JSON results file ({exc})") from exc
    if not isinstance(document, dict):
        raise ResultsError(f"{path}: not an ocpp-harness results file (no JSON object)")
    kind = document.get("schema")
    if kind == SCHEMA_V1:
        document = upgrade_v1(document)
    elif kind != SCHEMA:
        raise ResultsError(
            f"{path}: schema {kind!r} is not an ocpp-harness results schema "
            f"(this version reads {SCHEMA} and {SCHEMA_V1})"
        )
    validate(document, where=str(path))
    checked: dict[str, Any] = document
    return checked
