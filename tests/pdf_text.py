"""Just enough PDF reading for tests: pages, their size and the text matplotlib wrote.

matplotlib writes one content stream per page (Flate-compressed) and the text of its
Type 3 fonts as strings in ``TJ`` arrays. Characters outside Latin-1 (→, „, –, •) and the
ligatures its text shaping makes (ff, fi, fl) are glyphs of their own with codes below 32;
:func:`skeleton` compares texts without them.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_ARRAY = re.compile(rb"\[(.*?)\]\s*TJ", re.S)
_STRING = re.compile(rb"\(((?:\\.|[^\\()])*)\)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


@dataclass
class Pdf:
    sizes: list[tuple[float, float]]  # width, height of each page in points
    texts: list[str]  # the text of each page, one line per drawn string


def skeleton(text: str) -> str:
    """``text`` without spaces, characters outside Latin-1, control codes and the letters
    a ligature may have swallowed (ff, fi, fl, f): comparable on both sides."""
    text = re.sub(r"f[fil]?", "", text)
    return "".join(c for c in text if 32 < ord(c) < 256 and not c.isspace())


def _unescape(raw: bytes) -> str:
    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code.isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return _ESCAPE.sub(one, raw).decode("latin-1")


def read_pdf(data: bytes) -> Pdf:
    sizes = [(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)]
    texts = []
    for m in _STREAM.finditer(data):
        try:
            content = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        if b"BT" not in content or b"Tf" not in content:
            continue  # a glyph or an image, not a page
        lines = ["".join(_unescape(s) for s in _STRING.findall(arr))
                 for arr in _ARRAY.findall(content)]
        texts.append("\n".join(lines))
    return Pdf(sizes, texts)
