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

__all__ = ["service_label"]


def service_label(net: Network, service_id: str) -> str:
    """„Service“ (provider) for messages."""
    service = net.service_index[service_id]
    provider = net.provider_index[service.provider].name
    if provider.casefold() == service.name.casefold():
        return f"„{service.name}“"
    return f"„{service.name}“ ({provider})"
