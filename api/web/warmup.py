"""Everything a first answer would load lazily, loaded before the first request.

On a fresh server the first map and the first report, asked at the same moment, would
both import the drawing modules and build the stored state in two threads at once (a
500 was seen). The app's lifespan therefore imports them, loads the German hyphenation
dictionary and the templates, and builds the store's state before serving.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from graph.errors import LotsenError

__all__ = ["lifespan", "warm_up"]

log = logging.getLogger("lotse.api")


def warm_up(app: FastAPI) -> None:
    """Import and load what the pages and pictures need (idempotent, a second call is
    cheap); a store that cannot be read yet is left for the requests to report."""
    import visualisation.html_map
    import visualisation.matrix
    import visualisation.report
    import visualisation.scene
    import visualisation.static
    from visualisation.hyphenation import soft_hyphens
    from visualisation.pages import _environment

    soft_hyphens("Schwangerschaftsberatung")
    _environment()
    visualisation.html_map.vis_network_js()
    try:
        app.state.store.snapshot()
    except LotsenError as exc:  # empty or unreachable store: the requests say so
        log.warning("Speicher beim Start nicht lesbar: %s", exc)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await asyncio.to_thread(warm_up, app)
    yield
