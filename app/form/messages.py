"""The messages the answer rules show, kept as translatable data in resources/forms/messages.yaml.

A form may override any message under its own ``messages:`` key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

import resources
from app.form.texts import LocalText, pick


class Message(BaseModel):
    """One rule message: what is missing, and an example of a good answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message: LocalText
    example: LocalText | None = None


Messages = dict[str, Message]


class _SafeDict(dict[str, Any]):
    """Leaves unknown ``{placeholders}`` as they are instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: dict[str, Any]) -> str:
    return template.format_map(_SafeDict(values))


def render(
    messages: Messages, key: str, language: str, **values: Any
) -> tuple[str, str]:
    """The message ``key`` in ``language``, placeholders filled: ``(message, example)``."""
    msg = messages.get(key) or messages.get("fallback")
    if msg is None:
        return key, ""
    return fill(pick(msg.message, language), values), fill(pick(msg.example, language), values)


def read_messages_text(text: str) -> Messages:
    import yaml  # here: the report window's first page shows no message, and loads no YAML

    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(k): Message.model_validate(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def builtin_messages() -> Messages:
    """The messages shipped in resources/forms/messages.yaml (read once; never modified)."""
    path = resources.file("forms", "messages.yaml")
    return read_messages_text(path.read_text(encoding="utf-8"))
