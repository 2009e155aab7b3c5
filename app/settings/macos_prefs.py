"""macOS preferences of the ``org.flare.reporter`` domain, in two layers.

* Managed (forced): ``/Library/Managed Preferences/[USER/]org.flare.reporter.plist``, written
  by an MDM profile's Forced settings; users cannot change them.
* Recommended (set-once): defaults users may change. ``/Library/Preferences/org.flare.reporter
  .plist`` (root-owned, machine-wide: ``sudo defaults write /Library/Preferences/…`` or a package
  from the MDM) with any key, and the user's own ``~/Library/Preferences/org.flare.reporter
  .plist``, where an MDM profile's Set-Once settings land, with the keys a user may change only:
  that file is the user's to write, so it must not set what only an administrator may.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from app.settings.decl_types import SettingDecl
from app.settings.entries import collect_entries
from app.settings.model import Entry, Layer, PolicyProblem
from app.settings.policy_files import untrusted_reason
from app.settings.values import PathPart

DOMAIN = "org.flare.reporter"
MANAGED_PREFERENCES = Path("/Library/Managed Preferences")
PREFERENCES = Path("/Library/Preferences")


def managed_plists(root: Path, user: str) -> list[Path]:
    """Plists in the order they are merged: the computer's first, the user's (winning) last."""
    return [root / f"{DOMAIN}.plist", root / user / f"{DOMAIN}.plist"]


def read_plist_policy(
    path: Path,
    layer: Layer,
    decls: Mapping[str, SettingDecl],
    *,
    trusted_uids: frozenset[int] | None,
) -> tuple[list[Entry], list[PolicyProblem]]:
    """Checked entries of one plist (keys dotted or nested per section); absent -> nothing."""
    if not path.is_file():
        return [], []
    if trusted_uids is not None:
        reason = untrusted_reason(path, trusted_uids)
        if reason:
            return [], [
                PolicyProblem(str(path), "", f"{layer} preferences ignored: {reason}", layer)
            ]
    try:
        with path.open("rb") as fh:
            import plistlib  # macOS only: every other start would pay for expat

            data = plistlib.load(fh)
    # plistlib raises many types on damaged files (expat, struct, index errors); all mean
    # the same to the administrator.
    except Exception as exc:
        return [], [
            PolicyProblem(
                str(path),
                "",
                f"not a readable property list ({exc}); check the configuration profile",
                layer,
            )
        ]

    def locate(key_path: tuple[PathPart, ...]) -> str:
        if not key_path:
            return str(path)
        dotted = "".join(
            f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p)
            for i, p in enumerate(key_path)
        )
        return f"{path} [{dotted}]"

    return collect_entries(data, layer=layer, locate=locate, decls=decls)


def recommended_plists(machine: Path, home: Path) -> list[Path]:
    """The machine's set-once plist first, the user's (winning) last."""
    return [machine / f"{DOMAIN}.plist", home / "Library" / "Preferences" / f"{DOMAIN}.plist"]


def user_changeable_only(
    found: tuple[list[Entry], list[PolicyProblem]], decls: Mapping[str, SettingDecl]
) -> tuple[list[Entry], list[PolicyProblem]]:
    """Entries of a plist the user can write: the keys only an administrator sets are dropped."""
    entries, problems = found
    kept = []
    for entry in entries:
        if decls[entry.key].user_changeable:
            kept.append(entry)
        else:
            problems.append(
                PolicyProblem(
                    entry.location,
                    entry.key,
                    f"{entry.key} is ignored here: only an administrator may set it; deliver it "
                    "as a forced setting of the configuration profile",
                    "recommended",
                )
            )
    return kept, problems
