"""``lotse slides``: a 16:9 PDF per quarter, read back page by page."""

from __future__ import annotations

import datetime as dt

from lotsen.ownership import responsibility_table
from lotsen.priority import top_findings
from seeds import load_seed
from tests.conftest import AS_OF
from tests.pdf_text import read_pdf, skeleton
from tests.test_cli import lotse
from visualisation.slides import TOP_FINDINGS, quarter_slides


def test_slides_have_title_map_worksites_and_responsibility_table() -> None:
    net = load_seed("dortmund")
    pdf = read_pdf(quarter_slides(net, "brunnenstrasse", AS_OF))
    assert len(pdf.sizes) == len(pdf.texts) >= 4
    for width, height in pdf.sizes:
        assert abs(width / height - 16 / 9) < 0.01
    title, chain, worksites, *tables, funnel = pdf.texts
    assert "Vermittlungen entlang der Kette" in funnel  # issue 26.5: referral figures
    assert "Präventionskette" in title and "Brunnenstraßen-/Hannibalviertel" in title
    assert "Stand 22.11.2026" in title
    assert "Die Kette im Quartier" in chain and "Babylotsendienst" in chain
    assert "Die wichtigsten Baustellen" in worksites
    top = top_findings(net, AS_OF, n=TOP_FINDINGS, quarters=["brunnenstrasse"])
    flat = skeleton(worksites)
    for f in top:
        assert skeleton(f.title) in flat and skeleton(f.next_step) in flat
    assert tables and all("Verantwortungstabelle" in t for t in tables)
    table = skeleton("".join(tables))
    for row in responsibility_table(net, "brunnenstrasse", AS_OF):
        assert skeleton(row.owner_name or "niemand") in table
        assert skeleton(row.source_name) in table and skeleton(row.status) in table
    assert skeleton("Maßnahmen") not in skeleton("".join(pdf.texts))  # none yet: no page


def test_measures_and_changes_get_their_pages_once_they_exist() -> None:
    net = load_seed("brunnenstrasse")
    day = dt.date(2026, 11, 22)
    plain = read_pdf(quarter_slides(net, "brunnenstrasse", day))
    more = read_pdf(quarter_slides(net, "brunnenstrasse", day,
                                   measures=["Übergabeprotokoll Kita erneuern"],
                                   changes=["Neue Vereinbarung Babylotsen"]))
    assert len(more.texts) == len(plain.texts) + 2
    assert skeleton("Offene Maßnahmen") in skeleton(more.texts[-2])
    assert skeleton("Übergabeprotokoll Kita erneuern") in skeleton(more.texts[-2])
    assert skeleton("Änderungen seit der letzten Sitzung") in skeleton(more.texts[-1])


def test_lotse_slides_one_quarter_and_all(store) -> None:
    one = lotse("slides", "-q", "brunnenstrasse", "--as-of", "2026-11-22", cwd=store)
    assert one.returncode == 0, one.stderr
    pdf = read_pdf((store / "folien-brunnenstrasse.pdf").read_bytes())
    assert len(pdf.texts) >= 4 and "Die wichtigsten Baustellen" in pdf.texts[2]
    every = lotse("slides", "--all", cwd=store)
    assert every.returncode == 0, every.stderr
    for q in ("brunnenstrasse", "libellenquartier", "hoerde"):
        assert (store / f"folien-{q}.pdf").read_bytes().startswith(b"%PDF")
    wrong = lotse("slides", "-q", "brunnenstrasse", "-o", "folien.pptx", cwd=store)
    assert wrong.returncode == 1 and ".pdf" in wrong.stderr
    help_text = lotse("slides", "--help", cwd=store)
    assert "Beispiel" in help_text.stdout


def test_slides_show_open_measures_and_changes_since_the_last_meeting(store) -> None:
    key = "AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"
    added = lotse("measures", "add", "--title", "Übergabeprotokoll erneuern", "--finding", key,
                  "--responsible", "tek-bornstrasse", "--due", "2027-03-31", cwd=store)
    assert added.returncode == 0, added.stderr
    done = lotse("slides", "-q", "brunnenstrasse", "--since", "01.01.2020", cwd=store)
    assert done.returncode == 0, done.stderr
    texts = [skeleton(t) for t in read_pdf(
        (store / "folien-brunnenstrasse.pdf").read_bytes()).texts]
    measures = next(t for t in texts if skeleton("Offene Maßnahmen") in t)
    assert skeleton("Übergabeprotokoll erneuern") in measures
    assert skeleton("fällig 31.03.2027") in measures
    assert any(skeleton("Änderungen seit der letzten Sitzung") in t for t in texts)


def test_report_since_the_last_meeting(store) -> None:
    done = lotse("report", "-q", "brunnenstrasse", "--since", "01.01.2020", cwd=store)
    assert done.returncode == 0, done.stderr
    page = (store / "bericht-brunnenstrasse.html").read_text(encoding="utf-8")
    assert "Änderungen seit der letzten Sitzung" in page and "Die wichtigsten Baustellen" in page
