"""The one-time split of the labelled answers into a tuning half and a held-out half.

Run once (issue 14), before the judge was written or tuned, as
``python tests/data/form_answers/split.py SOURCE``: every (language, kind, label) cell of SOURCE
was shuffled with ``random.Random(SEED)`` and its first half (rounded up) went to tuning.yaml,
the rest to heldout.yaml. The source file was then deleted: the two halves are the corpus from
now on. The script refuses to overwrite them, so the split cannot be redone by accident; new
answers go into tuning.yaml by hand (or into a new held-out file written before anyone looks at
how the judge does on it).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import yaml

SEED = 20250514
HERE = Path(__file__).parent
HEADER = """\
# {title} half of the labelled answers for the vague-answer judge (issue 14).
# Split once from one corpus with random.Random({seed}), per language, kind and label; see
# split.py. {rule}
# Each item: lang (en/ru/uk), kind (the question kind the answer was written for), label
# (vague: the form must ask for more; specific: the form must let it through), text.
"""
RULES = {
    "tuning": "Rules and word lists may be changed to get these right.",
    "heldout": "NEVER change a rule or a word list because of an item here: this half only "
               "measures\n# how the judge does on answers it was not tuned on.",
}


def main(source: Path) -> None:
    out = {name: HERE / f"{name}.yaml" for name in RULES}
    if any(p.exists() for p in out.values()):
        sys.exit("the corpus is already split; the split is done once")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    halves: dict[str, list[dict[str, str]]] = {name: [] for name in RULES}
    for lang in sorted(data):
        for kind in data[lang]:
            for label in ("vague", "specific"):
                items = list(data[lang][kind][label])
                rng.shuffle(items)
                cut = (len(items) + 1) // 2
                for i, text in enumerate(items):
                    half = "tuning" if i < cut else "heldout"
                    halves[half].append({"lang": lang, "kind": kind, "label": label,
                                         "text": text})
    for name, items in halves.items():
        body = "".join(
            f"- {{lang: {i['lang']}, kind: {i['kind']}, label: {i['label']}, "
            f"text: {json.dumps(i['text'], ensure_ascii=False)}}}\n"
            for i in items
        )
        out[name].write_text(HEADER.format(title=name.capitalize().replace("Heldout", "Held-out"),
                                           seed=SEED, rule=RULES[name]) + body,
                             encoding="utf-8")
        print(f"{out[name].name}: {len(items)} answers")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
