"""Texts in spreadsheet cells that a spreadsheet would run (CSV/formula injection).

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs drop before they look) is a formula to Excel and LibreOffice:
``=HYPERLINK(…)`` sends data away, ``=cmd|' /C calc'!A0`` starts a program. Every export
of tables (the workbook, the CSV folder, the HSDS tabular package) therefore writes such a
text with a leading ``'``, as OWASP recommends, and the workbook stores it as a text cell;
every importer of ours takes the ``'`` off again, so a round trip changes nothing.

A text that itself begins with ``'`` followed by one of those characters (or another
``'``) gets one more ``'``, so that taking one off is always right:

>>> neutralise("=1+1"), neutralise("Kita"), neutralise("'=1+1"), neutralise("'Eck")
("'=1+1", 'Kita', "''=1+1", "'Eck")
>>> restore("'=1+1"), restore("''=1+1"), restore("'Eck"), restore("Kita")
('=1+1', "'=1+1", "'Eck", 'Kita')
"""

from __future__ import annotations

from typing import Any

__all__ = ["DANGEROUS", "neutralise", "neutralise_value", "restore", "restore_value"]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_AFTER_QUOTE = (*DANGEROUS, _QUOTE)


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it."""
    if text[:1] in DANGEROUS or (text[:1] == _QUOTE and text[1:2] in _AFTER_QUOTE):
        return _QUOTE + text
    return text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (other texts unchanged)."""
    if text[:1] == _QUOTE and text[1:2] in _AFTER_QUOTE:
        return text[1:]
    return text


def neutralise_value(value: Any) -> Any:
    """Texts neutralised; numbers, dates and ``None`` as they are."""
    return neutralise(value) if isinstance(value, str) else value


def restore_value(value: Any) -> Any:
    return restore(value) if isinstance(value, str) else value
