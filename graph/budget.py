"""A time budget for work a stranger can start (an upload's preview): the work checks
:func:`check` at its long loops and stops with a German message once the budget is
spent – a thread cannot be stopped from outside, so it stops itself.

>>> with time_budget(60, "zu langsam"):
...     check()
>>> import time
>>> with time_budget(0.0, "Die Vorschau dauert zu lange."):
...     time.sleep(0.01)
...     check()
Traceback (most recent call last):
...
graph.budget.OverBudgetError: Die Vorschau dauert zu lange.
>>> check()  # outside a budget: nothing to check
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from graph.errors import LotsenError

__all__ = ["OverBudgetError", "check", "time_budget"]

_local = threading.local()


class OverBudgetError(LotsenError):
    """The work took longer than its budget (or grew larger than allowed)."""

    status = 422


@contextmanager
def time_budget(seconds: float, message: str) -> Iterator[None]:
    """Within the block (in this thread), :func:`check` raises :class:`OverBudgetError`
    with ``message`` once ``seconds`` have passed."""
    before = getattr(_local, "budget", None)
    _local.budget = (time.monotonic() + seconds, message)
    try:
        yield
    finally:
        _local.budget = before


def check() -> None:
    """Raise :class:`OverBudgetError` when this thread's time budget is spent."""
    budget = getattr(_local, "budget", None)
    if budget is not None and time.monotonic() > budget[0]:
        raise OverBudgetError(budget[1])
