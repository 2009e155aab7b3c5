"""The line a step says about itself: "Left click on 'Send' (button) in 'Quarterly report –
Message' (Outlook)", "Typed into 'Password' (password field)".

The words go through the front end's translator (``tr``), so the line is in the reporter's
language; every English text used here is in :data:`MESSAGES`, which a test holds to the
Russian and Ukrainian catalogs. What was typed is never part of it: only where.
"""

from __future__ import annotations

from typing import Any, Protocol

from app.i18n import N_
from capture.a11y import Element


class Translate(Protocol):
    def __call__(self, text: str, /, **fields: Any) -> str: ...


def plain(text: str, /, **fields: Any) -> str:
    """No translation (English): the terminal's ``flare record``."""
    return text.format(**fields) if fields else text


# AtspiRole number -> how a person calls it. Roles not listed use AT-SPI's own English name.
ROLE_WORDS: dict[int, str] = {
    2: N_("alert"),
    7: N_("check box"),
    8: N_("check menu item"),
    11: N_("drop-down list"),
    16: N_("dialog"),
    23: N_("window"),
    27: N_("image"),
    29: N_("label"),
    31: N_("list"),
    32: N_("list item"),
    33: N_("menu"),
    34: N_("menu bar"),
    35: N_("menu item"),
    37: N_("tab"),
    38: N_("tab list"),
    40: N_("password field"),
    41: N_("menu"),
    43: N_("button"),
    44: N_("radio button"),
    45: N_("radio menu item"),
    48: N_("scroll bar"),
    51: N_("slider"),
    52: N_("spin box"),
    55: N_("table"),
    56: N_("table cell"),
    61: N_("text field"),
    62: N_("toggle button"),
    63: N_("toolbar"),
    65: N_("tree"),
    69: N_("window"),
    73: N_("paragraph"),
    79: N_("text field"),
    82: N_("document"),
    88: N_("link"),
}

BUTTONS = {1: N_("Left click"), 2: N_("Middle click"), 3: N_("Right click")}

ON_IN_APP = N_("{click} on '{name}' ({role}) in '{window}' ({app})")
ON_IN = N_("{click} on '{name}' ({role}) in '{window}'")
ROLE_IN_APP = N_("{click} on a {role} in '{window}' ({app})")
IN_APP = N_("{click} in '{window}' ({app})")
IN_WINDOW = N_("{click} in '{window}'")
AT_POINT = N_("{click} at ({x}, {y})")
TYPED_APP = N_("Typed into '{name}' ({role}) in '{window}' ({app})")
TYPED = N_("Typed into '{name}' ({role})")
TYPED_ROLE = N_("Typed into a {role} in '{window}' ({app})")
TYPED_WINDOW = N_("Typed in '{window}' ({app})")
TYPED_SOMEWHERE = N_("Typed on the keyboard")
ERROR_SHOWN = N_("Error message in '{window}' ({how}): {text}")
HOW_WORDS = (N_("read from the accessibility tree"), N_("read from the screen by text recognition"))

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
