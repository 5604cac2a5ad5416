"""The Familienwegweiser as a printable page (HTML, A4) in the families' languages.

The page's own texts come from a gettext message catalogue (``visualisation/locale``:
the German texts are the message ids, ``tr`` and ``ar`` translate them; the .po files
are compiled in memory with Babel, so there is no .mo file to keep in step). Dates and
language names are Babel's (CLDR). Names and descriptions of the offers stay as the
institutions entered them. Arabic pages are ``dir="rtl"`` and the layout uses logical
CSS properties only, so it mirrors as a whole.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.wegweiser import guide
>>> g = guide(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> page = wegweiser_html(g, "ar")
>>> '<html lang="ar" dir="rtl">' in page, "دليل العائلات" in page, "<script" in page
(True, True, False)
>>> SUPPORTED
('de', 'tr', 'ar')
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib import resources

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from graph.errors import LotsenError
from graph.vocabulary import language_for
from lotsen.wegweiser import Guide, GuideSection

__all__ = ["RTL", "SUPPORTED", "WegweiserError", "parse_languages", "translations",
           "wegweiser_html"]

SUPPORTED = ("de", "tr", "ar")
"""Languages with a message catalogue (German is the source language)."""
RTL = frozenset({"ar", "fa", "he", "ur"})
DOMAIN = "wegweiser"


class WegweiserError(LotsenError, ValueError):
    """A language without a catalogue (HTTP 422)."""

    status = 422


def parse_languages(text: str) -> list[str]:
    """``de,tr,ar`` (also „Deutsch, Türkisch“) as codes; a German error naming the
    languages there are, for one without a catalogue.

    >>> parse_languages("de, Türkisch,AR")
    ['de', 'tr', 'ar']
    """
    codes: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            code = language_for(part)
        except ValueError as exc:
            raise WegweiserError(str(exc)) from None
        if code not in SUPPORTED:
            raise WegweiserError(
                f"Für die Sprache '{part}' gibt es noch keine Übersetzung des Wegweisers; "
                f"vorhanden: {', '.join(SUPPORTED)} (Deutsch, Türkisch, Arabisch).")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise WegweiserError("Bitte mindestens eine Sprache angeben, z. B. --language de,tr,ar.")
    return codes


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (German: the message ids themselves)."""
    if language == "de":
        return gettext.NullTranslations()
    source = (resources.files("visualisation") / "locale" / language / "LC_MESSAGES"
              / f"{DOMAIN}.po")
    with source.open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def _environment(language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("visualisation", "templates"),
        autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def _ages(section: GuideSection, language: str) -> str:
    _ = translations(language).gettext
    if section.to_months <= 0:
        return _("vor der Geburt")
    start, end = max(section.from_months, 0), section.to_months
    if start % 12 == 0 and end % 12 == 0 and end >= 24:
        return _("%(start)s bis %(end)s Jahre") % {"start": start // 12, "end": end // 12}
    return _("%(start)s bis %(end)s Monate") % {"start": start, "end": end}


def wegweiser_html(g: Guide, language: str = "de") -> str:
    """The guide as one HTML page in ``language`` (one of :data:`SUPPORTED`)."""
    if language not in SUPPORTED:
        raise WegweiserError(f"Sprache '{language}' hat keinen Katalog; vorhanden: "
                             f"{', '.join(SUPPORTED)}.")
    _ = translations(language).gettext
    names = Locale.parse(language).languages
    sections = [{"id": s.stage_id, "name": _(s.stage_name), "ages": _ages(s, language),
                 "entries": s.entries} for s in g.sections]
    return _environment(language).get_template("wegweiser.html").render(
        lang=language, dir="rtl" if language in RTL else "ltr", quarter=g.quarter_name,
        date=format_date(g.as_of, "long", locale=language), sections=sections,
        language_name=lambda code: names.get(code, code))
