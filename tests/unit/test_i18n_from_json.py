"""The one-off converter the lead runs at merge time: strings other branches added to the JSON
catalogs and inline to the form reach the .po files, and what the .po already says stays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from babel.messages.pofile import read_po

from app.i18n_catalogs import ROOT, po_path, problems
from app.i18n_from_json import convert, strip


def test_new_json_and_inline_strings_reach_the_catalogs(tmp_path: Path) -> None:
    for part in ("resources/locale", "resources/forms"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "page.py").write_text(
        't.tr("Cancel")\nt.tr("Export the log")\nt.ntr("{n} file", "{n} files", n=2)\n', "utf-8")
    (tmp_path / "resources" / "i18n").mkdir()
    for language, export, files, cancel in (
            ("ru", "Выгрузить журнал", ["{n} файл", "{n} файла", "{n} файлов"], "Нет!"),
            ("uk", "Вивантажити журнал", ["{n} файл", "{n} файли", "{n} файлів"], "Ні!")):
        (tmp_path / "resources" / "i18n" / f"{language}.json").write_text(json.dumps(
            {"Export the log": export, "{n} file": files, "Cancel": cancel}), "utf-8")
    form = tmp_path / "resources" / "forms" / "messages.yaml"
    form.write_text(form.read_text("utf-8") + 'new_rule:\n  message: {en: "Say more.", '
                    'ru: "Расскажите подробнее.", uk: "Розкажіть докладніше."}\n', "utf-8")

    convert(tmp_path)
    strip(tmp_path)

    with po_path("ru", tmp_path).open("rb") as fp:
        ru = read_po(fp, locale="ru")
    assert ru.get("Export the log").string == "Выгрузить журнал"
    assert tuple(ru.get(("{n} file", "{n} files")).string) == ("{n} файл", "{n} файла",
                                                                "{n} файлов")
    assert ru.get("Cancel").string == "Отмена"  # the reviewed .po wins over the JSON
    assert ru.get("Say more.", context="form").string == "Расскажите подробнее."
    assert "Расскажите" not in form.read_text("utf-8")  # one source: the catalog
    assert "Say more." in form.read_text("utf-8")
    assert problems(tmp_path) == []
