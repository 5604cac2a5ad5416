"""Hostile and broken uploads (issue 32.5, 32.6), made small in memory: each must be
refused with a German message naming the file, quickly, never with a 500."""

from __future__ import annotations

import io
import re
import struct
import zipfile


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _patched(raw: bytes, local: tuple[int, str, int], central: tuple[int, str, int]) -> bytes:
    """``raw`` with one field of the first local header and central directory entry
    overwritten (offset, struct format, value)."""
    out = bytearray(raw)
    for marker, (offset, fmt, value) in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        struct.pack_into(fmt, out, out.find(marker) + offset, value)
    return bytes(out)


_CSV = [("Angebote.csv", b"Kennung;Name\nx;y\n")]


def deep_json() -> bytes:
    return b"[" * 100_000


def deep_yaml() -> bytes:
    return b"name: x\ndescription: " + b"[" * 100_000 + b"\n"


def deep_description() -> bytes:
    return ('{"format":"lotsensystem-netzwerk","name":"x","services":[{"id":"a","name":"a",'
            '"description":' + "[" * 5000 + "]" * 5000 + "}]}").encode()


def yaml_bomb() -> bytes:
    """Aliases of aliases: 500 bytes standing for 9^9 values."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return ("format: lotsensystem-netzwerk\nname: x\nx:\n" + "\n".join("  " + x for x in lines)
            + "\nproviders: *a9\n").encode()


def lying_zip() -> bytes:
    """A member that says it is 100 bytes and unpacks to 50 MB."""
    raw = _zip([("Angebote.csv", b"Kennung;Name\n" + b"a" * (50 * 1024 * 1024))])
    return _patched(raw, (22, "<I", 100), (24, "<I", 100))


def encrypted_zip() -> bytes:
    raw = bytearray(_zip(_CSV))
    raw[raw.find(b"PK\x03\x04") + 6] |= 1
    raw[raw.find(b"PK\x01\x02") + 8] |= 1
    return bytes(raw)


def method_99_zip() -> bytes:
    return _patched(_zip(_CSV), (8, "<H", 99), (10, "<H", 99))


def wrong_crc_zip() -> bytes:
    return _patched(_zip(_CSV), (14, "<I", 1234), (16, "<I", 1234))


def csv_long_field() -> bytes:
    """CR-only line ends and a field of 200,000 characters."""
    return _zip([("Angebote.csv", b"Kennung;Name\r" + b"x;" + b"y" * 200_000 + b"\r")])


def sparse_xlsx() -> bytes:
    """A value in the very last cell, XFD1048576."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Angebote"
    sheet["A1"], sheet["A2"], sheet["XFD1048576"] = "Kennung", "x", "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lying_dimension_xlsx() -> bytes:
    """Two cells, but the sheet says it spans A1:XFD1048576."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Angebote"
    sheet["A1"], sheet["A2"], sheet["A1048576"] = "Kennung", "x", "y"
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                              data)
            archive.writestr(info, data)
    return out.getvalue()


HOSTILE = {  # file name -> (content, a word the refusal must contain)
    "tief.json": (deep_json, "verschachtelt"),
    "tief.yaml": (deep_yaml, "verschachtelt"),
    "beschreibung.json": (deep_description, "verschachtelt"),
    "lacher.yaml": (yaml_bomb, "Verweise"),
    "luegt.zip": (lying_zip, "ZIP"),
    "passwort.zip": (encrypted_zip, "verschlüsselt"),
    "methode.zip": (method_99_zip, "Verfahren"),
    "pruefsumme.zip": (wrong_crc_zip, "Prüfsumme"),
    "langes-feld.zip": (csv_long_field, "131.072"),
    "letzte-zelle.xlsx": (sparse_xlsx, "XFD"),
    "weit.xlsx": (lying_dimension_xlsx, "1048576"),
}
"""Each of these answered 500, stalled or grew the server's memory before issue 32."""
