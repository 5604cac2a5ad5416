"""``lotse``: the command line of the lotsensystem (a thin loop over the library), one
module per command group; the use cases they share with the Werkstatt and the web API
live in :mod:`api.usecases`.

Every command prints German text; every error is one clear message (exit code 1),
never a traceback. ``LOTSE_DEBUG=1`` shows the traceback of unexpected errors.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys

from api.cli import (  # noqa: F401  (they register commands)
    analysis,
    data,
    entries,
    findings,
    meetings,
    server,
    store,
    texts,
    users,
    visual,
    web,
    wegweiser,
    wirkung,
)
from api.cli.common import app, err
from graph.errors import LotsenError
from graph.snapshot import collect_pending, write_pending

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``lotse`` console script."""
    # the database driver logs its retries as warnings; the user gets one clear message
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    if sys.argv[1:2] != ["serve"]:
        # one command is one short process: the cyclic garbage collector would walk the
        # million objects of a large network again and again (seconds) and find next to
        # nothing; memory is still freed as usual. The server keeps it (api.web.state).
        gc.disable()
        # a whole Land network read row by row leaves a quick-start file beside the store
        # for the next command, written in the background once this one has answered
        collect_pending()
    try:
        try:
            app()
        except SystemExit as exc:
            if exc.code in (None, 0):
                _leave_quick_start()
            raise
        _leave_quick_start()
    except LotsenError as exc:
        err.print(f"[bold red]Fehler:[/bold red] {exc}", soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print(texts.INTERRUPTED)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("LOTSE_DEBUG"):
            raise
        err.print(texts.INTERNAL_ERROR.format(kind=type(exc).__name__, error=exc),
                  soft_wrap=True)
        sys.exit(2)


def _leave_quick_start() -> None:
    """Write the quick-start files this command noted (graph.snapshot); a cache: whatever
    goes wrong there never turns a command that worked into an error."""
    with contextlib.suppress(Exception):
        write_pending(background=True)


if __name__ == "__main__":  # pragma: no cover
    main()
