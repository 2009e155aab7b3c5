"""Issue 13 §8: no secret leaves in diagnostics — measured on a corpus of planted secrets.

The corpus (tests/security/data/redaction_corpus.jsonl, built by redaction_corpus.py) holds
secrets and personal data by category and context, and innocent strings that must stay as they
are. A part of it, split once by template with a fixed seed, was never looked at while tuning
the redactor; its figures are reported separately by redaction_figures.py.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from diagnostics.redact import PII_KINDS, Redactor
from tests.security import redaction_corpus
from tests.security.redaction_eval import KNOWN_HOSTS, KNOWN_USERS, evaluate, load, rate

ITEMS = load()
MAX_FALSE_POSITIVES = 0.03


def _ids(kind: str) -> list[dict[str, object]]:
    return [i for i in ITEMS if i["kind"] == kind]


def test_corpus_file_is_what_its_generator_builds() -> None:
    # the held-out split stays fixed only if nobody edits the file by hand
    assert redaction_corpus.build() == ITEMS, "run python -m tests.security.redaction_corpus"


def test_corpus_covers_the_issue() -> None:
    kinds = Counter(str(i["kind"]) for i in ITEMS)
    assert kinds["secret"] >= 150 and kinds["pii"] >= 50 and kinds["innocent"] >= 100
    contexts = {str(i["context"]) for i in ITEMS if i["kind"] != "innocent"}
    assert {"log", "env", "argv", "ini", "yaml", "json", "url", "ru", "uk"} <= contexts
    pii = {str(i["category"]) for i in _ids("pii")}
    assert {"card_number", "iban", "phone", "national_id", "hostname"} <= pii
    for split in ("tune", "holdout"):
        assert any(i["split"] == split and i["kind"] == "secret" for i in ITEMS)
        assert any(i["split"] == split and i["kind"] == "innocent" for i in ITEMS)


@pytest.mark.parametrize("item", _ids("secret"), ids=lambda i: str(i["id"]))
def test_no_corpus_secret_survives(item: dict[str, object]) -> None:
    text = str(item["text"])
    out, counts = Redactor().text(text)
    left = [s for s in item["secrets"] if str(s) in out]  # type: ignore[attr-defined]
    assert not left, f"{item['category']}/{item['context']}: {out!r}"
    assert sum(counts.values()) >= 1


@pytest.mark.parametrize("item", _ids("pii"), ids=lambda i: str(i["id"]))
def test_no_corpus_personal_data_survives_when_policy_asks(item: dict[str, object]) -> None:
    r = Redactor(PII_KINDS, known_hosts=KNOWN_HOSTS, known_users=KNOWN_USERS)
    out, _ = r.text(str(item["text"]))
    left = [s for s in item["secrets"] if str(s) in out]  # type: ignore[attr-defined]
    assert not left, f"{item['category']}/{item['context']}: {out!r}"


@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_false_positives_on_innocent_strings_at_most_3_percent(split: str) -> None:
    tallies = evaluate([i for i in ITEMS if i["split"] == split])
    fp = rate(tallies, "innocent", split)
    changed = [e for (_, k, _), t in tallies.items() if k == "innocent" for e in t.examples]
    assert fp <= MAX_FALSE_POSITIVES, "\n".join(changed)


def _long_log(seed: int, lines: int) -> tuple[str, list[dict[str, object]]]:
    """Corpus items shuffled between ordinary log lines: the by-line path of long texts."""
    rng = random.Random(seed)
    filler = [str(i["text"]) for i in _ids("innocent")]
    picked: list[dict[str, object]] = []
    out: list[str] = []
    for _ in range(lines):
        if rng.random() < 0.3:
            item = rng.choice(ITEMS)
            picked.append(item)
            out.append(str(item["text"]))
        else:
            out.append(rng.choice(filler))
    return "\n".join(out), picked


def test_a_long_log_loses_the_same_secrets_as_its_lines() -> None:
    text, picked = _long_log(1, 3000)
    assert len(text) > 50_000  # far past the size redacted as one piece
    out, _ = Redactor(PII_KINDS, known_hosts=KNOWN_HOSTS, known_users=KNOWN_USERS).text(text)
    survived = [str(s) for i in picked if i["kind"] != "innocent"
                for s in i["secrets"] if str(s) in out]  # type: ignore[attr-defined]
    assert not survived
    kept = [str(i["text"]) for i in _ids("innocent") if "\n" not in str(i["text"])]
    lines = set(out.split("\n"))
    assert sum(t in lines for t in kept) >= 0.97 * len(kept)


def test_redaction_speed_is_reasonable() -> None:
    # 2 MB of log at no less than 0.5 MB/s even on a loaded CI machine (measured: ~4.5 MB/s)
    text, _ = _long_log(2, 25_000)
    text = (text + "\n") * max(1, 2_000_000 // len(text))
    t = time.perf_counter()
    Redactor().text(text)
    mb_per_s = len(text.encode()) / 1e6 / (time.perf_counter() - t)
    assert mb_per_s >= 0.5, f"{mb_per_s:.2f} MB/s"

