"""The Familienwegweiser: running offers by age, in German, Turkish and Arabic (RTL),
printable on A4 – rendered in the real headless Chromium."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from graph.formats import document
from lotsen.wegweiser import guide
from tests.test_cli import lotse
from tests.wegweiser_net import AS_OF, ENDED, LATER, wegweiser_network
from visualisation.wegweiser import (
    SUPPORTED,
    WegweiserError,
    parse_languages,
    wegweiser_html,
)

LOCALE = Path(__file__).resolve().parent.parent / "visualisation" / "locale"
A4_CONTENT_PX = 688  # 210 mm − 2 × 14 mm page margin, at 96 px per inch


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.browser import chromium

    with chromium() as b:
        yield b


def test_only_offers_running_on_the_day_in_stage_order() -> None:
    net = wegweiser_network()
    g = guide(net, "Brunnenstraßen-/Hannibalviertel", AS_OF)
    assert [s.stage_id for s in g.sections] == [s.id for s in net.catalogue.life_stages]
    assert "elterncafe-nordmarkt" not in g.service_ids  # ended 31.12.2025
    assert "sprachkurs-eltern" not in g.service_ids  # starts 01.03.2027
    later = guide(net, "brunnenstrasse", dt.date(2027, 3, 2))
    assert "sprachkurs-eltern" in later.service_ids
    toddler = next(s for s in g.sections if s.stage_id == "toddler")
    names = [e.name for e in toddler.entries]
    assert names == sorted(names, key=str.casefold) and "Griffbereit – Baby-Eltern-Treff" in names


def test_catalogues_translate_every_text_and_say_they_need_a_review() -> None:
    with (LOCALE / "wegweiser.pot").open("rb") as f:
        ids = {m.id for m in read_po(f) if m.id}
    template = (Path(__file__).resolve().parent.parent / "visualisation" / "templates"
                / "wegweiser.html").read_text(encoding="utf-8")
    used = set(re.findall(r'_\("([^"]+)"', template))
    assert used <= ids  # every fixed text of the page is in the catalogue
    for lang in ("tr", "ar"):
        path = LOCALE / lang / "LC_MESSAGES" / "wegweiser.po"
        assert "needs review by a native speaker" in path.read_text(encoding="utf-8")
        with path.open("rb") as f:
            catalogue = read_po(f, locale=lang)
        for mid in ids:
            text = catalogue[mid].string
            assert (text and text != mid) or mid == "Telefon", (lang, mid)
            assert re.findall(r"%\(\w+\)s", text) == re.findall(r"%\(\w+\)s", mid), (lang, mid)


def test_languages_by_code_or_german_name() -> None:
    assert parse_languages("Deutsch,tr, ar,de") == ["de", "tr", "ar"]
    with pytest.raises(WegweiserError, match="vorhanden: de, tr, ar"):
        parse_languages("ru")
    with pytest.raises(WegweiserError, match="Meinten Sie"):
        parse_languages("Türkich")


def test_the_page_texts_are_translated_and_the_offers_stay_as_entered() -> None:
    g = guide(wegweiser_network(), "brunnenstrasse", AS_OF)
    de, tr, ar = (wegweiser_html(g, lang) for lang in SUPPORTED)
    assert '<html lang="de" dir="ltr">' in de and "Öffnungszeiten" in de
    assert '<html lang="tr" dir="ltr">' in tr and "Çalışma saatleri" in tr
    assert '<html lang="ar" dir="rtl">' in ar and "أوقات الدوام" in ar
    for page in (de, tr, ar):
        assert "Griffbereit – Baby-Eltern-Treff" in page  # never translated
        assert ENDED not in page and LATER not in page
        assert "<script" not in page and "http" not in page.replace(
            "https://www.familienzentrum.example", "").replace(
            "https://www.grundschule-kleine-kielstrasse.example", "")
    assert "Arapça" in tr and "العربية" in ar  # language names in the reader's language


def test_cli_writes_html_and_a4_pdf_per_language(tmp_path: Path) -> None:
    document.save(wegweiser_network(), tmp_path / "kette.yaml")
    assert lotse("load", "kette.yaml", "--store", "s.json", cwd=tmp_path).returncode == 0
    (tmp_path / "aus").mkdir()
    result = lotse("wegweiser", "-q", "brunnenstrasse", "--language", "de,tr,ar",
                   "--as-of", AS_OF.isoformat(), "--out", "aus", "--store", "s.json",
                   cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "17 laufende Angebote am 22.11.2026" in result.stdout
    for lang in SUPPORTED:
        page = (tmp_path / "aus" / f"wegweiser-brunnenstrasse-{lang}.html").read_text("utf-8")
        assert f'lang="{lang}"' in page
        pdf = (tmp_path / "aus" / f"wegweiser-brunnenstrasse-{lang}.pdf").read_bytes()
        assert pdf[:5] == b"%PDF-"
        boxes = {tuple(round(float(x)) for x in box.split())
                 for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)}
        assert boxes == {(0, 0, 595, 842)}  # A4 in points
    bad = lotse("wegweiser", "-q", "brunnenstrasse", "--language", "ru", "--store", "s.json",
                cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "vorhanden: de, tr, ar" in bad.stderr


_LAYOUT = """(() => {
  const body = document.body, h1 = document.querySelector('h1');
  const article = document.querySelector('article');
  const cs = getComputedStyle(article);
  const clipped = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
      clipped.push(el.tagName + ': ' + el.textContent.slice(0, 40));
    if (r.left < -0.5 || r.right > window.innerWidth + 0.5)
      clipped.push(el.tagName + ' außerhalb: ' + el.textContent.slice(0, 40));
  }
  const range = document.createRange();
  range.selectNodeContents(h1);
  const text = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
  return {direction: getComputedStyle(body).direction, lang: document.documentElement.lang,
          textLeftGap: text.left - box.left, textRightGap: box.right - text.right,
          borderLeft: parseFloat(cs.borderLeftWidth), borderRight: parseFloat(cs.borderRightWidth),
          pageWidth: document.documentElement.scrollWidth, clipped,
          text: document.body.innerText};
})()"""


@pytest.mark.parametrize("lang", SUPPORTED)
def test_wegweiser_in_chromium_at_a4_print(browser: Any, tmp_path: Path, lang: str) -> None:
    """Printed on A4 nothing sticks out or is cut off; Arabic runs right to left (body
    direction rtl, the heading starts at the right, the offers' bar on the right)."""
    from tests.browser import open_page

    page_file = tmp_path / f"wegweiser-{lang}.html"
    page_file.write_text(wegweiser_html(guide(wegweiser_network(), "brunnenstrasse", AS_OF),
                                        lang), encoding="utf-8")
    with open_page(browser, page_file, A4_CONTENT_PX, 1000, ready=None) as run:
        run.page.emulate_media(media="print")
        found = run.page.evaluate(_LAYOUT)
        assert run.errors == [] and run.requests == []
    assert found["lang"] == lang
    assert found["clipped"] == [] and found["pageWidth"] <= A4_CONTENT_PX
    assert ENDED not in found["text"] and LATER not in found["text"]
    assert "TEK Bornstraße 52" in found["text"]
    if lang == "ar":
        assert found["direction"] == "rtl"
        assert found["textRightGap"] < 2 < found["textLeftGap"]  # starts on the right
        assert found["borderRight"] > 0 and found["borderLeft"] == 0
    else:
        assert found["direction"] == "ltr"
        assert found["textLeftGap"] < 2 < found["textRightGap"]
        assert found["borderLeft"] > 0 and found["borderRight"] == 0


def test_a_service_at_a_site_shows_its_address_and_the_sites_contact() -> None:
    from graph.contact import Contact
    from graph.site import Site

    net = wegweiser_network()
    site = Site(id="fz-nord", name="Familienzentrum Nord", address="Bornstraße 10, 44135 Dortmund",
                quarter="brunnenstrasse", contact=Contact(opening_hours="Mo–Fr 8–14 Uhr"))
    bare = next(s for s in net.services_in("brunnenstrasse")
                if s.contact is None and s.is_active_on(AS_OF))
    services = [s.model_copy(update={"sites": ["fz-nord"]}) if s.id == bare.id else s
                for s in net.services]
    net = net.with_sections(sites=[site], services=services)
    entry = next(e for sec in guide(net, "brunnenstrasse", AS_OF).sections
                 for e in sec.entries if e.service_id == bare.id)
    assert entry.site == "Familienzentrum Nord, Bornstraße 10, 44135 Dortmund"
    assert entry.contact is not None and entry.contact.opening_hours == "Mo–Fr 8–14 Uhr"
