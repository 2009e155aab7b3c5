"""Reading every settings source of this computer into one :class:`Settings`."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from app.records import Record
from app.settings.decl_types import SettingDecl
from app.settings.declaration import declarations_by_key
from app.settings.layers import Settings
from app.settings.model import Entry, Layer, PolicyProblem

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.settings.windows_registry import RegistryReader

POLICY_DIR_ENV = "FLARE_POLICY_DIR"
DEFAULT_POLICY_DIR = Path("/etc/flare/policies")


class PolicySources(Record):
    """Where each platform keeps its policy; tests point these at temporary files and fakes."""

    linux_dir: Path = DEFAULT_POLICY_DIR
    registry: RegistryReader | None = None  # None: the real registry when running on Windows
    # The macOS places; None: the real ones (their module is imported on macOS only).
    macos_root: Path | None = None  # the managed preferences folder
    macos_user: str | None = None  # None: the current login name
    macos_preferences: Path | None = None  # the machine's set-once (recommended) plist
    macos_home: Path | None = None  # None: the user's home folder


class _Collected:
    __slots__ = ("entries", "problems")

    def __init__(self, entries: dict[Layer, list[Entry]], problems: list[PolicyProblem]) -> None:
        self.entries = entries
        self.problems = problems

    @classmethod
    def empty(cls) -> _Collected:
        return cls({"recommended": [], "managed": []}, [])

    def add(self, layer: Layer, found: tuple[list[Entry], list[PolicyProblem]]) -> None:
        self.entries[layer] += found[0]
        self.problems += found[1]


def load_settings(
    user_file: Path | None = None,
    *,
    policy_dir: Path | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    sources: PolicySources | None = None,
) -> Settings:
    """The effective settings of this computer; never raises for bad policy or user files.

    ``policy_dir`` (or the FLARE_POLICY_DIR environment variable) replaces the platform's
    policy source with a folder holding ``managed/`` and ``recommended/`` JSON files, whose
    owner may then also be the current user. FLARE_POLICY_DIR is ignored, with a problem,
    when the computer has policy of its own (managed or recommended): a user must not escape
    or extend it that way.
    """
    decls = declarations_by_key()
    platform = platform or sys.platform
    env = os.environ if env is None else env
    sources = sources or PolicySources()
    if policy_dir is not None:
        policy = _read_folder(policy_dir, decls, relaxed=True)
    else:
        policy = _read_platform(platform, sources, decls)
        env_dir = env.get(POLICY_DIR_ENV, "")
        # Recommended policy counts too: it is the administrator's, and a folder the user
        # names could otherwise set the keys only an administrator may set.
        own = policy.entries["managed"] or policy.entries["recommended"]
        if env_dir and own:
            kind = "managed" if policy.entries["managed"] else "recommended"
            policy.problems.append(
                PolicyProblem(
                    POLICY_DIR_ENV,
                    "",
                    f"{POLICY_DIR_ENV} is ignored because this computer has {kind} policy "
                    f"({own[0].location}); unset {POLICY_DIR_ENV}",
                )
            )
        elif env_dir:
            policy = _read_folder(Path(env_dir), decls, relaxed=True, named=POLICY_DIR_ENV)
    user_entries: list[Entry] = []
    user_problems: list[PolicyProblem] = []
    if user_file is not None and user_file.exists():
        from app.settings.policy_files import read_json_settings

        user_entries, user_problems = read_json_settings(user_file, "user", decls)
    return Settings(
        {**policy.entries, "user": user_entries},
        [*policy.problems, *user_problems],
        decls=decls,
    )


def _read_platform(
    platform: str, sources: PolicySources, decls: Mapping[str, SettingDecl]
) -> _Collected:
    if platform == "win32":
        return _read_registry(sources.registry, decls)
    if platform == "darwin":
        return _read_macos(sources, decls)
    return _read_folder(sources.linux_dir, decls, relaxed=sources.linux_dir != DEFAULT_POLICY_DIR)


def _read_folder(
    folder: Path,
    decls: Mapping[str, SettingDecl],
    *,
    relaxed: bool,
    named: str = "",
) -> _Collected:
    collected = _Collected.empty()
    if not folder.is_dir():
        if named:  # an explicit folder that is missing is a mistake; the default is optional
            collected.problems.append(
                PolicyProblem(
                    named,
                    "",
                    f"{named} points to {folder}, which is not a folder; "
                    f"create it or unset {named}",
                )
            )
        return collected
    # The JSON file readers only now: most machines have no policy folder.
    from app.settings.policy_files import read_policy_folder, trusted_owners, untrusted_reason

    trusted = trusted_owners(relaxed)
    if trusted is not None:
        reason = untrusted_reason(folder, trusted)
        if reason:
            collected.problems.append(
                PolicyProblem(str(folder), "", f"policy folder ignored: {reason}")
            )
            return collected
    for layer in ("recommended", "managed"):
        collected.add(layer, read_policy_folder(folder / layer, layer, decls, trusted_uids=trusted))
    return collected


def _read_registry(reader: RegistryReader | None, decls: Mapping[str, SettingDecl]) -> _Collected:
    # Imported here: the other platforms never read the registry.
    from app.settings.windows_registry import (
        MANAGED_KEYS,
        RECOMMENDED_KEYS,
        WinRegistryReader,
        read_registry_policy,
    )

    collected = _Collected.empty()
    if reader is None:
        if sys.platform != "win32":
            collected.problems.append(
                PolicyProblem(
                    "registry",
                    "",
                    "Windows policy cannot be read on this system; "
                    f"use {POLICY_DIR_ENV} to test policy files here",
                )
            )
            return collected
        reader = WinRegistryReader()
    for key_path in RECOMMENDED_KEYS:
        collected.add("recommended", read_registry_policy(reader, key_path, "recommended", decls))
    for key_path in MANAGED_KEYS:
        collected.add("managed", read_registry_policy(reader, key_path, "managed", decls))
    return collected


def _read_macos(sources: PolicySources, decls: Mapping[str, SettingDecl]) -> _Collected:
    # Imported here: the other platforms never read preferences.
    import getpass

    from app.settings.macos_prefs import (
        MANAGED_PREFERENCES,
        PREFERENCES,
        managed_plists,
        read_plist_policy,
        recommended_plists,
        user_changeable_only,
    )
    from app.settings.policy_files import trusted_owners

    collected = _Collected.empty()
    user = sources.macos_user or getpass.getuser()
    root = sources.macos_root or MANAGED_PREFERENCES
    preferences = sources.macos_preferences or PREFERENCES
    trusted = trusted_owners(relaxed=root != MANAGED_PREFERENCES)
    for path in managed_plists(root, user):
        collected.add("managed", read_plist_policy(path, "managed", decls, trusted_uids=trusted))
    machine, own = recommended_plists(preferences, sources.macos_home or Path.home())
    machine_trust = trusted_owners(relaxed=preferences != PREFERENCES)
    collected.add(
        "recommended", read_plist_policy(machine, "recommended", decls, trusted_uids=machine_trust)
    )
    # The user's own file: no owner check (it is theirs), and only the keys users may change.
    collected.add(
        "recommended",
        user_changeable_only(
            read_plist_policy(own, "recommended", decls, trusted_uids=None), decls
        ),
    )
    return collected
