"""How services are named in messages: „Name“ (Träger), the provider left out when the
service is named after it.

>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> service_label(net, "kita-bornstrasse")
'„TEK Bornstraße 52“'
>>> service_label(net, "griffbereit")
'„Griffbereit – Baby-Eltern-Treff“ (AWO Unterbezirk Dortmund)'
"""

from __future__ import annotations

from graph.network import Network
from lotsen.findings import Finding

__all__ = ["finding_subject", "service_label"]


def service_label(net: Network, service_id: str) -> str:
    """„Service“ (provider) for messages."""
    service = net.service_index[service_id]
    provider = net.provider_index[service.provider].name
    if provider.casefold() == service.name.casefold():
        return f"„{service.name}“"
    return f"„{service.name}“ ({provider})"


def finding_subject(net: Network, f: Finding) -> str:
    """What a finding is about, in words: a transition, a service, an agreement, a stage."""
    for i in f.ids:
        t = net.transition_index.get(i)
        if t is not None:
            names = [net.service_index[x].name if x in net.service_index else x
                     for x in (t.source, t.target)]
            return f"{names[0]} → {names[1]}"
        for index in (net.service_index, net.agreement_index, net.provider_index):
            entity = index.get(i)
            if entity is not None:
                return str(entity.name)
        stage = net.catalogue.stages.get(i)
        if stage is not None:
            return stage.name
    return ""


def finding_words(net: Network, key: str) -> str:
    """A finding's key (``CODE/id/…``) in words, for people: its title and what it is
    about, even when the finding is gone by now.

    >>> from seeds import load_seed
    >>> words = finding_words(load_seed("brunnenstrasse"), "PEARL/sprachbilderbuecher")
    >>> words.startswith("Bildungsperle"), words.endswith("Sprachbilderbücher und Lesekampagne")
    (True, True)
    """
    from lotsen.findings import CODES, Severity

    code, _, rest = key.partition("/")
    if code not in CODES:
        return key
    probe = Finding(code, Severity.LOW, tuple(rest.split("/")), (), "", "")
    subject = finding_subject(net, probe)
    return f"{CODES[code][1]}: {subject}" if subject else CODES[code][1]
