"""The line a step says about itself: "Left click on 'Send' (button) in 'Quarterly report –
Message' (Outlook)", "Typed into 'Password' (password field)".

The words go through the front end's translator (``tr``), so the line is in the reporter's
language; every English text used here is in :data:`MESSAGES`, which a test holds to the
Russian and Ukrainian catalogs. What was typed is never part of it: only where.
"""

from __future__ import annotations

from typing import Any, Protocol

from capture.a11y import Element


class Translate(Protocol):
    def __call__(self, text: str, /, **fields: Any) -> str: ...


def plain(text: str, /, **fields: Any) -> str:
    """No translation (English): the terminal's ``flare record``."""
    return text.format(**fields) if fields else text


# AtspiRole number -> how a person calls it. Roles not listed use AT-SPI's own English name.
ROLE_WORDS: dict[int, str] = {
    2: "alert",
    7: "check box",
    8: "check menu item",
    11: "drop-down list",
    16: "dialog",
    23: "window",
    27: "image",
    29: "label",
    31: "list",
    32: "list item",
    33: "menu",
    34: "menu bar",
    35: "menu item",
    37: "tab",
    38: "tab list",
    40: "password field",
    41: "menu",
    43: "button",
    44: "radio button",
    45: "radio menu item",
    48: "scroll bar",
    51: "slider",
    52: "spin box",
    55: "table",
    56: "table cell",
    61: "text field",
    62: "toggle button",
    63: "toolbar",
    65: "tree",
    69: "window",
    73: "paragraph",
    79: "text field",
    82: "document",
    88: "link",
}

BUTTONS = {1: "Left click", 2: "Middle click", 3: "Right click"}

ON_IN_APP = "{click} on '{name}' ({role}) in '{window}' ({app})"
ON_IN = "{click} on '{name}' ({role}) in '{window}'"
ROLE_IN_APP = "{click} on a {role} in '{window}' ({app})"
IN_APP = "{click} in '{window}' ({app})"
IN_WINDOW = "{click} in '{window}'"
AT_POINT = "{click} at ({x}, {y})"
TYPED_APP = "Typed into '{name}' ({role}) in '{window}' ({app})"
TYPED = "Typed into '{name}' ({role})"
TYPED_ROLE = "Typed into a {role} in '{window}' ({app})"
TYPED_WINDOW = "Typed in '{window}' ({app})"
TYPED_SOMEWHERE = "Typed on the keyboard"
ERROR_SHOWN = "Error message in '{window}' ({how}): {text}"
HOW_WORDS = ("read from the accessibility tree", "read from the screen by text recognition")

MESSAGES: tuple[str, ...] = (
    *ROLE_WORDS.values(), *BUTTONS.values(), ON_IN_APP, ON_IN, ROLE_IN_APP, IN_APP, IN_WINDOW,
    AT_POINT, TYPED_APP, TYPED, TYPED_ROLE, TYPED_WINDOW, TYPED_SOMEWHERE, ERROR_SHOWN,
    *HOW_WORDS,
)


def role_word(element: Element, tr: Translate = plain) -> str:
    word = ROLE_WORDS.get(element.role)
    return tr(word) if word else element.role_name


def describe_click(
    button: int,
    x: int,
    y: int,
    element: Element | None,
    window: str | None,
    program: str | None,
    tr: Translate = plain,
) -> str:
    """The step line for a click; ``window``/``program`` are the X window's, for when the
    accessibility tree says nothing."""
    click = tr(BUTTONS.get(button, BUTTONS[1]))
    win = (element.window if element and element.window else window) or ""
    app = (element.application if element and element.application else program) or ""
    if element is not None and element.name and win:
        fields = {"click": click, "name": element.name, "role": role_word(element, tr),
                  "window": win}
        return tr(ON_IN_APP, app=app, **fields) if app else tr(ON_IN, **fields)
    if element is not None and win and app and element.role in ROLE_WORDS:
        return tr(ROLE_IN_APP, click=click, role=role_word(element, tr), window=win, app=app)
    if win:
        return tr(IN_APP, click=click, window=win, app=app) if app else tr(
            IN_WINDOW, click=click, window=win)
    return tr(AT_POINT, click=click, x=x, y=y)


def describe_typing(element: Element | None, window: str | None, program: str | None,
                    tr: Translate = plain) -> str:
    """The step line for typing: where, never what."""
    win = (element.window if element and element.window else window) or ""
    app = (element.application if element and element.application else program) or ""
    if element is not None and element.name:
        role = role_word(element, tr)
        if win and app:
            return tr(TYPED_APP, name=element.name, role=role, window=win, app=app)
        return tr(TYPED, name=element.name, role=role)
    if element is not None and win and app:
        return tr(TYPED_ROLE, role=role_word(element, tr), window=win, app=app)
    if win and app:
        return tr(TYPED_WINDOW, window=win, app=app)
    return tr(TYPED_SOMEWHERE)
