"""The open findings of a quarter on a day – the one list every surface shows.

The Werkstatt's quarter page, the chain map (normal and Besprechung), the slides, the
quarter report, the indicators and the JSON API all take their findings from here:
:func:`lotsen.check.check` for the quarter, then :func:`lotsen.acceptance.triage` with
the network's acceptances („geprüft, bewusst so“) on the same day. A finding accepted on
that day is left out of ``open`` (and so is not red on any map, not counted on any
slide); once its acceptance runs out it is back.

>>> import datetime as dt
>>> from graph.model import AcceptedFinding
>>> from seeds import load_seed
>>> net, day = load_seed("brunnenstrasse"), dt.date(2026, 11, 22)
>>> len(open_findings(net, "brunnenstrasse", day))
17
>>> kept = AcceptedFinding(key="PEARL/sprachbilderbuecher", reason="Kampagne", by="Koordination",
...                        on=day, until=dt.date(2027, 6, 30))
>>> t = quarter_triage(net.with_sections(accepted_findings=[kept]), "brunnenstrasse", day)
>>> len(t.open), [f.stable_key for f, _ in t.accepted]
(16, ['PEARL/sprachbilderbuecher'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph.network import Network
from lotsen.acceptance import Triage, triage
from lotsen.check import check, unweighed_check
from lotsen.findings import Finding
from lotsen.settings import AnalysisSettings

__all__ = ["findings_triage", "open_findings", "quarter_triage"]


def findings_triage(net: Network, as_of: dt.date, settings: AnalysisSettings | None = None,
                    quarters: Iterable[str] | None = None, *,
                    weigh: bool = True) -> Triage:
    """The findings on ``as_of`` (of some quarters, default all), split by the network's
    acceptances on that day; ``weigh=False`` leaves out the estimate of the families
    affected (for counts, see :func:`lotsen.check.unweighed_check`).

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> t = findings_triage(load_seed("dortmund"), dt.date(2026, 11, 22), weigh=False)
    >>> len(t.open), t.accepted_count
    (35, 0)
    """
    wanted = None if quarters is None else list(quarters)
    found = (check(net, as_of, settings, wanted) if weigh
             else unweighed_check(net, as_of, settings, wanted))
    return triage(net, found, as_of)


def quarter_triage(net: Network, quarter: str, as_of: dt.date,
                   settings: AnalysisSettings | None = None, *, weigh: bool = True) -> Triage:
    """The findings of one quarter (id or name) on ``as_of``: ``open`` is the list the
    Werkstatt shows, ``accepted`` what is hidden as „geprüft, bewusst so“.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> t = quarter_triage(load_seed("unna"), "Königsborn", dt.date(2026, 11, 22))
    >>> len(t.open), t.accepted_count
    (15, 0)
    """
    return findings_triage(net, as_of, settings, [net.find_quarter(quarter).id], weigh=weigh)


def open_findings(net: Network, quarter: str, as_of: dt.date,
                  settings: AnalysisSettings | None = None) -> list[Finding]:
    """The open findings of one quarter on ``as_of``, by severity (accepted ones left
    out): what every surface lists and counts."""
    return quarter_triage(net, quarter, as_of, settings).open
