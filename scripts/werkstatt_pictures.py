"""Screenshots of the Werkstatt for the README (``make docs-pictures`` runs it too).

Starts ``lotse serve --no-auth`` on the Dortmund seed (the single-user laptop mode of
``make run``) and photographs overview, quarter, edit form and Besprechung at 1280×720,
the projector size, into ``docs/pictures/``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import ARGS, CHROMIUM  # noqa: E402
from tests.werkstatt import served  # noqa: E402

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
        with served(Path(tmp), "--no-auth") as url:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 720},
                                       locale="de-DE").new_page()
            for name, path in PAGES.items():
                page.goto(url + path)
                page.wait_for_timeout(800)
                page.screenshot(path=str(out / name))
                print(out / name)
            browser.close()


if __name__ == "__main__":
    main()
