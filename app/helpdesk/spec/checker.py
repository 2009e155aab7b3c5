"""The checker a connector spec goes through (:func:`app.helpdesk.spec.model.check_spec`): the
problems found so far, the names declared, and which values the steps of an operation extract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.helpdesk.errors import SpecError
from app.helpdesk.spec.template import Expr, Literal, template_parts
from app.i18n import N_, current


@dataclass
class _Flow:
    """Which values the steps of one operation extract, and which exist at a given step."""

    vars_at: dict[str, int] = field(default_factory=dict)  # var -> index of its step
    loop_vars: dict[str, str] = field(default_factory=dict)  # var -> loop step extracting it
    steps_at: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    now: int = 1 << 30  # the index of the step being checked (the result: after all)

    @classmethod
    def of(cls, steps: Any) -> _Flow:
        flow = cls()
        for i, step in enumerate(steps if isinstance(steps, list) else []):
            if not isinstance(step, dict):
                continue
            name = step.get("name")
            if isinstance(name, str):
                flow.steps_at.setdefault(name, i)
                flow.names.append(name)
            extract = step.get("extract")
            for var in extract if isinstance(extract, dict) else {}:
                if "for_each" in step:
                    flow.loop_vars.setdefault(str(var), str(name))
                else:
                    flow.vars_at.setdefault(str(var), i)
        return flow


# Fields of the names whose shape Flare fixes (a misspelled field is always a mistake).
_FIELDS = {
    "text": {"subject", "body", "marker", "comment", "comment_marker"},
    "ticket": {"id", "number", "url"},
    "reporter": {"email"},
    "spec": {"name", "title"},
    "error": {"status", "message"},
}


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.params: set[str] = set()
        self.secrets: set[str] = set()
        self.maps: set[str] = set()
        self.flow: _Flow | None = None
        # What the session login steps of any auth alternative extract (session.*).
        self.session_vars: set[str] = set()

    def reference(self, parts: tuple[str, ...], where: str) -> None:
        """A name a template reads: declared, extracted by some step, and before its use."""
        head, rest = parts[0], parts[1:]
        if not rest:
            return
        name = rest[0]
        if head == "params" and name not in self.params:
            self.fail(where, N_("params.{name} is not declared under params: (declared: "
                                "{declared})"), name=name, declared=_listed(self.params))
        elif head == "secret" and name not in self.secrets:
            self.fail(where, N_("secret.{name} is not declared under secrets: (declared: "
                                "{declared})"), name=name, declared=_listed(self.secrets))
        elif head == "session" and name not in self.session_vars:
            self.fail(where, N_("no session login step extracts session.{name} (extracted: "
                                "{extracted})"), name=name, extracted=_listed(self.session_vars))
        elif head in _FIELDS and name not in _FIELDS[head]:
            self.fail(where, N_("{head}.{name} does not exist; {head} has {fields}"),
                      head=head, name=name, fields=", ".join(sorted(_FIELDS[head])))
        elif head in ("vars", "steps") and self.flow is not None:
            flow = self.flow
            if head == "vars" and name not in flow.vars_at:
                if name in flow.loop_vars:
                    self.fail(where, N_("vars.{name} is extracted by the loop step '{step}', "
                                        "once per item: use steps.{step} (a list)"),
                              name=name, step=flow.loop_vars[name])
                else:
                    self.fail(where, N_("no step extracts vars.{name} (extracted here: "
                                        "{extracted})"), name=name,
                              extracted=_listed(flow.vars_at))
            elif head == "vars" and flow.vars_at[name] >= flow.now:
                self.fail(where, N_("vars.{name} is used before the step that extracts it "
                                    "('{step}')"), name=name, step=flow.names[flow.vars_at[name]])
            elif head == "steps" and name not in flow.steps_at:
                self.fail(where, N_("there is no step '{name}' (steps: {steps})"), name=name,
                          steps=", ".join(flow.names) or current().tr("none"))
            elif head == "steps" and flow.steps_at[name] >= flow.now:
                self.fail(where, N_("steps.{name} is used before that step has run"), name=name)

    def fail(self, where: str, message: str, /, **fields: object) -> None:
        """``message`` is an N_() text: IT staff read the problems in their own language (the
        spec's keys and names stay as written)."""
        self.problems.append(f"{self.source}: {where}: {current().tr(message, **fields)}")

    def failed(self, where: str, text: str) -> None:
        """A problem already in words (another checker's, e.g. the template parser's)."""
        self.problems.append(f"{self.source}: {where}: {text}")

    def mapping(self, value: Any, where: str, required: bool = False) -> dict[str, Any]:
        if value is None:
            if required:
                self.fail(where, N_("is required"))
            return {}
        if not isinstance(value, dict):
            self.fail(where, N_("must be a mapping, not {kind}"), kind=type(value).__name__)
            return {}
        return value

    def keys(self, value: dict[str, Any], allowed: set[str], where: str) -> None:
        for k in value:
            if k not in allowed:
                self.fail(f"{where}.{k}" if where else str(k),
                          N_("unknown key; expected one of {keys}"),
                          keys=", ".join(sorted(allowed)))

    def templates(self, value: Any, where: str, scope: set[str]) -> None:
        """Parse every template in a tree and check the names it uses exist in ``scope``."""
        if isinstance(value, str):
            try:
                parts = template_parts(value)
            except SpecError as exc:
                self.failed(where, str(exc))
                return
            for p in parts:
                if isinstance(p, Expr):
                    for path in p.paths():
                        if path.parts[0] not in scope:
                            self.fail(where, N_("unknown name '{name}'; available here: "
                                                "{names}"), name=path.parts[0],
                                      names=", ".join(sorted(scope)))
                        else:
                            self.reference(path.parts, where)
                    for fname, args in p.filters:
                        if (fname == "map" and args and isinstance(args[0], Literal)
                                and str(args[0].value) not in self.maps):
                            self.fail(where, N_("there is no map '{name}' under maps: (maps: "
                                                "{maps})"), name=args[0].value,
                                      maps=_listed(self.maps))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.templates(v, f"{where}[{i}]", scope)
        elif isinstance(value, dict):
            if "$for" in value:
                clause = value["$for"]
                if not isinstance(clause, str) or " in " not in clause:
                    self.fail(where, N_("$for must read 'name in path'"))
                    return
                var, seq = (s.strip() for s in clause.split(" in ", 1))
                self.templates(seq if "{{" in seq else "{{" + seq + "}}", f"{where}.$for", scope)
                extra = set(value) - {"$for", "$do"}
                if extra:
                    self.fail(where, N_("$for takes only $do, not {keys}"),
                              keys=", ".join(sorted(extra)))
                self.templates(value.get("$do"), f"{where}.$do", scope | {var})
                return
            if "$if" in value:
                extra = set(value) - {"$if", "$then", "$else"}
                if extra:
                    self.fail(where, N_("$if takes only $then/$else, not {keys}"),
                              keys=", ".join(sorted(extra)))
            for k, v in value.items():
                self.templates(v, f"{where}.{k}", scope)


def _listed(names: Any) -> str:
    """The names declared or extracted, or «none» in the reader's language."""
    return ", ".join(sorted(str(n) for n in names)) or current().tr("none")
