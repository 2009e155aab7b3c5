"""The guided problem form: definitions as data, the answer rules, quality, priority, subject.

Pure Python (no Qt). Typical use::

    from app.form import default_form, load_form, FormState, check_text
    state = FormState(default_form(), language="ru", clock=ctx.clock)
    state.set_category("email")
    state.set_answer("what_happened", "Outlook не отправляет письма с вложениями больше 10 МБ")
    issues = state.validate()            # blocks and hints, messages in Russian
    state.can_submit(ctx.settings.get("form.min_quality"))
    fields = state.to_report_fields()    # form_id, category, answers, title, priority, …

Forms live in resources/forms/default.yaml (policy ``form.file`` may point at another one, which
may ``extends: default``); the answer rules in resources/forms/rules.yaml and the words without
information behind the vague-answer judge in resources/forms/words/; messages in
resources/forms/messages.yaml. The judge's dictionaries load on the first check; ``prepare()``
loads them earlier (call it in a worker thread when the report window opens) and ``release()``
lets them go when the window closes.
"""

from typing import TYPE_CHECKING, Any

from app.form.loader import FormError, Problem, check_form, default_form, load_form
from app.form.model import Category, Condition, Form, Option, Question
from app.form.state import FormState, Issue, Quality
from app.form.when import When

if TYPE_CHECKING:
    from app.form.check import check_text, prepare
    from app.form.rules import Finding, RuleSet, analyse_vague, builtin_rules, release


def __getattr__(name: str) -> Any:
    # The answer rules and the judge behind them load on first use (PEP 562): the report
    # window opens with the form and its categories, and checks the first answer later.
    if name in ("check_text", "prepare"):
        from app.form import check

        return getattr(check, name)
    if name in ("Finding", "RuleSet", "analyse_vague", "builtin_rules", "release"):
        from app.form import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Category",
    "Condition",
    "Finding",
    "Form",
    "FormError",
    "FormState",
    "Issue",
    "Option",
    "Problem",
    "Quality",
    "Question",
    "RuleSet",
    "When",
    "analyse_vague",
    "builtin_rules",
    "check_form",
    "check_text",
    "default_form",
    "load_form",
    "prepare",
    "release",
]
