"""Indicators per year (``lotse indicators --years 2024..2026``): the chain as it stood on
31 December of each year, as a trend table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lotsen.indicators import quarter_indicators
from lotsen.years import parse_years, stichtag, yearly
from seeds import load_seed
from tests.test_cli import lotse

DAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("text", ["2026..2024", "zwanzig", "1990..2030"])
def test_bad_years_are_explained(text: str) -> None:
    with pytest.raises(ValueError, match="Jahre"):
        parse_years(text)


def test_each_year_is_the_chain_on_its_stichtag() -> None:
    net = load_seed("unna")
    assert stichtag(2025, DAY) == dt.date(2025, 12, 31) and stichtag(2026, DAY) == DAY
    rows = yearly(net, [2010, 2011, 2026], "quarter", ["unna-mitte"], DAY)
    assert [r.day for r in rows] == [dt.date(2010, 12, 31), dt.date(2011, 12, 31), DAY]
    for r in rows:
        assert r.indicators.to_dict() == quarter_indicators(net, "unna-mitte", r.day).to_dict()
    # KinderZUKUNFT NRW runs from 1 March 2011: its hand-offs count from 2011 on
    totals = [r.indicators.transitions_total for r in rows]
    assert totals[0] < totals[1]


def test_years_roll_up_per_kreis() -> None:
    rows = yearly(load_seed("kreis-unna"), [2025, 2026], "county", as_of=DAY)
    assert [(r.year, r.indicators.level, r.indicators.name) for r in rows] == [
        (2025, "county", "Kreis Unna"), (2026, "county", "Kreis Unna")]
    assert rows[0].indicators.quarters == ["selm-mitte", "luenen-sued"]


def test_cli_trend_table_and_json(tmp_path: Path) -> None:
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    table = lotse("indicators", "--years", "2010..2012", "--level", "kommune", "--as-of",
                  "2026-11-22", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "Kennzahlen je Jahr – Kreisstadt Unna" in table.stdout
    line = next(x for x in table.stdout.splitlines() if "Übergänge verbindlich" in x)
    assert "50%" in line and "78%" in line and "↑" in line
    data = json.loads(lotse("indicators", "--jahre", "2010..2011", "--json", "--as-of",
                            "2026-11-22", cwd=tmp_path).stdout)
    assert [(d["year"], d["id"]) for d in data] == [
        (2010, "unna-mitte"), (2010, "koenigsborn"), (2011, "unna-mitte"),
        (2011, "koenigsborn")]
    assert data[0]["stichtag"] == "2010-12-31"
    # the store's journal begins with today's load: those years come from the dates
    assert data[0]["laut_verlauf"] is False
    assert "Vor Beginn des Verlaufs, aus den Laufzeiten des heutigen Stands: 2010, 2011, 2012" \
        in " ".join(table.stdout.split())
    bad = lotse("indicators", "--years", "2012..2010", cwd=tmp_path)
    assert bad.returncode == 1 and "das letzte Jahr liegt vor dem ersten" in bad.stderr


def test_report_has_the_last_three_years() -> None:
    from visualisation.report import quarter_report

    page = quarter_report(load_seed("kreis-unna"), "selm-mitte", DAY)
    assert "Kennzahlen je Jahr" in page
    assert "<th>2024</th><th>2025</th><th>2026</th><th>Trend</th>" in page
    chart = page[page.index('aria-label="Verlauf der Anteile je Jahr"'):]
    assert chart.index("<svg") < chart.index("</svg>")
    assert "Übergänge verbindlich" in chart[:chart.index("</svg>")]  # the legend, as text


def test_werkstatt_years_page(tmp_path: Path) -> None:
    from graph.backends.memory import MemoryRepository
    from tests.werkstatt import werkstatt

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("unna"), "test")
    client = werkstatt(repo, tmp_path, auth=False)
    quarter = client.get("/quartiere/unna-mitte").text
    assert 'href="/quartiere/unna-mitte/jahre"' in quarter
    page = client.get("/quartiere/unna-mitte/jahre",
                      params={"jahre": "2010..2012", "stichtag": "2026-11-22"})
    assert page.status_code == 200
    assert "<th scope=\"col\">2010</th><th scope=\"col\">2011</th>" in page.text
    assert "Übergänge verbindlich" in page.text and "31.12.2010" in page.text
    assert "Vor Beginn des Verlaufs, aus den Laufzeiten des heutigen Stands: 2010, 2011, " \
        "2012." in page.text  # the store was loaded today: its journal begins now
    bad = client.get("/quartiere/unna-mitte/jahre", params={"jahre": "bald"})
    assert bad.status_code == 422 and "verstehe ich nicht" in bad.text


def test_a_new_link_counts_from_its_besteht_seit_day() -> None:
    """The years follow the links' validity dates as „Wirkung nach einem Jahr“ does: in
    Selm-Mitte Hausbesuchsdienst → Familienbildungsstätte exists since 1.3.2025, so 2024
    is the chain without it (one transition fewer, the Hausbesuchsdienst a dead end)."""
    from lotsen.wirkung import network_on

    net = load_seed("kreis-unna")
    assert net.transition_index["selm-hausbesuch-fbs"].valid_from == dt.date(2025, 3, 1)
    y2024, y2025 = yearly(net, [2024, 2025], "quarter", ["selm-mitte"], DAY)
    assert y2024.indicators.transitions_total + 1 == y2025.indicators.transitions_total
    assert y2024.indicators.to_dict() == quarter_indicators(
        network_on(net, dt.date(2024, 12, 31)), "selm-mitte", dt.date(2024, 12, 31)).to_dict()
    assert sum(y2024.indicators.findings.values()) > sum(y2025.indicators.findings.values())


def test_werkstatt_years_page_has_the_chart(tmp_path: Path) -> None:
    """Issue 17: a trend table *and chart* in the Werkstatt, as in the report."""
    from graph.backends.memory import MemoryRepository
    from tests.werkstatt import werkstatt

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("kreis-unna"), "test")
    page = werkstatt(repo, tmp_path, auth=False).get(
        "/quartiere/selm-mitte/jahre", params={"jahre": "2024..2026",
                                                "stichtag": "2026-11-22"}).text
    chart = page[page.index('role="img" aria-label="Verlauf der Anteile je Jahr'):]
    assert chart.index("<svg") < chart.index("</svg>") < chart.index("</div>") + 7
    assert '<?xml' not in page and 'width="' not in chart[:chart.index(">", chart.index("<svg"))]


def test_past_years_come_from_the_journal() -> None:
    """With the journal, a year shows the chain as recorded at its end: an agreement taken
    off a transition in March 2025 still backs it on 31.12.2024 (issue 17: indicators per
    year "from validity dates, social data and the journal")."""

    from graph.journal import Edit, Journal, apply_edit, apply_import
    from lotsen.wirkung import network_on

    net = load_seed("brunnenstrasse")
    day_2024 = dt.date(2024, 12, 31)
    before = quarter_indicators(network_on(net, day_2024), "brunnenstrasse", day_2024)
    t = next(t for t in net.transitions if t.agreements
             and before.binding.get(t.id))  # bound on 31.12.2024
    loaded = dt.datetime(2024, 6, 1, 9, tzinfo=dt.UTC)
    journal, _ = apply_import(None, net, Journal(), "k.meier", loaded)
    edited, journal, _ = apply_edit(net, journal, Edit(
        "transitions", t.id, t.model_copy(update={"agreements": []}), "k.meier"),
        dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC))
    dated = yearly(edited, [2024], "quarter", ["brunnenstrasse"], DAY)[0]
    recorded = yearly(edited, [2024, 2025], "quarter", ["brunnenstrasse"], DAY,
                      journal=journal)
    assert not dated.recorded and dated.indicators.binding[t.id] is False
    assert recorded[0].recorded and recorded[0].indicators.binding[t.id] is True
    assert recorded[0].indicators.transitions_binding == before.transitions_binding
    assert recorded[1].recorded and recorded[1].indicators.binding[t.id] is False
    # before the journal begins (the import on 1.6.2024) only the dates can tell
    early = yearly(edited, [2023], "quarter", ["brunnenstrasse"], DAY, journal=journal)[0]
    assert not early.recorded
    assert early.indicators.binding[t.id] is False  # today's chain, as the table says
