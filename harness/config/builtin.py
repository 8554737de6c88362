"""Built-in SUT profiles: the YAML files shipped in ``fixtures/sut`` and ``--ocpp-sut`` lookup.

The directory is the checkout's ``fixtures/sut`` or, in an installed wheel, its copy inside the
package (:mod:`harness.layout`; issue 8 item 6).
"""

from __future__ import annotations

from pathlib import Path

from harness.config.errors import ProfileError
from harness.layout import builtin_profile_dir

BUILTIN_PROFILE_DIR: Path = builtin_profile_dir()
DEFAULT_PROFILE = "reference-station-v201.yaml"


def builtin_profile_path(name: str) -> Path:
    """The built-in profile called ``name`` (with or without ``.yaml``) in ``fixtures/sut``."""
    stem = name.removesuffix(".yaml")
    candidate = BUILTIN_PROFILE_DIR / f"{stem}.yaml"
    if stem and "/" not in stem and "\\" not in stem and candidate.is_file():
        return candidate
    available = ", ".join(builtin_profile_names()) or "(none found)"
    raise ProfileError(
        None,
        "",
        f"no built-in SUT profile named '{name}' (built-ins: {available})",
        f"--ocpp-sut {Path(DEFAULT_PROFILE).stem}",
    )


def builtin_profile_names() -> tuple[str, ...]:
    """Names of the built-in profiles, without ``.yaml``."""
    return tuple(sorted(p.stem for p in BUILTIN_PROFILE_DIR.glob("*.yaml")))


def resolve_profile_path(value: str | None) -> Path:
    """A ``--ocpp-sut`` value as a file: None → the default built-in; a file; or a built-in name."""
    if value is None:
        return BUILTIN_PROFILE_DIR / DEFAULT_PROFILE
    path = Path(value).expanduser()
    if path.is_file():
        return path
    try:
        return builtin_profile_path(value)
    except ProfileError:
        names = ", ".join(builtin_profile_names())
        raise ProfileError(
            path,
            "",
            f"no such file (nor a built-in profile of that name; built-ins: {names})",
            "--ocpp-sut fixtures/sut/my-station.yaml",
        ) from None
