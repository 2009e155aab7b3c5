"""Policy enforced again at send time, on every bundle, whoever built it.

The report window obeys policy while the report is made; a bundle made by hand (or by an older
Flare, or edited in the outbox) never went through that window. So before anything is sent,
the bundle is held against the same settings: no screenshots when ``capture.enabled`` is off,
no attachments when ``form.allow_attachments`` is off, and no personal data of the kinds
``diagnostics.redact`` removes left in the diagnostics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.errors import EXIT_CONFIG, FlareError
from app.helpdesk.delivery_bundle import DeliveryBundle
from app.i18n import current

# Finds personal data in a JSON-like value: how many of each kind (email, ip, ...).
FindPersonalData = Callable[[Any], Counter[str]]
# The same for the kinds given first: what the composition root hands the helpdesk layer (the
# redactor is diagnostics', a sibling this layer does not import).
PersonalDataFinder = Callable[[Sequence[str], Any], Counter[str]]


@dataclass(frozen=True)
class SendPolicy:
    screenshots: bool = True
    attachments: bool = True
    redact: frozenset[str] = frozenset()
    find: FindPersonalData | None = None

    @classmethod
    def from_settings(cls, get: Callable[[str], Any],
                      find: FindPersonalData | None) -> SendPolicy:
        return cls(screenshots=bool(get("capture.enabled")),
                   attachments=bool(get("form.allow_attachments")),
                   redact=frozenset(get("diagnostics.redact") or ()), find=find)

    def __call__(self, bundle: DeliveryBundle) -> None:
        report = bundle.report
        if report.steps and not self.screenshots:
            raise _refused(current().ntr(
                "it holds {n} screenshot, but screenshots are turned off here ({setting})",
                "it holds {n} screenshots, but screenshots are turned off here ({setting})",
                n=len(report.steps), setting="capture.enabled: false"))
        if report.attachments and not self.attachments:
            raise _refused(current().ntr(
                "it holds {n} attached file, but attachments are not allowed here ({setting})",
                "it holds {n} attached files, but attachments are not allowed here ({setting})",
                n=len(report.attachments), setting="form.allow_attachments: false"))
        if self.redact and self.find is not None:
            # What the collectors' redaction covers: their data, summaries, findings and
            # errors (titles and names are Flare's or the administrator's own words).
            # The texts in support's language are sent too: they are looked at as well.
            found = self.find([{"data": s.data, "summary": s.summary, "error": s.error,
                                "findings": [f.message for f in s.findings],
                                "translations": [t.model_dump() for t in
                                                 s.translations.values()]}
                               for s in bundle.diagnostics.sections])
            left = sorted(k for k in self.redact if found.get(k))
            if left:
                raise _refused(current().tr(
                    "its diagnostics still hold personal data that policy removes ({kinds}; "
                    "{setting})", kinds=", ".join(left), setting="diagnostics.redact"))


def _refused(why: str) -> FlareError:
    return FlareError(current().tr("this report was not sent: {why}. Make the report again "
                                   "with Flare so it follows the settings", why=why),
                      EXIT_CONFIG)
