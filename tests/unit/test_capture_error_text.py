"""The error dialog's text read by OCR: what is kept of tesseract's output, and real reads of
drawn dialogs in the three languages."""

from __future__ import annotations

import pytest

from capture.error_text import message_lines, ocr_available, ocr_language, read_region
from tests.apps.dialogs import dialog
from tests.needs import missing


def test_only_the_message_is_kept_of_what_ocr_prints() -> None:
    raw = ("(x) The attachment size exceeds\nthe allowable limit.\n\n  OK  \n© \n"
           "о Розмір\n")
    assert message_lines(raw) == "The attachment size exceeds\nthe allowable limit.\nо Розмір"
    assert message_lines("о Розмір вкладення") == "Розмір вкладення", "the icon as a letter"
    assert message_lines("I cannot open it") == "I cannot open it", "a real first word stays"
    assert message_lines("Отмена   ОК\n") == ""


def test_languages_map_to_tesseract_data() -> None:
    assert [ocr_language(x) for x in ("en", "ru_RU", "uk-UA", "de")] == [
        "eng", "rus", "ukr", "eng"]


@pytest.mark.parametrize("language, text", [
    ("en", "Cannot open the file report.xlsx: it is locked by another user."),
    ("ru", "Не удалось сохранить документ: недостаточно места на диске."),
    ("uk", "Не вдалося зберегти документ: недостатньо місця на диску."),
])
def test_a_drawn_dialog_is_read_word_for_word(language: str, text: str) -> None:
    if not ocr_available():
        missing("tesseract is not installed (tesseract-ocr, -rus, -ukr)")
    found = read_region(dialog(text, size=13, seed=7), language, "Error")
    assert found.source == "ocr"
    assert found.text.replace("\n", " ") == text
