"""Journey (c): in Ukrainian, a person records three steps from the tray, stops, and the
report goes on at the category and the questions with the steps in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import tab_to, tray_menu, type_into_focus, wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

PROGRAM = "M.E.Doc"
TRYING = "Відправити звіт до податкової через M.E.Doc, як щомісяця."
HAPPENED = "Натискаю «Надіслати», і M.E.Doc пише «Помилка 0x12: сертифікат не знайдено»."
EXPECTED = "Звіт надсилається, і в журналі з’являється квитанція № 1."
ERROR = "Помилка 0x12: сертифікат не знайдено."


def test_three_recorded_steps_then_the_questions(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "c-recording-uk", language="uk", layout="us,ua", tray=True) as d:
        write_settings(d.home, {"reports.folder": str(out), "general.language": "uk",
                                "reporter.email": "taras@example.org", "capture.hotkey": ""})
        d.start(["xmessage", "-title", "M.E.Doc", "-center", "Помилка 0x12"], "medoc")
        d.start([*flare_command()], "flare")
        p = Person(d)
        try:
            s = p.screen
            tray_menu(p, d, 3, "Записати крок")
            d.screenshot("recording")
            for n in range(1, 4):
                p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Записати крок", timeout_s=10))
                s.find(atspi.ROLE_LABEL, contains=f"Крок {n} з", timeout_s=15)
                d.screenshot(f"step-{n}")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Зупинити запис"))
            # The report continues where it needs the person: the category.
            s.find(atspi.ROLE_LIST, timeout_s=20)
            d.screenshot("after-stop")
            p.click(s.find(atspi.ROLE_LIST_ITEM, "Помилка в програмі"))
            d.screenshot("category")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Далі"))
            s.find(atspi.ROLE_LABEL, contains="Розкажіть")
            p.click(s.find(atspi.ROLE_TEXT, "Яка програма чи сайт?"))
            d.run("xdotool", "key", "ctrl+a")
            p.type(PROGRAM)
            for name, text in (("Що ви намагалися зробити?", TRYING),
                               ("Що сталося?", HAPPENED),
                               ("Що ви очікували побачити?", EXPECTED)):
                tab_to(p, name)
                type_into_focus(p, d, text, name[:12])
            # "Помилка в програмі" already says an error was seen: not asked; its text is.
            assert not [n for n in s.nodes() if n.name == "Ви бачили повідомлення про помилку?"]
            tab_to(p, "Текст повідомлення про помилку")
            type_into_focus(p, d, ERROR, "error-text")
            for name, downs in (("Таке вже траплялося?", 2), ("Ви перезапускали", 1),
                                ("Кого зачепила проблема?", 1), ("Наскільки це заважає", 2)):
                tab_to(p, name)
                p.key(*["Down"] * downs)
            d.screenshot("answered")
            # The report holds the steps and the diagnostics ask nothing: Next goes on to the
            # review, which leads back to the steps in one click.
            p.key("ctrl+Return")
            s.find(atspi.ROLE_LABEL, "Перевірте, що буде надіслано", timeout_s=30)
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Змінити знімки екрана…"))
            s.find(atspi.ROLE_LABEL, "Знімки екрана")
            assert len([n for n in s.nodes() if n.role == atspi.ROLE_LIST_ITEM]) == 3
            d.screenshot("screenshots")
            p.key("ctrl+Return")  # the diagnostics page asks nothing: Next passes it by
            s.find(atspi.ROLE_LABEL, "Перевірте, що буде надіслано", timeout_s=30)
            d.screenshot("review")
            # Back shows what was collected; Next returns to the review.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Назад"))
            s.find(atspi.ROLE_LABEL, "Діагностика")
            d.screenshot("diagnostics")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Далі"))
            s.find(atspi.ROLE_LABEL, "Перевірте, що буде надіслано", timeout_s=30)
            p.key("ctrl+Return")  # Send
            s.find(atspi.ROLE_LABEL, "Дякуємо", timeout_s=30)
            d.screenshot("sent")
        finally:
            p.close()
    report = wait_for_bundle(out)
    steps = report["steps"]
    assert [s["source"] for s in steps] == ["step"] * 3
    assert [s["image"].split(".")[0] for s in steps] == ["step-001", "step-002", "step-003"]
    answers = {a["question_id"]: a["value"] for a in report["answers"]}
    assert answers["application"] == PROGRAM
    assert (answers["trying_to_do"], answers["what_happened"], answers["expected"]) == (
        TRYING, HAPPENED, EXPECTED)
    assert answers["error_seen"] is True and answers["error_text"] == ERROR
