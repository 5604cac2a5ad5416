"""Numbers as people type them in German: "2.000" is two thousand, "1.200,5" has a
decimal comma, "40 %" is a share. What cannot be read one way only is refused with a
message that says how to write it.

>>> parse_number("2.000", integer=True), parse_number("1.200,5"), parse_number("0,4")
(2000, 1200.5, 0.4)
>>> parse_number("40 %"), parse_number("1 500", integer=True)
(0.4, 1500)
>>> parse_number("1.200")
Traceback (most recent call last):
...
ValueError: '1.200' ist mehrdeutig: 1200 (Tausenderpunkt) oder 1,2? Bitte 1200 oder 1,2 schreiben.
"""

from __future__ import annotations

import math
import re

__all__ = ["parse_number"]

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_THOUSANDS_DOT_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_ENGLISH = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")


def parse_number(text: str, integer: bool = False) -> int | float:
    """A number from German text (see the module docstring); ``integer``: a whole number
    (thousands may be grouped with '.'), else a decimal number (decimal comma or point).
    ValueError with a German message when it is none or could mean two numbers."""
    raw = text
    text = _SPACES.sub("", text.strip())
    share = text.endswith("%")
    if share:
        text = text[:-1]
    if not text:
        raise ValueError(f"'{raw}' ist keine Zahl.")
    if _ENGLISH.match(text):
        raise ValueError(f"'{raw}' ist in englischer Schreibweise; bitte deutsch schreiben "
                         f"({text.replace(',', '').replace('.', ',')}).")
    if _THOUSANDS_DOT_DECIMAL.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if "." in text or text.count(",") > 1:
            raise ValueError(f"'{raw}' ist keine Zahl.")
        if integer and _THOUSANDS_COMMA.match(text):
            plain = text.replace(",", "")
            raise ValueError(f"'{raw}' ist mehrdeutig: {plain} oder "
                             f"{text.split(',')[0]},{text.split(',')[1]}? Bitte ganze Zahlen "
                             f"ohne Tausendertrennzeichen schreiben ({plain}).")
        text = text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text):
        if integer or share:
            text = text.replace(".", "")
        elif not re.match(r"^[+-]?0\.", text):
            plain, decimal = text.replace(".", ""), text.replace(".", ",", 1)
            raise ValueError(f"'{raw}' ist mehrdeutig: {plain} (Tausenderpunkt) oder "
                             f"{decimal.rstrip('0').rstrip(',')}? Bitte {plain} oder "
                             f"{decimal.rstrip('0').rstrip(',')} schreiben.")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{raw}' ist keine Zahl.") from None
    if not math.isfinite(number):
        raise ValueError(f"'{raw}' ist keine endliche Zahl.")
    if share:
        number = number / 100
    if integer:
        if number != int(number):
            raise ValueError(f"'{raw}' ist keine ganze Zahl.")
        return int(number)
    return number
