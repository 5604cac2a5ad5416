"""Screenshots of the Werkstatt for the README (``make docs-pictures`` runs it too).

Starts ``lotse serve --no-auth`` on the Dortmund seed (the single-user laptop mode of
``make run``) and photographs overview, quarter, edit form and Besprechung at 1280×720,
the projector size, into ``docs/pictures/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import ARGS, CHROMIUM  # noqa: E402

LOTSE = str(Path(sys.executable).parent / "lotse")
PAGES = {
    "werkstatt-uebersicht.png": "/",
    "werkstatt-quartier.png": "/quartiere/brunnenstrasse",
    "werkstatt-bearbeiten.png": "/bearbeiten/uebergaenge/willkommensbesuch-kinderstube",
    "werkstatt-besprechung.png": "/quartiere/libellenquartier/besprechung",
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "pictures"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        subprocess.run([LOTSE, "load", "dortmund"], cwd=tmp, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "LOTSE_STORE"}
        server = subprocess.Popen([LOTSE, "serve", "--no-auth", "--port", str(port)], cwd=tmp,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(url + "/health", timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 720},
                                       locale="de-DE").new_page()
            for name, path in PAGES.items():
                page.goto(url + path)
                page.wait_for_timeout(800)
                page.screenshot(path=str(out / name))
                print(out / name)
            browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
