"""Runs the redactor over the corpus and counts, per split and category, what survived.

Secrets are redacted by a Redactor with no policy at all (secrets always go); personal data
and the innocent strings by one with every personal-data kind switched on, the strictest
setting, so a false positive shows up wherever it could.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from diagnostics.redact import PII_KINDS, Redactor

CORPUS = Path(__file__).parent / "data" / "redaction_corpus.jsonl"
KNOWN_HOSTS = ["ws-test-01"]
KNOWN_USERS = ["ivanov"]


def load(path: Path = CORPUS) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class Tally:
    total: int = 0
    bad: int = 0  # secrets or PII that survived; innocents that were changed
    examples: list[str] = field(default_factory=list)


def evaluate(items: list[dict[str, object]]) -> dict[tuple[str, str, str], Tally]:
    """(split, kind, category) -> Tally."""
    out: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    for item in items:
        kind, text = str(item["kind"]), str(item["text"])
        if kind == "secret":
            redacted, _ = Redactor().text(text)
        else:
            r = Redactor(PII_KINDS, known_hosts=KNOWN_HOSTS, known_users=KNOWN_USERS)
            redacted, _ = r.text(text)
        secrets = [str(s) for s in item["secrets"]]  # type: ignore[attr-defined]
        bad = (redacted != text) if kind == "innocent" else any(s in redacted for s in secrets)
        t = out[(str(item["split"]), kind, str(item["category"]))]
        t.total += 1
        if bad:
            t.bad += 1
            t.examples.append(f"{item['id']}: {text!r} -> {redacted!r}")
    return out


def rate(tallies: dict[tuple[str, str, str], Tally], kind: str, split: str | None = None) -> float:
    sel = [t for (s, k, _), t in tallies.items() if k == kind and split in (None, s)]
    total = sum(t.total for t in sel)
    return sum(t.bad for t in sel) / total if total else 0.0
