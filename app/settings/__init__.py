"""Layered settings with provenance: built-in defaults < recommended policy < user < managed.

Every setting is declared once in ``resources/settings/declaration.yaml`` (see
:mod:`app.settings.declaration`); the policy JSON Schema is generated from it with
``python -m app.settings.schema > resources/schema/policy.schema.json``.

Sources: Linux ``/etc/flare/policies/{managed,recommended}/*.json`` (root-owned, merged by file
name), Windows ``HKLM\\SOFTWARE\\Policies\\Flare`` (and ``\\Recommended``), macOS managed
preferences ``org.flare.reporter``; the user's JSON file in the user config folder.
"""

from app.settings.decl_types import SettingDecl
from app.settings.declaration import declaration
from app.settings.layers import SettingItem, Settings
from app.settings.loader import POLICY_DIR_ENV, PolicySources, load_settings
from app.settings.model import (
    LockedSettingError,
    PolicyProblem,
    SettingsError,
    SettingSource,
    UnknownSettingError,
)

__all__ = [
    "POLICY_DIR_ENV",
    "LockedSettingError",
    "PolicyProblem",
    "PolicySources",
    "SettingDecl",
    "SettingItem",
    "SettingSource",
    "Settings",
    "SettingsError",
    "UnknownSettingError",
    "declaration",
    "load_settings",
]
