"""HTML to PDF with the system's headless Chromium (its print engine, offline).

Used for pages whose script matplotlib cannot set (Arabic needs shaping and right-to-left
layout, which a browser does). The page is printed as it is: its ``@page`` rule decides
the paper (A4 for the Familienwegweiser). The browser starts without network access to
anything but the file, in a fresh temporary profile, and is given a time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.errors import LotsenError

__all__ = ["CHROMIUM_ENV", "PdfError", "chromium_path", "html_to_pdf"]

CHROMIUM_ENV = "LOTSE_CHROMIUM"
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT = 120


class PdfError(LotsenError):
    """No browser to print with, or printing failed."""


def chromium_path() -> str | None:
    """The Chromium to print with: ``LOTSE_CHROMIUM`` or the first one on the PATH."""
    wanted = os.environ.get(CHROMIUM_ENV)
    if wanted:
        return wanted if Path(wanted).exists() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML page (raises :class:`PdfError` with a German message when no
    Chromium is installed or it fails)."""
    browser = chromium_path()
    if browser is None:
        raise PdfError("Für die PDF-Datei wird Chromium gebraucht (Debian: apt-get install "
                       "chromium, oder LOTSE_CHROMIUM=/pfad/zu/chromium). Die HTML-Datei lässt "
                       "sich auch im Browser als PDF drucken.")
    with tempfile.TemporaryDirectory(prefix="lotse-pdf-") as tmp:
        page, target = Path(tmp) / "seite.html", Path(tmp) / "seite.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                   "--no-first-run", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={Path(tmp) / 'profil'}",
                   "--no-pdf-header-footer", "--proxy-server=127.0.0.1:9",
                   "--proxy-bypass-list=<-loopback>", f"--print-to-pdf={target}",
                   page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"Chromium ließ sich nicht zum Drucken starten ({exc}).") from None
        if not target.exists() or target.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise PdfError("Chromium hat keine PDF-Datei geschrieben"
                           + (f": {detail[0]}" if detail else ".")) from None
        return target.read_bytes()
