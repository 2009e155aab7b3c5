"""report.html: self-contained, escaped, ordered for a one-minute read."""

from __future__ import annotations

from html.parser import HTMLParser

from app.bundle import Bundle
from app.render.html import render_html
from app.report import Answer, Attachment
from tests.factories import sample_report

EVIL = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _render(**changes: object) -> str:
    report, files, diagnostics = sample_report()
    report = report.model_copy(update=changes)
    return render_html(Bundle(report=report, diagnostics=diagnostics, files=files))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(html)
    return parser.tags


def test_no_external_assets_and_no_script() -> None:
    html = _render()
    for tag, attrs in _tags(html):
        assert tag not in ("script", "link", "iframe", "object", "embed")
        for key in ("src", "href"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith("data:") or value.startswith("#"), (tag, value[:40])


def test_images_are_inlined_in_time_order() -> None:
    report, files, diagnostics = sample_report(steps=3)
    shuffled = list(reversed(report.steps))
    html = render_html(
        Bundle(
            report=report.model_copy(update={"steps": shuffled}),
            diagnostics=diagnostics,
            files=files,
        )
    )
    imgs = [a for t, a in _tags(html) if t == "img"]
    assert len(imgs) == 3
    alts = [a["alt"] or "" for a in imgs]
    assert alts == sorted(alts)  # Step 1, Step 2, Step 3 in capture order
    assert "09:30:05" in alts[0] and "09:30:45" in alts[2]
    assert all((a["src"] or "").startswith("data:image/png;base64,") for a in imgs)


def test_user_text_is_escaped_everywhere() -> None:
    report, _, _ = sample_report()
    html = _render(
        title=EVIL,
        answers=[Answer(question_id="q", question=EVIL, value=EVIL, display=EVIL)],
        attachments=[
            a.model_copy(update={"name": EVIL, "description": EVIL}) for a in report.attachments
        ],
    )
    tags = [t for t, _ in _tags(html)]
    assert "script" not in tags
    assert all(not (a.get("onerror")) for _, a in _tags(html))
    assert html.count("&lt;script&gt;") >= 4


def test_header_answers_then_steps_then_diagnostics_with_findings_first() -> None:
    html = _render()
    order = [html.index(s) for s in ('id="facts"', 'id="answers"', 'id="steps"', 'id="findings"')]
    assert order == sorted(order)
    assert "High priority" in html
    assert "restart recommended: up 23 days" in html
    # abnormal sections come before normal ones in the collapsible list
    assert html.index('id="diag-uptime"') < html.index('id="diag-os"')
    assert html.index('id="diag-vpn"') < html.index('id="diag-os"')
    assert "I don&#x27;t know" in html
    assert "UTC+0200" in html  # the reporter's own offset is kept


def test_attachment_listed_with_size() -> None:
    report, files, diagnostics = sample_report()
    att = Attachment(file="attachments/outlook.log", name="outlook.log", media_type="text/plain")
    html = render_html(
        Bundle(
            report=report.model_copy(update={"attachments": [att]}),
            diagnostics=diagnostics,
            files=files,
        )
    )
    assert "outlook.log" in html and "40 bytes" in html


def test_page_speaks_the_reporters_language() -> None:
    html = _render(locale="uk")
    assert '<html lang="uk">' in html
    assert "Високий пріоритет" in html and "Знімки екрана (2)" in html and "Крок 1" in html
    assert "High priority" not in html and "Screenshots" not in html


def test_a_right_to_left_override_in_an_answer_cannot_reorder_the_page() -> None:
    from app.render.html import escape

    assert "\u202e" not in escape("invoice\u202efdp.exe")
    assert escape("<b>") == "&lt;b&gt;"


def _poison(model: object) -> object:
    """The model with markup in every text field the model accepts it in (ids, names of
    files and fixed words refuse it), found by walking its JSON: a field added later is
    covered without anyone remembering to add it here."""
    from pydantic import BaseModel, ValidationError

    assert isinstance(model, BaseModel)
    cls = type(model)
    data = model.model_dump(mode="json")

    def leaves(node: object, path: tuple[object, ...]) -> list[tuple[object, ...]]:
        if isinstance(node, dict):
            return [p for k, v in node.items() for p in leaves(v, (*path, k))]
        if isinstance(node, list):
            return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))]
        return [path] if isinstance(node, str) else []

    for path in leaves(data, ()):
        parent: object = data
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        old = parent[path[-1]]  # type: ignore[index]
        parent[path[-1]] = EVIL  # type: ignore[index]
        try:
            cls.model_validate(data)
        except ValidationError:
            parent[path[-1]] = old  # type: ignore[index]
    return cls.model_validate(data)


def test_markup_in_any_text_field_never_becomes_markup() -> None:
    """The page is built with hand-placed escape() calls (docs/architecture.md says why, not
    a template engine): this is what keeps every one of them in place."""
    report, files, diagnostics = sample_report()
    report = report.model_copy(update={"add_to_ticket": "t-1", "affected_incidents": ["i-1"]})
    evil_report = _poison(report)
    evil_diag = _poison(diagnostics)
    poisoned = evil_report.model_dump_json().count("pwned")  # type: ignore[attr-defined]
    assert poisoned >= 10, "the walk found the text fields"
    html = render_html(Bundle(report=evil_report, diagnostics=evil_diag,  # type: ignore[arg-type]
                              files=files))
    tags = _tags(html)
    assert "script" not in [t for t, _ in tags]
    assert all(not a.get("onerror") for _, a in tags)
    assert [a.get("src", "")[:5] for t, a in tags if t == "img"] == ["data:"] * len(
        [t for t, _ in tags if t == "img"])


def test_a_steps_description_is_shown_escaped_and_in_the_image_text() -> None:
    report, _, _ = sample_report()
    said = "Left click on 'Send <now>' (button) in 'Mail' (Outlook)"
    steps = [report.steps[0].model_copy(update={"description": said, "caption": ""}),
             *report.steps[1:]]
    html = _render(steps=steps)
    escaped = "Left click on &#x27;Send &lt;now&gt;&#x27; (button) in &#x27;Mail&#x27; (Outlook)"
    assert f'<div class="step-description">{escaped}</div>' in html
    alts = [a.get("alt") or "" for t, a in _tags(html) if t == "img"]
    assert alts[0].endswith(": " + said)
    assert html.count('class="step-description"') == 1, "only the step that has one"
