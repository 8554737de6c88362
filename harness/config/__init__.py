"""SUT profile and claims: the user's one YAML file, read into typed and validated objects.

Every mistake in a profile raises :class:`ProfileError`, which names the file, the dotted key,
what is wrong and an example of a right value. The YAML reader drops the YAML 1.1 surprises:
``no``/``on`` stay strings, dates stay strings and a key given twice is an error. Secrets never
live in the file: ``password_env`` names the environment variable that holds the password
(DESIGN.md §4).

Modules: :mod:`~harness.config.model` (enums and frozen dataclasses),
:mod:`~harness.config.errors` (ProfileError), :mod:`~harness.config.yaml_reader` (YAML loader and
file loading), :mod:`~harness.config.fields` (checks of single values),
:mod:`~harness.config.validate` (mapping → objects) and :mod:`~harness.config.builtin` (built-in
profiles and ``--ocpp-sut`` lookup).
"""

from harness.config.builtin import (
    BUILTIN_PROFILE_DIR,
    DEFAULT_PROFILE,
    builtin_profile_names,
    builtin_profile_path,
    resolve_profile_path,
)
from harness.config.errors import ProfileError
from harness.config.model import (
    BUILTIN_SUTS,
    ActionsConfig,
    ActionsType,
    Claims,
    Evse,
    Limits,
    ListenAddress,
    OcppVersion,
    Profile,
    Role,
    StationInfo,
    SutConfig,
    SutProfile,
    Timeouts,
    Tokens,
)
from harness.config.validate import profile_from_mapping
from harness.config.yaml_reader import load_claims, load_profile

__all__ = [
    "BUILTIN_PROFILE_DIR",
    "BUILTIN_SUTS",
    "DEFAULT_PROFILE",
    "ActionsConfig",
    "ActionsType",
    "Claims",
    "Evse",
    "Limits",
    "ListenAddress",
    "OcppVersion",
    "Profile",
    "ProfileError",
    "Role",
    "StationInfo",
    "SutConfig",
    "SutProfile",
    "Timeouts",
    "Tokens",
    "builtin_profile_names",
    "builtin_profile_path",
    "load_claims",
    "load_profile",
    "profile_from_mapping",
    "resolve_profile_path",
]
