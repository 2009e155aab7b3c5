"""Vague-answer judge benchmarks: latency per check and what the dictionaries cost in memory.

    python bench/form.py [--runs 200] [--accuracy] [--corpus FILE ...]

* latency of one ``check_text`` (CPU time and wall clock, median and p99) for short answers
  (the labelled answers, up to 12 words) and long ones (several sentences, 50-90 words): the
  first time the judge sees their words, misspelt (a letter in twelve changed: most words
  unknown to the dictionary, the slowest case), warm (checked again), and as the window does it,
  once per keystroke while a long answer is typed;
* the first check's cost: loading the dictionaries and building the word tables;
* memory: RSS of the idle tray app without the dictionaries (as it starts) and with them
  (after a report was checked), on a private Xvfb with trayer as tray host when both are
  installed; otherwise the same two figures for a process that imports what the tray imports;
* ``--accuracy``: the figures per language and kind on both halves of the labelled answers;
* ``--corpus FILE``: the same figures, and every miss, on any labelled file of the same format
  (a YAML list of ``{lang, kind, label, text}``, label ``vague`` or ``specific``), e.g. answers
  written by someone who never saw the judge; with only ``--corpus``, nothing else is run.

Goals (issue 14): p99 <= 5 ms per check; the idle tray does not load the dictionaries. The
machine is shared: run it when it is quiet, and trust CPU time over wall clock.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.proc import stop_process  # noqa: E402

TRAY = r"""
import sys
if sys.argv[1] == "loaded":
    from app.form import prepare
    prepare()
from app.context import AppContext
from app.ui.app import run_tray_app
run_tray_app(AppContext.from_environment(), [])
"""

IMPORTS = r"""
import sys
from pathlib import Path
import app.cli, app.ui.app, app.flow
from app.form import FormState, default_form
FormState(default_form(), "ru").set_category("email")
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
before = rss()
from app.form import prepare
prepare()
print(before, rss())
"""

LONG_EN = [
    "Since the update on Monday Outlook keeps freezing for about 30 seconds whenever I open a",
    "shared calendar, and after that the mail with attachments over 10 MB stays in the Outbox.",
    "I tried restarting the laptop twice and running Outlook in safe mode, same thing. The web",
    "version works fine. It also shows 'Trying to connect' in the status bar for a few minutes.",
    "Colleagues on the 3rd floor say theirs is fine, so it may be my profile. Please help, I",
    "need to send the monthly report to finance by Friday.",
]
LONG_RU = [
    "После обновления в понедельник 1С при проведении документов зависает примерно на минуту,",
    "а потом выдаёт ошибку «Нет связи с сервером». Перезагружал компьютер два раза, заходил под",
    "другим пользователем — то же самое. У коллег из бухгалтерии на втором этаже всё нормально,",
    "у них та же версия. Сеть вроде работает, почта приходит, сайты открываются. Помогите,",
    "пожалуйста, до пятницы нужно сдать отчёт в налоговую, а провести накладные не получается.",
]
LONG_UK = [
    "Після оновлення в понеділок M.E.Doc під час відправлення звітів зависає приблизно на",
    "хвилину, а потім пише «Ключ не знайдено на носії». Флешку з ключем перевставляла двічі,",
    "перезавантажувала комп'ютер — те саме. У колег у бухгалтерії на другому поверсі все",
    "нормально. Інтернет працює, пошта приходить. Допоможіть, будь ласка, до п'ятниці треба",
    "здати звіт у податкову.",
]


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * q))]


def _forget() -> None:
    """Empty every memory the judge keeps of words it has seen."""
    from app.form.judge import forget_words
    from app.form.lexicon import latin_key, morphology
    from app.form.normalize import word_matches
    from app.form.rules import builtin_rules, lexicon_of

    lexicon_of(builtin_rules()).memo.clear()
    morphology().forget()
    forget_words()
    latin_key.cache_clear()
    word_matches.cache_clear()


def _time(texts: list[tuple[str, str, str]], forget: bool = False
          ) -> tuple[list[float], list[float]]:
    from app.form import check_text

    cpu, wall = [], []
    for kind, text, lang in texts:
        if forget:
            _forget()
        t0, c0 = time.perf_counter(), time.thread_time()
        check_text(kind, text, lang)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    return cpu, wall


def _row(name: str, cpu: list[float], wall: list[float]) -> str:
    return (f"{name:<34} CPU median {_pct(cpu, 0.5):5.2f} ms, p99 {_pct(cpu, 0.99):5.2f} ms;"
            f"  wall median {_pct(wall, 0.5):5.2f} ms, p99 {_pct(wall, 0.99):5.2f} ms")


def _mutate(text: str, rng: random.Random) -> str:
    """The same answer with a few letters changed: words the judge has not seen yet."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 12)):
        i = rng.randrange(len(chars))
        if chars[i].isalpha():
            chars[i] = chars[i].swapcase() if rng.random() < 0.3 else rng.choice("аеиоуxyzkq")
    return "".join(chars)


def latency(runs: int) -> None:
    from app.form import prepare
    from tests.form_corpus import load

    t0 = time.perf_counter()
    prepare()
    print(f"first check (loads dictionaries, builds word tables): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    rng = random.Random(14)
    short = [(a.kind, a.text, a.lang) for half in ("tuning", "heldout") for a in load(half)
             if len(a.text.split()) <= 12]
    long = [("what_happened", " ".join(t), lang)
            for t, lang in ((LONG_EN, "en"), (LONG_RU, "ru"), (LONG_UK, "uk"))]
    cold_short = [(k, _mutate(t, rng), lang) for k, t, lang in short]
    cold_long = [(k, _mutate(t, rng), lang) for _ in range(max(1, runs // 10))
                 for k, t, lang in long]
    print(f"short answers: {len(short)} (up to 12 words); long answers: "
          f"{min(len(t.split()) for _, t, _ in long)}-{max(len(t.split()) for _, t, _ in long)} "
          "words")
    print(_row("short, first time (judge forgot all)", *_time(short, forget=True)))
    print(_row("short, misspelt (unknown words)", *_time(cold_short)))
    print(_row("short, warm (re-checked)", *_time(short * max(1, runs // 100))))
    print(_row("long, first time (judge forgot all)", *_time(long * 20, forget=True)))
    print(_row("long, misspelt (unknown words)", *_time(cold_long)))
    print(_row("long, warm (re-checked)", *_time(long * runs)))
    # As the person types: the answer re-checked after every keystroke.
    typed = [("what_happened", " ".join(LONG_RU)[:n], "ru")
             for n in range(5, len(" ".join(LONG_RU)), 3)]
    print(_row("typing a long answer, per keystroke", *_time(typed)))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory() -> None:
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    if shutil.which("Xvfb") and shutil.which("trayer"):
        display = 90 + os.getpid() % 50
        xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24",
                                 "-nolisten", "tcp", "-noreset"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        tray_host = None
        try:
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{display}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            env.update(DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
            tray_host = subprocess.Popen(["trayer"], env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(1)
            figures = {}
            with tempfile.TemporaryDirectory() as home:
                env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/c", XDG_STATE_HOME=f"{home}/s",
                           XDG_DATA_HOME=f"{home}/d", XDG_CACHE_HOME=f"{home}/ca")
                for mode in ("idle", "loaded"):
                    proc = subprocess.Popen([sys.executable, "-c", TRAY, mode], env=env,
                                            cwd=ROOT, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
                    try:
                        time.sleep(5)
                        figures[mode] = _rss_mb(proc.pid) if proc.poll() is None else float("nan")
                    finally:
                        stop_process(proc)
            print(f"idle tray app: {figures['idle']:.0f} MB RSS without the dictionaries (as it "
                  f"starts), {figures['loaded']:.0f} MB with them loaded "
                  f"(+{figures['loaded'] - figures['idle']:.0f} MB)")
        finally:
            if tray_host is not None:
                stop_process(tray_host)
            stop_process(xvfb)
        return
    out = subprocess.run([sys.executable, "-c", IMPORTS], cwd=ROOT, capture_output=True,
                         text=True, env={**env, "QT_QPA_PLATFORM": "offscreen"}, timeout=300)
    before, after = (float(x) for x in out.stdout.split())
    print(f"process with the tray's imports (no X server for the real tray): {before:.0f} MB "
          f"RSS without the dictionaries, {after:.0f} MB with them (+{after - before:.0f} MB)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--accuracy", action="store_true",
                        help="also print the figures on both halves of the labelled answers")
    parser.add_argument("--corpus", action="append", default=[], metavar="FILE",
                        help="print the figures and misses on this labelled file (repeatable)")
    parser.add_argument("--no-speed", action="store_true",
                        help="skip the latency and memory figures")
    args = parser.parse_args()
    from tests.form_corpus import evaluate

    for name in args.corpus:
        if not Path(name).is_file():
            print(f"bench/form.py: no such file: {name}", file=sys.stderr)
            return 2
        try:
            print(evaluate(Path(name)).report())
        except ValueError as exc:
            print(f"bench/form.py: {exc}", file=sys.stderr)
            return 2
    if not args.no_speed and not (args.corpus and not args.accuracy):
        latency(args.runs)
        memory()
    if args.accuracy:
        for half in ("tuning", "heldout"):
            print(evaluate(half).report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
