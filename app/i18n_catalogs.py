"""Flare's gettext catalogs: extract with Babel, update the .po files, compile the .mo files.

    python -m app.i18n_catalogs update    # after changing strings: .pot, .po (new entries
                                          # empty), .mo; then translate the empty entries
    python -m app.i18n_catalogs check     # what the test and CI check: nothing stale, nothing
                                          # untranslated or fuzzy

One domain for app/, capture/, diagnostics/ and the built-in form (resources/forms): Python
code marks its strings with ``tr``/``ntr``/``ptr`` (Translator) or ``N_``; the form's texts are
the ``en`` value of each ``{en: ...}`` mapping. The .mo files are committed beside the .po
files: an editable install, the wheel and the PyInstaller bundle then all read the same
resources/ tree, and no build step needs Babel or msgfmt. The test compiles every .po again and
fails when a committed .mo differs.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import io
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n import DOMAIN

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = Path("resources/locale")
TRANSLATED = ("ru", "uk")
KEYWORDS: dict[str, Any] = {"tr": None, "ntr": (1, 2), "ptr": ((1, "c"), 2), "N_": None}
COMMENT_TAGS = ("TRANSLATORS:",)
FORM_FILES = ("resources/forms/default.yaml", "resources/forms/messages.yaml")
METHOD_MAP = [
    ("app/**.py", "python"),
    ("capture/**.py", "python"),
    ("diagnostics/**.py", "python"),
    *((path, "app.i18n_catalogs:extract_form_yaml") for path in FORM_FILES),
]
# Form keys whose {en: ...} mapping is a list of search words per language, not a text.
NOT_TEXT_KEYS = frozenset({"keywords"})
FORM_CONTEXT = "form"


def _form_texts(node: yaml.Node, where: str) -> Iterator[tuple[int, str, str]]:
    """(line, English text, what it is) of every ``{en: "..."}`` mapping under ``node``."""
    if isinstance(node, yaml.MappingNode):
        pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        en = pairs.get("en")
        if isinstance(en, yaml.ScalarNode) and en.value.strip():
            yield en.start_mark.line + 1, en.value, where
            return
        ident = pairs.get("id")
        if isinstance(ident, yaml.ScalarNode):
            where = f"{where} {ident.value}".strip()
        for key, value in node.value:
            name = getattr(key, "value", "")
            if name in NOT_TEXT_KEYS:
                continue
            yield from _form_texts(value, f"{where}: {name}" if not isinstance(
                value, yaml.SequenceNode) else where)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _form_texts(item, where)


def extract_form_yaml(fileobj: IO[bytes], keywords: object, comment_tags: object,
                      options: object) -> Iterator[tuple[int, str, list[str], list[str]]]:
    """Babel extractor for the form's YAML: each ``en`` text, with what it is as a comment."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for line, text, where in _form_texts(root, ""):
        # as a ptr() call: the form's words get their own context, apart from the UI's
        yield line, "ptr", [FORM_CONTEXT, text], [f"TRANSLATORS: form {where.strip(': ')}"]


def extract(root: Path = ROOT) -> Catalog:
    """The template: every string the code and the built-in form show."""
    template = Catalog(project="Flare", version="1", domain=DOMAIN,
                       header_comment=HEADER.format(language="Template of the"),
                       msgid_bugs_address="the Flare developers",
                       copyright_holder="Flare developers", creation_date=EPOCH,
                       revision_date=EPOCH, fuzzy=False)
    # Babel warns of every f-string given as a field (tr("{n} s", n=f"{x:g}")), which is
    # right: only the first argument is the message. Those warnings are noise here.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(extract_from_dir(
            root, METHOD_MAP, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
            directory_filter=lambda d: not Path(d).name.startswith(".")))
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    for filename, lineno, message, context in _inside_fstrings(root):
        key = message if isinstance(message, str) else message[0]
        if template.get(key, context=context) is None:
            template.add(message, None, [(filename, lineno)], context=context)
    return template


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) \
        else None


def _inside_fstrings(root: Path) -> Iterator[tuple[str, int, str | tuple[str, str], str | None]]:
    """The calls Babel's tokenizer cannot see: ``f"<h2>{escape(t.tr('Attachments'))}</h2>"``.
    The syntax tree has them; each yields what Babel would have for a plain call."""
    for package in ("app", "capture", "diagnostics"):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            for joined in ast.walk(tree):
                if not isinstance(joined, ast.JoinedStr):
                    continue
                for node in ast.walk(joined):
                    if not isinstance(node, ast.Call):
                        continue
                    name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
                    args = [_literal(a) for a in node.args]
                    where = str(path.relative_to(root)), node.lineno
                    if name in ("tr", "N_") and args and args[0]:
                        yield *where, args[0], None
                    elif name == "ntr" and len(args) >= 2 and args[0] and args[1]:
                        yield *where, (args[0], args[1]), None
                    elif name == "ptr" and len(args) >= 2 and args[0] and args[1]:
                        yield *where, args[1], args[0]


def po_path(language: str, root: Path = ROOT) -> Path:
    return root / LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


LANGUAGE_TEAMS = {"ru": "Russian", "uk": "Ukrainian", "en": "English"}
# A fixed date: a header that changed on every run would make every update a catalog change.
EPOCH = datetime(2026, 12, 1, tzinfo=UTC)
HEADER = """\
# {language} translation of Flare's messages (domain flare).
# The terms are fixed in docs/glossary.md; read it before translating.
# This file is distributed under the same licence as Flare (Apache-2.0)."""


def read_catalog(path: Path, language: str) -> Catalog:
    if path.exists():
        with path.open("rb") as fp:
            return read_po(fp, locale=language, domain=DOMAIN)
    return Catalog(locale=language, domain=DOMAIN, project="Flare", version="1",
                   header_comment=HEADER.format(language=LANGUAGE_TEAMS[language]),
                   msgid_bugs_address="the Flare developers", copyright_holder="Flare developers",
                   creation_date=EPOCH, revision_date=EPOCH,
                   last_translator="Flare developers",
                   language_team=LANGUAGE_TEAMS[language], fuzzy=False)


def compile_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def po_text(catalog: Catalog) -> bytes:
    for message in catalog:
        # Flare's texts are str.format() texts: "{cpu}% used" is no printf "% u"
        message.flags.discard("python-format")
    out = io.BytesIO()
    # no line numbers: they would make every edit elsewhere in a file a catalog change
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    return out.getvalue()


def _template_text(template: Catalog) -> bytes:
    return po_text(template)


def update(root: Path = ROOT, languages: Iterable[str] = TRANSLATED) -> list[Path]:
    """Write the .pot, merge it into each .po (new entries empty, vanished ones dropped),
    compile each .mo. Returns the files written."""
    template = extract(root)
    written = []
    pot = root / LOCALE_DIR / f"{DOMAIN}.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    pot.write_bytes(_template_text(template))
    written.append(pot)
    for language in languages:
        path = po_path(language, root)
        catalog = read_catalog(path, language)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_text(catalog))
        path.with_suffix(".mo").write_bytes(compile_mo(catalog))
        written += [path, path.with_suffix(".mo")]
    return written


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def problems(root: Path = ROOT, languages: Iterable[str] = TRANSLATED) -> list[str]:
    """Everything stale or incomplete, one line each (empty when the catalogs are right)."""
    template = extract(root)
    wanted = {_key(m): m for m in template if m.id}
    out = []
    pot = root / LOCALE_DIR / f"{DOMAIN}.pot"
    if not pot.exists() or read_catalog(pot, "en") is None or {
            _key(m) for m in read_catalog(pot, "en") if m.id} != set(wanted):
        out.append(f"{pot.relative_to(root)} is stale: run python -m app.i18n_catalogs update")
    for language in languages:
        path = po_path(language, root)
        rel = path.relative_to(root)
        catalog = read_catalog(path, language)
        if catalog.num_plurals != 3:
            out.append(f"{rel}: Plural-Forms must have nplurals=3, not {catalog.num_plurals}")
        have = {_key(m): m for m in catalog if m.id}
        for key, message in sorted(wanted.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:1])
            got = have.get(key)
            label = repr(key[0]) + (f" (context {key[1]!r})" if key[1] else "")
            if got is None:
                out.append(f"{rel}: missing {label} from {where}")
                continue
            forms = got.string if isinstance(got.string, (list, tuple)) else [got.string]
            if isinstance(message.id, (list, tuple)) != isinstance(got.id, (list, tuple)):
                out.append(f"{rel}: {label} singular/plural differs from the code ({where})")
            elif got.fuzzy:
                out.append(f"{rel}: fuzzy translation of {label}")
            elif not all(f and f.strip() for f in forms) or (
                    isinstance(got.id, (list, tuple)) and len(forms) != 3):
                out.append(f"{rel}: untranslated {label} ({where})")
        for key in sorted(set(have) - set(wanted), key=lambda k: (k[0], k[1] or "")):
            out.append(f"{rel}: {key[0]!r} is no longer used: run python -m app.i18n_catalogs "
                       "update")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compile_mo(catalog):
            out.append(f"{mo.relative_to(root)} is not compiled from the .po: run python -m "
                       "app.i18n_catalogs update")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n_catalogs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["update", "check"])
    args = parser.parse_args(argv)
    if args.command == "update":
        for path in update():
            print(path.relative_to(ROOT))
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
