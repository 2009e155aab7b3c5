"""One-off: carry the old catalogs into the gettext ones (delete once the JSON files are gone).

    python -m app.i18n_from_json            # fill the .po files, compile the .mo files
    python -m app.i18n_from_json --strip    # and take ru/uk texts out of the built-in form

Until the JSON catalogs are deleted, other branches keep adding strings to
resources/i18n/{ru,uk}.json and inline ``ru:``/``uk:`` texts to resources/forms/*.yaml. This
extracts the template again (app.i18n_catalogs), keeps every translation the .po already has
(those were reviewed there), and fills only the entries still empty: a plural entry from the
JSON's three-form list, a form text from the form's own inline translation. ``--strip`` then
deletes the inline translations that the .po now holds, so the form has one source.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from app.i18n_catalogs import (
    FORM_CONTEXT,
    FORM_FILES,
    NOT_TEXT_KEYS,
    ROOT,
    TRANSLATED,
    compile_mo,
    extract,
    po_path,
    po_text,
    problems,
    read_catalog,
)


def _inline(node: Any, language: str, out: dict[str, str]) -> None:
    """English → ``language`` text of every inline ``{en: ..., <language>: ...}`` form text."""
    if isinstance(node, dict):
        en, there = node.get("en"), node.get(language)
        if isinstance(en, str) and isinstance(there, str) and there.strip():
            out.setdefault(en, there)
            return
        for key, value in node.items():
            if key not in NOT_TEXT_KEYS:
                _inline(value, language, out)
    elif isinstance(node, list):
        for item in node:
            _inline(item, language, out)


def form_translations(language: str, root: Path = ROOT) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in FORM_FILES:
        _inline(yaml.safe_load((root / name).read_text("utf-8")), language, out)
    return out


def convert(root: Path = ROOT) -> list[str]:
    template = extract(root)
    filled = []
    for language in TRANSLATED:
        json_path = root / "resources" / "i18n" / f"{language}.json"
        old: dict[str, Any] = json.loads(json_path.read_text("utf-8")) if json_path.exists() \
            else {}
        form = form_translations(language, root)
        path = po_path(language, root)
        catalog = read_catalog(path, language)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            plural = isinstance(message.id, (list, tuple))
            msgid = str(message.id[0] if plural else message.id)
            current = message.string if isinstance(message.string, (list, tuple)) else [
                message.string]
            if all(s and s.strip() for s in current) and not message.fuzzy:
                continue
            found: Any = form.get(msgid) if message.context == FORM_CONTEXT else None
            if found is None:
                found = old.get(msgid)
            if plural and isinstance(found, list) and len(found) == 3:
                message.string = tuple(found)
            elif not plural and isinstance(found, str):
                message.string = found
            else:
                continue
            message.flags.discard("fuzzy")
            filled.append(f"{language}: {msgid}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_text(catalog))
        path.with_suffix(".mo").write_bytes(compile_mo(catalog))
    pot = root / "resources" / "locale" / "flare.pot"
    pot.write_bytes(po_text(template))
    return filled


_FLOW = re.compile(r""",\s*(?:ru|uk):\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\[\]"'\n]+)""")
_BLOCK = re.compile(r"""^[ \t]+(?:ru|uk):[ \t]+(?![\[{>|]).*\n""", re.MULTILINE)


def _without_translations(node: Any) -> Any:
    if isinstance(node, dict):
        en = node.get("en")
        if isinstance(en, str):
            return {k: v for k, v in node.items()
                    if not (k in TRANSLATED and isinstance(v, str))}
        return {k: (v if k in NOT_TEXT_KEYS else _without_translations(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_without_translations(v) for v in node]
    return node


def strip(root: Path = ROOT) -> None:
    """Delete inline ru/uk texts from the built-in form, checking that nothing else changed."""
    for name in FORM_FILES:
        path = root / name
        before = path.read_text("utf-8")
        after = _BLOCK.sub("", _FLOW.sub("", before))
        if yaml.safe_load(after) != _without_translations(yaml.safe_load(before)):
            raise SystemExit(f"{name}: could not take the translations out cleanly; edit by hand")
        path.write_text(after, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n_from_json", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strip", action="store_true",
                        help="then delete the form's inline ru/uk texts that the .po holds")
    args = parser.parse_args(argv)
    filled = convert()
    print(f"filled {len(filled)} entries from the JSON catalogs and the form")
    if args.strip:
        strip()
    left = problems()
    for line in left:
        print(line, file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main())
