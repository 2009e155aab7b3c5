"""Windows group policy: values under ``HKLM\\SOFTWARE\\Policies\\Flare`` (and ``\\Recommended``),
and the values the MSI was given, under ``HKLM\\SOFTWARE\\Flare\\Installer`` (policy wins).

Value names are the dotted setting keys. REG_DWORD/REG_QWORD hold numbers and booleans (0/1),
REG_SZ/REG_EXPAND_SZ text (and floats, and JSON for lists), REG_MULTI_SZ lists of text (for
object lists: one JSON object per line). The registry is read through :class:`RegistryReader`
so the conversion is unit-tested anywhere with a fake.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

from app.settings.decl_types import SettingDecl
from app.settings.entries import collect_entries
from app.settings.model import Entry, Layer, PolicyProblem
from app.settings.values import PathPart, show

# Not typing.TYPE_CHECKING: the settings load on every platform imports this module, and
# typing costs each `flare` command a few ms (see app.settings.decl_types).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

REG_SZ = 1
REG_EXPAND_SZ = 2
REG_DWORD = 4
REG_MULTI_SZ = 7
REG_QWORD = 11

POLICY_KEY = r"SOFTWARE\Policies\Flare"
# The MSI's public properties (HELPDESK_URL, DESTINATION, ORG_TOKEN) as managed values in a key
# of the installer's own, never under the policy key: Group Policy owns that one (it rewrites
# and deletes values there), and the installer must neither take over a value Group Policy set
# nor delete it on uninstall. Only administrators can write under HKLM\SOFTWARE.
INSTALLER_KEY = r"SOFTWARE\Flare\Installer"
# Read in this order; a later key wins: Group Policy over the installer's values, machine
# policy over user policy (as Windows does).
MANAGED_KEYS = (rf"HKLM\{INSTALLER_KEY}", rf"HKCU\{POLICY_KEY}", rf"HKLM\{POLICY_KEY}")
RECOMMENDED_KEYS = (rf"HKCU\{POLICY_KEY}\Recommended", rf"HKLM\{POLICY_KEY}\Recommended")

if TYPE_CHECKING:
    RegistryValue = tuple[str, Any, int]  # name, data, REG_* type

    class RegistryReader(Protocol):
        def values(self, key_path: str) -> list[RegistryValue] | None:
            """The values of ``key_path`` ("HKLM\\SOFTWARE\\…"), or None when the key is
            absent."""
            ...
else:
    RegistryValue = tuple[str, object, int]


class WinRegistryReader:
    """The real registry (Windows only); REG_EXPAND_SZ values come back expanded."""

    def values(self, key_path: str) -> list[RegistryValue] | None:
        if sys.platform == "win32":
            import winreg

            hive_name, _, sub_key = key_path.partition("\\")
            hive = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}[hive_name]
            try:
                key = winreg.OpenKey(hive, sub_key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY)
            except OSError:
                return None
            found: list[RegistryValue] = []
            with key:
                index = 0
                while True:
                    try:
                        name, data, type_ = winreg.EnumValue(key, index)
                    except OSError:
                        break
                    if type_ == REG_EXPAND_SZ and isinstance(data, str):
                        data = winreg.ExpandEnvironmentStrings(data)
                    found.append((name, data, type_))
                    index += 1
            return found
        return None


class _Unconvertible(Exception):
    pass


def read_registry_policy(
    reader: RegistryReader,
    key_path: str,
    layer: Layer,
    decls: Mapping[str, SettingDecl],
) -> tuple[list[Entry], list[PolicyProblem]]:
    """Checked entries of one policy key; each problem names the registry value."""
    values = reader.values(key_path)
    if not values:
        return [], []
    data: dict[str, Any] = {}
    problems: list[PolicyProblem] = []
    for name, raw, reg_type in values:
        if name == "":  # the key's "(Default)" value carries no setting
            continue
        decl = decls.get(name)
        try:
            data[name] = _convert(decl, raw, reg_type) if decl else raw
        except _Unconvertible as exc:
            problems.append(
                PolicyProblem(
                    rf"{key_path}\{name}", name, f"{name}: {exc}; the setting is ignored", layer
                )
            )

    def locate(path: tuple[PathPart, ...]) -> str:
        if not path:
            return key_path
        where = rf"{key_path}\{path[0]}"
        return where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:])

    entries, more = collect_entries(data, layer=layer, locate=locate, decls=decls)
    return entries, problems + more


_TYPE_NAMES = {
    REG_SZ: "REG_SZ",
    REG_EXPAND_SZ: "REG_EXPAND_SZ",
    REG_DWORD: "REG_DWORD",
    REG_MULTI_SZ: "REG_MULTI_SZ",
    REG_QWORD: "REG_QWORD",
}


def _convert(decl: SettingDecl, raw: Any, reg_type: int) -> Any:
    """The JSON-like value a registry value stands for, given the declared type."""
    is_text = reg_type in (REG_SZ, REG_EXPAND_SZ) and isinstance(raw, str)
    is_number = reg_type in (REG_DWORD, REG_QWORD) and isinstance(raw, int)
    is_lines = reg_type == REG_MULTI_SZ and isinstance(raw, list)
    type_name = _TYPE_NAMES.get(reg_type, f"registry type {reg_type}")
    match decl.type:
        case "bool":
            if is_number and raw in (0, 1):
                return bool(raw)
            if is_text and raw.strip().lower() in ("0", "1", "true", "false"):
                return raw.strip().lower() in ("1", "true")
            raise _Unconvertible(f"expected a REG_DWORD of 0 or 1, got {type_name} {show(raw)}")
        case "int":
            if is_number:
                return raw
            if is_text:
                try:
                    return int(raw.strip())
                except ValueError:
                    pass
            raise _Unconvertible(f"expected a REG_DWORD number, got {type_name} {show(raw)}")
        case "float":
            if is_number:
                return float(raw)
            if is_text:
                try:
                    return float(raw.strip())
                except ValueError:
                    pass
            raise _Unconvertible(
                f'expected a number as REG_SZ (e.g. "1.5"), got {type_name} {show(raw)}'
            )
        case "str_list":
            if is_lines:
                return [line for line in raw if line != ""]
            if is_text:
                return _json(raw, "a JSON list of text")
            raise _Unconvertible(f"expected REG_MULTI_SZ, got {type_name} {show(raw)}")
        case "object_list":
            if is_lines:
                return [_json(line, "a JSON object") for line in raw if line.strip()]
            if is_text:
                return _json(raw, "a JSON list of objects")
            raise _Unconvertible(
                f"expected REG_MULTI_SZ with one JSON object per line, got {type_name}"
            )
        case _:  # str, enum, path, secret
            if is_text:
                return raw
            shown = "" if decl.type == "secret" else f" {show(raw)}"  # never echo a secret
            raise _Unconvertible(f"expected REG_SZ text, got {type_name}{shown}")


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unconvertible(
            f"expected {what}, but the text is not valid JSON at character {exc.colno}: {exc.msg}"
        ) from None
