"""Journey (b): a person in Russian fills the form with the mouse, scrolling with the wheel.

The wheel passes over closed drop-downs on its way down the form: the page scrolls and no
answer changes. Choices are made by clicking the drop-down and then the option.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.atspi import Node
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

PROGRAM = "1С:Бухгалтерия 8.3"
TRYING = "Провести платёжное поручение № 154 от 1 декабря, как обычно."
HAPPENED = ("Нажимаю «Провести», и 1С пишет «Нет связи с сервером 1С:Предприятия», "
            "документ не проводится.")
EXPECTED = "Документ проводится, и в журнале у него стоит зелёная галочка."


def _question(p: Person, text: str) -> Node:
    """The input of the question whose label starts with ``text``."""
    def match(nodes: list[Node]) -> Node | None:
        for n in nodes:
            if n.role in (atspi.ROLE_TEXT, atspi.ROLE_COMBO_BOX, atspi.ROLE_RADIO_BUTTON) and (
                    n.name.startswith(text)
                    or any(lbl.startswith(text) for lbl in p.atspi.labels(n))):
                return n
        return None

    return p.screen.wait(match, describe=f"the question {text!r}")


def _scroll_to(p: Person, text: str, area: Node) -> Node:
    """Wheel down over the form (the pointer wherever it is) until the question shows whole."""
    for _ in range(30):
        area = _viewport(p)  # it grows and shrinks as messages come and go
        _, top, _, height = area.extents
        node = _question(p, text)
        y = node.centre[1]
        if top + 10 <= y <= top + height - 10:
            return node
        p.wheel(1 if y > top else -1)
    p.d.screenshot("never-in-view")
    raise AssertionError(f"the wheel never brought {text!r} into view: {node} in {area}")


def _viewport(p: Person) -> Node:
    """The part of the scrolling form that is on the screen: the smallest panel that starts
    where the page starts (Qt shows the scroll area and its viewport as plain fillers)."""
    nodes = p.screen.nodes()
    page_top = next(n for n in nodes if n.role == atspi.ROLE_LAYERED_PANE).extents[1]
    fillers = [n for n in nodes if n.role == atspi.ROLE_FILLER and n.extents[1] == page_top]
    return min(fillers, key=lambda n: n.extents[3])


def _choose(p: Person, combo: Node, option: str) -> None:
    p.click(combo)
    # Options are numbered ("2. Иногда"): the number picks one from the keyboard.
    item = p.screen.wait(lambda ns: next((n for n in ns if n.name.partition(". ")[2] == option
                                          and n.name.partition(". ")[0].isdigit()), None),
                         timeout_s=5, describe=f"the option {option!r}")
    p.d.screenshot("open-" + option[:12])
    p.click(item)


def test_mouse_and_wheel_in_russian(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "b-mouse-ru", language="ru", layout="us,ru") as d:
        write_settings(d.home, {"reports.folder": str(out), "general.language": "ru",
                                "reporter.email": "olga@example.org"})
        # The error on the screen, for the screenshot of it (xmessage draws Latin only).
        d.start(["xmessage", "-title", "1С:Предприятие", "-center",
                 "1C:Enterprise: no connection to the server"], "1c")
        d.wait_window("1С:Предприятие")
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Сообщить о проблеме")
        p = Person(d)
        try:
            s = p.screen
            category = s.find(atspi.ROLE_LIST_ITEM, "Ошибка в программе")
            d.screenshot("category")
            p.double_click(category)  # and on
            s.find(atspi.ROLE_LABEL, "Расскажите, что случилось")
            d.screenshot("questions")
            area = _viewport(p)
            for text, answer in (("Какая программа или сайт?", PROGRAM),
                                 ("Что вы пытались сделать?", TRYING),
                                 ("Что произошло?", HAPPENED),
                                 ("Что вы ожидали увидеть?", EXPECTED)):
                field = _scroll_to(p, text, area)
                p.click(field)
                p.d.run("xdotool", "key", "ctrl+a")
                p.type(answer)
                assert p.atspi.text(_question(p, text)) == answer
                if text == "Какая программа или сайт?":
                    # Enter after a one-line answer goes on to the next question, not the page.
                    p.key("Return")
                    focused = p.screen.focused()
                    assert focused.path == _question(p, "Что вы пытались сделать?").path, focused
                    s.find(atspi.ROLE_LABEL, "Расскажите, что случилось")
            d.screenshot("typed")
            # "Ошибка в программе" already says an error was seen: not asked. Its screenshot
            # is, with the button under the error's text.
            assert not [n for n in s.nodes() if n.name == "Вы видели сообщение об ошибке?"]
            _scroll_to(p, "Текст сообщения об ошибке", area)
            for _ in range(10):
                button = s.find(atspi.ROLE_PUSH_BUTTON, "Скриншот с ошибкой")
                _, top, _, height = _viewport(p).extents
                if top + 10 <= button.centre[1] <= top + height - 10:
                    break
                p.wheel(1)
            p.click(button)
            s.find(atspi.ROLE_LABEL, "Скриншот приложен.", timeout_s=20)
            # Down the whole form with the wheel, the pointer resting on a closed drop-down.
            combo = _scroll_to(p, "Такое уже случалось?", area)
            p.move(*combo.centre)
            for _ in range(12):
                p.wheel(1)
            d.screenshot("scrolled")
            after = _question(p, "Такое уже случалось?")
            assert after.name == combo.name, f"the wheel changed an answer: {after.name}"
            assert after.extents[1] < combo.extents[1], "the wheel did not scroll the page"
            for text, option in (("Такое уже случалось?", "Иногда"),
                                 ("Вы перезапускали", "Да, не помогло"),
                                 ("Кого затронула проблема?", "Только меня"),
                                 ("Насколько это мешает работать?", "Это замедляет работу")):
                _choose(p, _scroll_to(p, text, area), option)
            d.screenshot("answered")
            # The report holds its screenshot and the diagnostics ask nothing: both pages are
            # passed by.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Далее"))
            s.find(atspi.ROLE_LABEL, contains="сохранит обращение в папку", timeout_s=30)
            d.screenshot("review")
            # Back shows what was collected; Next returns to the review.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Назад"))
            s.find(atspi.ROLE_LABEL, "Диагностика")
            d.screenshot("diagnostics")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Далее"))
            s.find(atspi.ROLE_LABEL, contains="сохранит обращение в папку", timeout_s=30)
            # The screenshots are one click away from the review.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Изменить скриншоты…"))
            s.find(atspi.ROLE_LABEL, "Скриншоты")
            d.screenshot("screenshots")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Далее"))
            s.find(atspi.ROLE_LABEL, contains="сохранит обращение в папку", timeout_s=30)
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Отправить"))
            s.find(atspi.ROLE_LABEL, "Спасибо", timeout_s=30)
            d.screenshot("sent")
        finally:
            p.close()
    report = wait_for_bundle(out)
    answers = {a["question_id"]: a["value"] for a in report["answers"]}
    assert answers["application"] == PROGRAM
    assert answers["trying_to_do"] == TRYING
    assert answers["what_happened"] == HAPPENED
    assert answers["expected"] == EXPECTED
    assert answers["impact"] == "me" and answers["urgency"] == "slowed"
    assert answers["first_time"] == "sometimes"
    assert answers["error_seen"] is True and report["steps"]
