"""Priorities: which findings matter most.

The check gives every finding an estimate of the families affected per year
(``families``, see :mod:`lotsen.families`). The rank orders by severity weight × families
(weights kritisch 8, hoch 4, mittel 2, niedrig 1; unknown families count as 1), then by
severity and the usual order. :func:`top_findings` gives "Die wichtigsten Baustellen".

>>> import datetime as dt
>>> from seeds import load_seed
>>> top = top_findings(load_seed("brunnenstrasse"), as_of=dt.date(2026, 11, 22), n=3)
>>> [(f.rank, f.code, f.families) for f in top]
[(1, 'AGREEMENT_EXPIRED', 38), (2, 'LANGUAGE_BREAK', 64), (3, 'INFORMAL_ONLY', 50)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from graph.network import Network
from lotsen.check import check
from lotsen.families import estimate_families
from lotsen.findings import Finding, Severity
from lotsen.settings import AnalysisSettings

__all__ = ["TOP_TITLE", "estimate_families", "families_label", "families_phrase", "prioritise",
           "score", "top_findings"]

TOP_TITLE = "Die wichtigsten Baustellen"
_WEIGHT = {Severity.CRITICAL: 8, Severity.HIGH: 4, Severity.MEDIUM: 2, Severity.LOW: 1}


def score(finding: Finding) -> int:
    """Severity weight × families per year (unknown families count as 1)."""
    return _WEIGHT[finding.severity] * (finding.families if finding.families else 1)


def prioritise(findings: Iterable[Finding]) -> list[Finding]:
    """The findings ranked (``rank`` 1 = most important), most important first.

    >>> a = Finding.make("PEARL", ("s",), ("q",), "…", "…")
    >>> b = replace(Finding.make("NO_OWNER", ("t",), ("q",), "…", "…"), families=3)
    >>> [(f.code, f.rank) for f in prioritise([a, b])]
    [('NO_OWNER', 1), ('PEARL', 2)]
    """
    ordered = sorted(findings, key=lambda f: (-score(f), -f.severity, f.code, f.quarters,
                                              f.ids))
    return [replace(f, rank=i) for i, f in enumerate(ordered, 1)]


def top_findings(net: Network, as_of: dt.date | None = None, n: int = 5,
                 settings: AnalysisSettings | None = None,
                 quarters: Iterable[str] | None = None,
                 findings: Sequence[Finding] | None = None) -> list[Finding]:
    """„Die wichtigsten Baustellen“: the ``n`` most important findings, ranked.

    Pass ``findings`` to rank those (e.g. without accepted ones); otherwise the network is
    checked on ``as_of`` (default today), optionally only for some quarters.
    """
    if findings is None:
        findings = check(net, as_of, settings, quarters)
    return prioritise(findings)[:n]


def families_phrase(finding: Finding) -> str:
    """„betrifft etwa 40 Familien im Jahr“ (one: „Familie“), empty when unknown.

    >>> from lotsen.findings import Finding, Severity
    >>> f = Finding(code="PEARL", severity=Severity.LOW, ids=("x",), quarters=("q",),
    ...             message="m", next_step="n", families=1)
    >>> families_phrase(f)
    'betrifft etwa 1 Familie im Jahr'
    """
    if finding.families is None:
        return ""
    word = "Familie" if finding.families == 1 else "Familien"
    return f"betrifft etwa {finding.families} {word} im Jahr"


def families_label(finding: Finding) -> str:
    """„etwa 40 Familien im Jahr“ or „unbekannt“ (for tables)."""
    if finding.families is None:
        return "unbekannt"
    return f"etwa {finding.families}"

