"""`flare form check|show|check-text`: tools for IT staff who write forms and tune the rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.context import AppContext
from app.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, FlareError
from app.form.check import check_text
from app.form.loader import FormError, builtin_form, check_form, load_form
from app.form.model import Form, Question
from app.form.rules import CHECKS_BY_KIND, analyse_vague
from app.form.texts import pick


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    form = sub.add_parser("form", help="check or show a problem form definition")
    fsub = form.add_subparsers(dest="form_command", metavar="ACTION", required=True)

    check = fsub.add_parser("check", help="validate a form file (file:line:col messages)")
    check.add_argument("file", type=Path)
    check.add_argument("--strict", action="store_true",
                       help="treat warnings (e.g. a missing translation) as problems")
    check.set_defaults(func=cmd_check)

    show = fsub.add_parser("show", help="print the categories and questions of a form")
    show.add_argument("file", type=Path, nargs="?",
                      help="a form file (default: the form policy sets, else the built-in one)")
    show.add_argument("--lang", default="en", help="language to show (default: en)")
    show.set_defaults(func=cmd_show)

    text = fsub.add_parser("check-text",
                           help="run the answer rules on one text, as the form would")
    text.add_argument("text")
    text.add_argument("--kind", default="what_happened",
                      help=f"question kind or id of the built-in form "
                           f"({', '.join(sorted(CHECKS_BY_KIND))}); default: what_happened")
    text.add_argument("--lang", default="en", help="language of the messages (default: en)")
    text.set_defaults(func=cmd_check_text)


def cmd_check(args: argparse.Namespace, ctx: AppContext) -> int:
    path: Path = args.file
    if not path.exists():
        raise FlareError(f"form file not found: {path}; check the path", EXIT_USAGE)
    form, problems = check_form(path)
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if form is None or errors:
        print(f"{path}: {errors} error(s), {warnings} warning(s); the form cannot be used")
        return EXIT_PROBLEMS
    n_questions = sum(len(c.question_ids()) for c in form.categories)
    print(f"{path}: OK — {len(form.categories)} categories, {n_questions} questions asked, "
          f"{warnings} warning(s)")
    return EXIT_PROBLEMS if (warnings and args.strict) else EXIT_OK


def _form_for_show(args: argparse.Namespace, ctx: AppContext) -> Form:
    path: Path | None = args.file
    if path is None:
        configured = ctx.settings.get("form.file")
        path = Path(str(configured)).expanduser() if configured else None
    if path is None:
        return builtin_form()
    try:
        return load_form(path)
    except FormError as exc:
        raise FlareError(f"cannot show the form: {exc}; run 'flare form check {path}'") from None


def _describe_question(q: Question, lang: str) -> list[str]:
    flags: list[str] = [q.type]
    flags.append("required" if q.required else "optional")
    if q.allow_dont_know:
        flags.append("\"I don't know\" allowed")
    if q.role:
        flags.append(f"role {q.role}")
    lines = [f"    - {q.id}: {pick(q.text, lang)}  [{', '.join(flags)}]"]
    if q.show_if is not None:
        c = q.show_if
        shown = ("yes" if c.equals else "no") if isinstance(c.equals, bool) else c.equals
        test = (f"= {shown}" if c.equals is not None else
                f"in {c.in_}" if c.in_ is not None else
                "is answered" if c.answered else "is not answered")
        lines.append(f"        shown if {c.question} {test}")
    for o in q.options:
        lines.append(f"        · {o.id}: {pick(o.label, lang)}")
    if q.type == "number" and (q.min is not None or q.max is not None):
        unit = f" {pick(q.unit, lang)}" if q.unit is not None else ""
        lines.append(f"        range {q.min if q.min is not None else '…'}.."
                     f"{q.max if q.max is not None else '…'}{unit}")
    if q.help is not None:
        lines.append(f"        help: {pick(q.help, lang)}")
    return lines


def cmd_show(args: argparse.Namespace, ctx: AppContext) -> int:
    form = _form_for_show(args, ctx)
    lang: str = args.lang
    title = pick(form.title, lang) or form.id
    print(f"{title}  (form '{form.id}' v{form.version}; languages: {', '.join(form.languages)})")
    for cat in form.categories:
        print(f"\n[{cat.id}] {pick(cat.label, lang)}")
        if cat.description is not None:
            print(f"    {pick(cat.description, lang)}")
        for qid in cat.question_ids():
            for line in _describe_question(form.question(qid), lang):
                print(line)
            if qid in cat.answers:
                given = cat.answers[qid]
                shown = ("yes" if given else "no") if isinstance(given, bool) else given
                print(f"        not asked: the category answers {shown}")
    return EXIT_OK


def cmd_check_text(args: argparse.Namespace, ctx: AppContext) -> int:
    findings = check_text(args.kind, args.text, args.lang)
    analysis = analyse_vague(args.text, args.kind, language=args.lang, explain=True)
    print(f"tokens:  {' '.join(analysis.tokens)}")
    print(f"matched: {' '.join(analysis.matched) or '-'}"
          + (f"  (group {analysis.group})" if analysis.group else ""))
    print(f"content: {' '.join(analysis.content) or '-'}")
    j = analysis.judgement
    if j is not None:
        read = f"; read as {j.read_as}: {j.text}" if j.read_as else ""
        pieces = ", ".join(f"{p.text} {p.weight:g}" for p in j.pieces) or "nothing"
        print(f"weight:  {j.score:g} ({pieces}); vague at {analysis.limit:g} or less{read}")
    for f in findings:
        print(f"{f.severity}: {f.code}: {f.message}"
              + (f"  Example: {f.example}" if f.example else ""))
    if not findings:
        print("ok: no findings")
    return EXIT_PROBLEMS if findings else EXIT_OK
