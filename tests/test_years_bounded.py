"""Issue 32.8: the years page walks the Verlauf once, not once per year, and its answers
are kept per year's Stichtag, not per as-of date."""

from __future__ import annotations

import datetime as dt
import time

from graph.journal import Edit, Journal, apply_edit, network_at, networks_at
from lotsen.years import day_end, stichtag, yearly
from seeds import load_seed


def _long_history(count: int) -> tuple:
    net, journal = load_seed("brunnenstrasse"), Journal()
    provider = net.providers[0]
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    for i in range(count):
        changed = provider.model_copy(update={"name": f"{provider.name} {i}"})
        net, journal, _ = apply_edit(net, journal, Edit("providers", provider.id, changed, "k"),
                                     start + dt.timedelta(hours=6 * i))
    return net, journal


def test_one_walk_gives_what_each_moment_alone_gives() -> None:
    net, journal = _long_history(600)
    moments = [day_end(stichtag(y, dt.date(2026, 6, 1))) for y in range(2020, 2027)]
    together = networks_at(net, journal, moments)
    for moment, (past, undone, complete) in zip(moments, together, strict=True):
        alone = network_at(net, journal, moment)
        assert (past, [e.seq for e in undone], complete) == \
            (alone[0], [e.seq for e in alone[1]], alone[2])


def test_years_cost_does_not_grow_with_the_number_of_years() -> None:
    net, journal = _long_history(1500)
    day = dt.date(2026, 6, 1)
    started = time.perf_counter()
    yearly(net, [2021], "quarter", ["brunnenstrasse"], day, journal=journal)
    one = time.perf_counter() - started
    started = time.perf_counter()
    yearly(net, list(range(2021, 2027)), "quarter", ["brunnenstrasse"], day, journal=journal)
    six = time.perf_counter() - started
    assert six < 3 * one + 1.0, (one, six)  # before: each year walked the Verlauf again
