"""Cooperation quality and data protection of transitions: trend and findings.

* ``COOPERATION_FALLING`` – the newest assessment of a transition's cooperation quality
  (up to the as-of date) is lower than the one before;
* ``HANDOVER_WITHOUT_BASIS`` – information about a family passes at the hand-over (a
  contact or documents) without a stated basis (written consent,
  Schweigepflichtentbindung, § 4 KKG, § 8a SGB VIII, another law).

Like every hand-off rule, only transitions whose source runs on the date count.

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("kreis-unna")
>>> [(f.code, f.ids[0]) for f in quality_findings(net, dt.date(2026, 11, 22))]
... # doctest: +NORMALIZE_WHITESPACE
[('HANDOVER_WITHOUT_BASIS', 'selm-kita-grundschule'),
 ('COOPERATION_FALLING', 'selm-kita-grundschule')]
>>> [(p.level, p.on.year) for p in trend(net, "selm-kita-grundschule")]
[(3, 2024), (3, 2025), (2, 2026)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph.cooperation import LEVELS, CooperationAssessment, DataTransfer, LegalBasis, history
from graph.model import Transition
from graph.network import Network
from lotsen import texts
from lotsen.findings import Finding
from lotsen.handoffs import transition_label
from lotsen.index import get_index

__all__ = ["BASIS_LABELS", "TRANSFER_LABELS", "assessed", "cooperation_label",
           "data_protection_label", "quality_findings", "trend"]

TRANSFER_LABELS = {DataTransfer.NOTHING: "nichts", DataTransfer.CONTACT: "Kontaktdaten",
                   DataTransfer.DOCUMENTS: "Unterlagen"}
BASIS_LABELS = {LegalBasis.WRITTEN_CONSENT: "schriftliche Einwilligung",
                LegalBasis.CONFIDENTIALITY_WAIVER: "Schweigepflichtentbindung",
                LegalBasis.KKG_4: "§ 4 KKG", LegalBasis.SGB8_8A: "§ 8a SGB VIII",
                LegalBasis.OTHER_LAW: "andere gesetzliche Grundlage"}


def trend(net: Network, transition: str,
          as_of: dt.date | None = None) -> list[CooperationAssessment]:
    """The cooperation assessments of a transition up to ``as_of``, oldest first."""
    t = net.get("transitions", transition)
    assert isinstance(t, Transition)
    return history(t.cooperation, as_of)


def cooperation_label(a: CooperationAssessment) -> str:
    """„Stufe 3 „Vernetzt“ (01.03.2026, Netzwerkkoordination)“."""
    return f"Stufe {a.level} „{LEVELS[a.level].name}“ ({a.on:%d.%m.%Y}, {a.by})"


def data_protection_label(passes: DataTransfer, basis: Iterable[LegalBasis]) -> str:
    """„Unterlagen · Grundlage: schriftliche Einwilligung“ (for tables and tooltips)."""
    names = [BASIS_LABELS[b] for b in basis]
    if passes is DataTransfer.NOTHING:
        return TRANSFER_LABELS[passes]
    return (f"{TRANSFER_LABELS[passes]} · Grundlage: {', '.join(names)}" if names
            else f"{TRANSFER_LABELS[passes]} · ohne Grundlage")


def assessed(net: Network) -> tuple[str, ...]:
    """Ids of the transitions with cooperation assessments or data-protection entries
    (collected with the analysis index, once per network)."""
    return tuple(get_index(net).assessed)


def quality_findings(net: Network, as_of: dt.date | None = None,
                     quarters: Iterable[str] | None = None) -> list[Finding]:
    """The findings above for the transitions of the given quarters (default: all)."""
    day = as_of or dt.date.today()
    idx = get_index(net)
    wanted = {net.find_quarter(q).id for q in quarters} if quarters is not None else None
    inactive = idx.inactive_on(day)
    found: list[Finding] = []
    for tid in assessed(net):
        t = net.transition_index[tid]
        in_quarters = idx.quarters_of_transition.get(t.id, ())
        if t.source in inactive or (wanted is not None and not wanted.intersection(
                in_quarters)):
            continue
        label = transition_label(idx, t.id)
        dp = t.data_protection
        if dp is not None and not dp.has_basis:
            found.append(Finding.make(
                "HANDOVER_WITHOUT_BASIS", (t.id,), in_quarters,
                texts.WITHOUT_BASIS.format(transition=label,
                                           what=TRANSFER_LABELS[dp.passes]),
                texts.WITHOUT_BASIS_NEXT))
        done = history(t.cooperation, day)
        if len(done) >= 2 and done[-1].level < done[-2].level:
            found.append(Finding.make(
                "COOPERATION_FALLING", (t.id,), in_quarters,
                texts.COOPERATION_FALLING.format(
                    transition=label, before=cooperation_label(done[-2]),
                    now=cooperation_label(done[-1])),
                texts.COOPERATION_FALLING_NEXT))
    return found
