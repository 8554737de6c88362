"""Reading profile files: a safe YAML loader without the YAML 1.1 surprises, and the file loaders.

``no``/``on`` stay strings, dates stay strings and a key given twice is an error.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from harness.config.errors import ProfileError
from harness.config.model import Claims, SutProfile
from harness.config.validate import claims_from_mapping, profile_from_mapping

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _ProfileLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (true/false only), no timestamps, no duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"found the key '{key_node.value}' twice",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


_ProfileLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ProfileLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read_yaml(path: Path) -> tuple[Any, str]:
    """Parse ``path``; return the document and the sha256 of its bytes."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(path, "", f"cannot read the file ({exc.strerror or exc})") from exc
    example = "name: My station / sut: {role: charging-station, ...} (one key: value per line)"
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_ProfileLoader)  # a SafeLoader
    except UnicodeDecodeError as exc:
        raise ProfileError(path, "", "the file is not UTF-8 text", example) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        if mark and "{{" in "".join(raw.decode("utf-8").splitlines()[mark.line : mark.line + 1]):
            example = 'quote a value holding {{placeholders}}: {url: "/evse/{{evse_id}}/plug"}'
        raise ProfileError(path, "", f"not valid YAML: {at}{exc.problem}", example) from exc
    except yaml.YAMLError as exc:
        raise ProfileError(path, "", f"not valid YAML: {exc}", example) from exc
    if data is None:
        raise ProfileError(path, "", "the file is empty", example)
    return data, hashlib.sha256(raw).hexdigest()


def load_profile(path: str | Path) -> SutProfile:
    """Read and validate the SUT profile at ``path``."""
    path = Path(path)
    data, digest = _read_yaml(path)
    return profile_from_mapping(data, path=path, sha256=digest)


def load_claims(path: str | Path) -> Claims:
    """Read a claims file: ``{claims: {...}}`` (so a whole profile works) or claims at top level."""
    path = Path(path)
    data, _ = _read_yaml(path)
    return claims_from_mapping(data, path=path)
