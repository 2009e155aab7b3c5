"""What support receives, in each language: report.html as a browser shows it, and the ticket
body, for one report written by a person in English, Russian and Ukrainian.

    python -m tests.journey.publish_documents [OUT_DIR]   # default: docs/documents

report.html is rendered by Flare's own renderer and photographed by headless Chromium; the
ticket body is the text every connector puts in the ticket. The answers are the person's
words, so each language has its own; everything else is Flare's, in that language.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from app.bundle import Bundle
from app.helpdesk.ticket_text import ticket_text
from app.render.html import render_html
from tests.factories import sample_report
from tests.journey.desktop import ROOT

# What the window would have stored: the questions, captions and diagnostics are written in
# the reporter's language when the report is made.
QUESTIONS = {
    "ru": {"what_happened": "Что произошло?", "expected": "Что вы ожидали?",
           "restart": "Вы перезагружали компьютер?"},
    "uk": {"what_happened": "Що сталося?", "expected": "Чого ви очікували?",
           "restart": "Ви перезавантажували компʼютер?"},
}
# The category as the window stores it: the built-in form's label in the reporter's language.
CATEGORIES = {"ru": "Электронная почта", "uk": "Електронна пошта"}
CAPTIONS = {"ru": "Нажала «Отправить», попытка {n}", "uk": "Натиснула «Надіслати», спроба {n}",
            "en": "Clicked Send, attempt {n}"}
SECTIONS = {
    "ru": {"os": ("Операционная система", "Debian 12"),
           "uptime": ("Время работы", "работает 23 дня",
                      "рекомендуется перезагрузка: компьютер работает 23 дня"),
           "vpn": ("VPN", "", "нет ответа за 2,0 с")},
    "uk": {"os": ("Операційна система", "Debian 12"),
           "uptime": ("Час роботи", "працює 23 дні",
                      "варто перезавантажити: компʼютер працює 23 дні"),
           "vpn": ("VPN", "", "немає відповіді за 2,0 с")},
}

WORDS = {
    "en": ("Outlook: sending fails with 0x800CCC0E",
           "Outlook shows 0x800CCC0E when I press Send",
           "The message leaves the Outbox"),
    "ru": ("Outlook: при отправке ошибка 0x800CCC0E",
           "Outlook показывает ошибку 0x800CCC0E, когда я нажимаю «Отправить»",
           "Письмо уходит из папки «Исходящие»"),
    "uk": ("Outlook: під час надсилання помилка 0x800CCC0E",
           "Outlook показує помилку 0x800CCC0E, коли я натискаю «Надіслати»",
           "Лист іде з теки «Вихідні»"),
}


def documents(language: str) -> tuple[str, str]:
    report, files, diagnostics = sample_report()
    title, happened, expected = WORDS[language]
    answers = [a.model_copy(update={"value": happened, "display": happened})
               if a.question_id == "what_happened" else
               a.model_copy(update={"value": expected, "display": expected})
               if a.question_id == "expected" else a for a in report.answers]
    if language in QUESTIONS:
        answers = [a.model_copy(update={"question": QUESTIONS[language][a.question_id]})
                   for a in answers]
        sections = []
        for sec in diagnostics.sections:
            words = SECTIONS[language][sec.name]
            update: dict[str, object] = {"title": words[0], "summary": words[1]}
            if sec.findings:
                update["findings"] = [sec.findings[0].model_copy(update={"message": words[2]})]
            if sec.error:
                update["error"] = words[2]
            sections.append(sec.model_copy(update=update))
        diagnostics = diagnostics.model_copy(update={"sections": sections})
    steps = [st.model_copy(update={"caption": CAPTIONS[language].format(n=i + 1)})
             for i, st in enumerate(report.steps)]
    attachments = [a.model_copy(update={"size": len(files[a.file])}) for a in report.attachments]
    report = report.model_copy(update={
        "locale": language, "title": title, "answers": answers, "steps": steps,
        "attachments": attachments,
        "category_label": CATEGORIES.get(language, report.category_label)})
    bundle = Bundle(report=report, diagnostics=diagnostics, files=files)
    return render_html(bundle), ticket_text(report, diagnostics)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "documents"
    out.mkdir(parents=True, exist_ok=True)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    for language in WORDS:
        html, body = documents(language)
        (out / f"{language}-ticket-body.txt").write_text(body, encoding="utf-8")
        if browser is None:
            print("chromium is missing: only the ticket bodies were written", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "report.html"
            page.write_text(html, encoding="utf-8")
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", "--window-size=1000,2200",
                            f"--screenshot={out / f'{language}-report-html.png'}",
                            page.as_uri()], check=True, capture_output=True, timeout=120)
        print(f"{language}: {out / f'{language}-report-html.png'}, "
              f"{out / f'{language}-ticket-body.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
