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
from app.i18n import current


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    form = sub.add_parser("form", help=t.tr("check or show a problem form definition"))
    fsub = form.add_subparsers(dest="form_command", metavar="ACTION", required=True)

    check = fsub.add_parser("check", help=t.tr("validate a form file (file:line:col messages)"))
    check.add_argument("file", type=Path)
    check.add_argument("--strict", action="store_true",
                       help=t.tr("treat warnings (e.g. a missing translation) as problems"))
    check.set_defaults(func=cmd_check)

    show = fsub.add_parser("show", help=t.tr("print the categories and questions of a form"))
    show.add_argument("file", type=Path, nargs="?",
                      help=t.tr("a form file (default: the form policy sets, else the "
                                "built-in one)"))
    show.add_argument("--lang", default=t.language,
                      help=t.tr("language to show (default: {language})", language=t.language))
    show.set_defaults(func=cmd_show)

    text = fsub.add_parser("check-text",
                           help=t.tr("run the answer rules on one text, as the form would"))
    text.add_argument("text")
    text.add_argument("--kind", default="what_happened",
                      help=t.tr("question kind or id of the built-in form ({kinds}); "
                                "default: what_happened", kinds=", ".join(sorted(CHECKS_BY_KIND))))
    text.add_argument("--lang", default=t.language,
                      help=t.tr("language of the messages (default: {language})",
                                language=t.language))
    text.set_defaults(func=cmd_check_text)


def cmd_check(args: argparse.Namespace, ctx: AppContext) -> int:
    t = current()
    path: Path = args.file
    if not path.exists():
        raise FlareError(t.tr("form file not found: {path}; check the path", path=path),
                         EXIT_USAGE)
    form, problems = check_form(path)
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    errors_text = t.ntr("{n} error", "{n} errors", n=errors)
    warnings_text = t.ntr("{n} warning", "{n} warnings", n=warnings)
    if form is None or errors:
        print(t.tr("{path}: {errors}, {warnings}; the form cannot be used", path=path,
                   errors=errors_text, warnings=warnings_text))
        return EXIT_PROBLEMS
    n_questions = sum(len(c.question_ids()) for c in form.categories)
    print(t.tr("{path}: OK — {categories}, {questions}, {warnings}", path=path,
               categories=t.ntr("{n} category", "{n} categories", n=len(form.categories)),
               questions=t.ntr("{n} question asked", "{n} questions asked", n=n_questions),
               warnings=warnings_text))
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
        raise FlareError(current().tr("cannot show the form: {error}; run 'flare form check "
                                      "{path}'", error=exc, path=path)) from None


def _describe_question(q: Question, lang: str) -> list[str]:
    t = current()
    flags: list[str] = [q.type]
    flags.append(t.tr("required") if q.required else t.tr("optional"))
    if q.allow_dont_know:
        flags.append(t.tr("\"I don't know\" allowed"))
    if q.role:
        flags.append(t.tr("role {role}", role=q.role))
    lines = [f"    - {q.id}: {pick(q.text, lang)}  [{', '.join(flags)}]"]
    if q.show_if is not None:
        c = q.show_if
        shown = ("yes" if c.equals else "no") if isinstance(c.equals, bool) else c.equals
        test = (f"= {shown}" if c.equals is not None else
                t.tr("in {values}", values=c.in_) if c.in_ is not None else
                t.tr("is answered") if c.answered else t.tr("is not answered"))
        lines.append("        " + t.tr("shown if {question} {test}", question=c.question,
                                      test=test))
    for o in q.options:
        lines.append(f"        · {o.id}: {pick(o.label, lang)}")
    if q.type == "number" and (q.min is not None or q.max is not None):
        unit = f" {pick(q.unit, lang)}" if q.unit is not None else ""
        lines.append(f"        {t.tr('range')} {q.min if q.min is not None else '…'}.."
                     f"{q.max if q.max is not None else '…'}{unit}")
    if q.help is not None:
        lines.append(f"        {t.tr('help:')} {pick(q.help, lang)}")
    return lines


def cmd_show(args: argparse.Namespace, ctx: AppContext) -> int:
    form = _form_for_show(args, ctx)
    lang: str = args.lang
    title = pick(form.title, lang) or form.id
    print(f"{title}  " + current().tr("(form '{id}' v{version}; languages: {languages})",
                                      id=form.id, version=form.version,
                                      languages=", ".join(form.languages)))
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
    t = current()
    findings = check_text(args.kind, args.text, args.lang)
    analysis = analyse_vague(args.text, args.kind, language=args.lang, explain=True)
    print(t.tr("tokens:  {words}", words=" ".join(analysis.tokens)))
    print(t.tr("matched: {words}", words=" ".join(analysis.matched) or "-")
          + (t.tr("  (group {group})", group=analysis.group) if analysis.group else ""))
    print(t.tr("content: {words}", words=" ".join(analysis.content) or "-"))
    j = analysis.judgement
    if j is not None:
        read = t.tr("; read as {reading}: {text}", reading=j.read_as,
                    text=j.text) if j.read_as else ""
        pieces = ", ".join(f"{p.text} {t.number(p.weight)}" for p in j.pieces) or t.tr(
            "nothing")
        print(t.tr("weight:  {score} ({pieces}); vague at {limit} or less", score=t.number(
            j.score), pieces=pieces, limit=t.number(analysis.limit)) + read)
    if analysis.shape:
        print(t.tr("shape:   vague all the same: {shape}", shape=analysis.shape))
    for f in findings:
        print(f"{f.severity}: {f.code}: {f.message}"
              + (t.tr("  Example: {example}", example=f.example) if f.example else ""))
    if not findings:
        print(t.tr("ok: no findings"))
    return EXIT_PROBLEMS if findings else EXIT_OK
