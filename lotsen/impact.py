"""What-if: a provider leaves or a service ends – which findings appear?

The loss is simulated, not deleted: the services end (status ``ended``) and the
transitions the provider owned lose their owner. The chain is checked before and
after on the same date; the answer lists the findings that appear and those that no
longer apply.

>>> import datetime as dt
>>> from seeds import load_seed
>>> result = impact(load_seed("brunnenstrasse"), service="kita-bornstrasse",
...                 as_of=dt.date(2026, 11, 22))
>>> sorted({f.code for f in result.appeared})
['CAPACITY_GAP', 'TARGET_INACTIVE', 'UNREACHABLE']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.errors import NotFoundError
from graph.model import ServiceStatus
from graph.network import Network
from lotsen.findings import Finding
from lotsen.open_findings import findings_triage
from lotsen.settings import AnalysisSettings

__all__ = ["Impact", "impact", "without"]


@dataclass(frozen=True)
class Impact:
    """Findings that appear and that no longer apply when something is lost."""

    removed_services: tuple[str, ...]
    removed_provider: str | None
    appeared: list[Finding]
    resolved: list[Finding]


def without(net: Network, provider: str | None = None, service: str | None = None) -> tuple[
        Network, tuple[str, ...], str | None]:
    """The network with a provider's services (or one service) ended."""
    if (provider is None) == (service is None):
        raise ValueError("Genau einen Träger oder ein Angebot angeben.")
    pid: str | None = None
    if provider is not None:
        match = [p for p in net.providers
                 if p.id == provider or p.name.casefold() == provider.casefold()]
        if not match:
            raise NotFoundError("Träger", provider, [p.name for p in net.providers])
        pid = match[0].id
        ended = tuple(s.id for s in net.services if s.provider == pid)
    else:
        assert service is not None
        match_s = [s for s in net.services
                   if s.id == service or s.name.casefold() == service.casefold()]
        if not match_s:
            raise NotFoundError("Angebot", service, [s.name for s in net.services])
        ended = (match_s[0].id,)
    gone = set(ended)
    services = [s.model_copy(update={"status": ServiceStatus.ENDED}) if s.id in gone else s
                for s in net.services]
    transitions = [t.model_copy(update={"owner": None}) if pid and t.owner == pid else t
                   for t in net.transitions]
    return net.with_sections(services=services, transitions=transitions), ended, pid


def impact(net: Network, provider: str | None = None, service: str | None = None,
           as_of: dt.date | None = None, settings: AnalysisSettings | None = None) -> Impact:
    """Check the chain with and without the provider or service (see module docstring)."""
    day = as_of or dt.date.today()
    after_net, ended, pid = without(net, provider, service)
    # the open findings, as every surface shows them: „geprüft, bewusst so“ stays hidden
    before = {f.key: f for f in findings_triage(net, day, settings).open}
    after = {f.key: f for f in findings_triage(after_net, day, settings).open}
    return Impact(
        removed_services=ended, removed_provider=pid,
        appeared=[f for k, f in after.items() if k not in before],
        resolved=[f for k, f in before.items() if k not in after])
