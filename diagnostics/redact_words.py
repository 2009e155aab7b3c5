"""The tunable word lists of the redactor (resources/redaction/words.yaml), loaded once.

Kept out of the code so support staff can add a word without a release; the loader checks the
shape so a bad edit fails with one line naming the file and the key, not deep inside a regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

import resources

_KEYS = (
    "secret_suffixes", "secret_words", "secret_names", "secret_words_cyrillic",
    "not_secret_last", "not_secret_key_owner", "host_tlds", "text_words",
)


@dataclass(frozen=True)
class Words:
    secret_suffixes: tuple[str, ...]
    secret_words: frozenset[str]
    secret_names: frozenset[str]
    cyrillic: re.Pattern[str]  # one alternation over the Cyrillic secret words, whole word
    not_secret_last: frozenset[str]
    not_secret_key_owner: frozenset[str]
    host_tlds: frozenset[str]
    text_words: tuple[str, ...]
    cyrillic_words: tuple[str, ...]  # the Cyrillic patterns, for running text


def parse(text: str, source: str = "resources/redaction/words.yaml") -> Words:
    """Build :class:`Words` from the YAML text; ValueError with one line when it is malformed."""
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: expected a mapping of word lists")
    lists: dict[str, list[str]] = {}
    for key in _KEYS:
        value = raw.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"{source}: '{key}' must be a list of non-empty strings")
        lists[key] = [v.lower() for v in value]
    try:
        cyr = re.compile(
            r"(?:^|_)(?:" + "|".join(lists["secret_words_cyrillic"]) + r")(?:_|$)"
        )
    except re.error as e:
        raise ValueError(f"{source}: 'secret_words_cyrillic' has a bad pattern: {e}") from None
    return Words(
        secret_suffixes=tuple(lists["secret_suffixes"]),
        secret_words=frozenset(lists["secret_words"]),
        secret_names=frozenset(lists["secret_names"]),
        cyrillic=cyr,
        not_secret_last=frozenset(lists["not_secret_last"]),
        not_secret_key_owner=frozenset(lists["not_secret_key_owner"]),
        host_tlds=frozenset(lists["host_tlds"]),
        text_words=tuple(lists["text_words"]),
        cyrillic_words=tuple(lists["secret_words_cyrillic"]),
    )


@cache
def words() -> Words:
    path = resources.file("redaction", "words.yaml")
    return parse(path.read_text("utf-8"))
