"""Journey: support reads another language than the person (policy support.language). A
Ukrainian person's report is read by Russian support, a Russian person's by Ukrainian
support: the review page says so in the person's language and shows the report as sent, in
support's language, the diagnostics sections included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_policy, write_settings
from tests.journey.steps import tab_to, type_into_focus, wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

# What each person sees and types, in their own language; the words support reads.
CASES = {
    "uk": {
        "support": "ru", "layout": "us,ua", "window": "Повідомити про проблему",
        "category": "Помилка в програмі", "next": "Далі", "questions": "Розкажіть",
        "program": ("Яка програма чи сайт?", "M.E.Doc"),
        "texts": (("Що ви намагалися зробити?",
                   "Відправити звіт до податкової через M.E.Doc, як щомісяця."),
                  ("Що сталося?", "Натискаю «Надіслати», і M.E.Doc пише «Помилка 0x12: "
                                  "сертифікат не знайдено»."),
                  ("Що ви очікували побачити?",
                   "Звіт надсилається, і в журналі зʼявляється квитанція № 1."),
                  ("Текст повідомлення про помилку", "Помилка 0x12: сертифікат не знайдено.")),
        "choices": (("Таке вже траплялося?", 2), ("Ви перезапускали", 1),
                    ("Кого зачепила проблема?", 1), ("Наскільки це заважає", 2)),
        "review": "Перевірте, що буде надіслано",
        "note": "Служба підтримки читає російською, тому звернення нижче складено "
                "російською",
        "sent": "Дякуємо",
        # Support's words in report.html: Russian labels and a diagnostics section title.
        # Support's words in report.html: Russian labels, a diagnostics section title, the
        # category and a question of the form.
        "support_words": ("Обращение Flare", "Время работы и последняя перезагрузка",
                          "Ошибка в программе", "Какая программа или сайт?"),
        "reporter_words": ("Час роботи і останнє перезавантаження", "Яка програма чи сайт?"),
    },
    "ru": {
        "support": "uk", "layout": "us,ru", "window": "Сообщить о проблеме",
        "category": "Ошибка в программе", "next": "Далее", "questions": "Расскажите",
        "program": ("Какая программа или сайт?", "1С:Бухгалтерия 8.3"),
        "texts": (("Что вы пытались сделать?",
                   "Провести платёжное поручение № 154 от 1 декабря, как обычно."),
                  ("Что произошло?", "Нажимаю «Провести», и 1С пишет «Нет связи с сервером "
                                     "1С:Предприятия», документ не проводится."),
                  ("Что вы ожидали увидеть?",
                   "Документ проводится, и в журнале у него стоит зелёная галочка."),
                  ("Текст сообщения об ошибке", "Нет связи с сервером 1С:Предприятия.")),
        "choices": (("Такое уже случалось?", 2), ("Вы перезапускали", 1),
                    ("Кого затронула проблема?", 1), ("Насколько это мешает работать?", 2)),
        "review": "Проверьте, что будет отправлено",
        "note": "Служба поддержки читает по-украински, поэтому обращение ниже составлено "
                "на украинском",
        "sent": "Спасибо",
        "support_words": ("Звернення Flare", "Час роботи і останнє перезавантаження",
                          "Помилка в програмі", "Яка програма чи сайт?"),
        "reporter_words": ("Время работы и последняя перезагрузка", "Какая программа или сайт?"),
    },
}


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_support_reads_another_language(tmp_path: Path, language: str) -> None:
    case = CASES[language]
    out = tmp_path / "reports"
    with desktop(tmp_path, f"support-language-{language}", language=language,
                 layout=str(case["layout"])) as d:
        write_settings(d.home, {"reports.folder": str(out), "general.language": language,
                                "reporter.email": "person@example.org"})
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {
            "support.language": case["support"]}))
        d.start([*flare_command(), "report"], "flare")
        d.wait_window(str(case["window"]))
        p = Person(d)
        try:
            s = p.screen
            p.click(s.find(atspi.ROLE_LIST_ITEM, str(case["category"])))
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, str(case["next"])))
            s.find(atspi.ROLE_LABEL, contains=str(case["questions"]))
            question, program = case["program"]
            p.click(s.find(atspi.ROLE_TEXT, question))
            d.run("xdotool", "key", "ctrl+a")
            p.type(program)
            for name, text in case["texts"]:  # type: ignore[attr-defined]
                tab_to(p, name)
                type_into_focus(p, d, text, name[:12])
            for name, downs in case["choices"]:  # type: ignore[attr-defined]
                tab_to(p, name)
                p.key(*["Down"] * downs)
            d.screenshot("answered")
            # Next past the screenshots page (the report goes without one) and the
            # diagnostics, which ask nothing, to the review.
            for _ in range(3):
                p.key("ctrl+Return")
                try:
                    s.find(atspi.ROLE_LABEL, str(case["review"]), timeout_s=20)
                    break
                except AssertionError:
                    d.screenshot("before-review")
            s.find(atspi.ROLE_LABEL, str(case["review"]), timeout_s=30)
            s.find(atspi.ROLE_LABEL, contains=str(case["note"]), timeout_s=30)
            d.screenshot("review")
            p.key("ctrl+Return")  # Send
            s.find(atspi.ROLE_LABEL, str(case["sent"]), timeout_s=30)
            d.screenshot("sent")
        finally:
            p.close()
    report = wait_for_bundle(out)
    assert (report["locale"], report["support_locale"]) == (language, case["support"])
    # report.json keeps the questions as the person saw them, and support's beside them.
    program = next(a for a in report["answers"] if a["question_id"] == "application")
    assert program["question"] == case["reporter_words"][1]
    assert report["translations"][case["support"]]["answers"]["application"]["question"] == \
        case["support_words"][3]
    [folder] = [f.parent for f in out.glob("*/report.json")]
    html = (folder / "report.html").read_text(encoding="utf-8")
    for word in case["support_words"]:
        assert word in html, word
    for word in case["reporter_words"]:
        assert word not in html, word
    diagnostics = json.loads((folder / "diagnostics.json").read_text(encoding="utf-8"))
    assert diagnostics["schema_version"] == 2
    uptime = next(s for s in diagnostics["sections"] if s["name"] == "uptime")
    assert uptime["title"] == case["reporter_words"][0]
    assert uptime["translations"][case["support"]]["title"] == case["support_words"][1]
