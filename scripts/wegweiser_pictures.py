"""Pictures of the Familienwegweiser for the docs (``make docs-pictures`` runs it too).

The Brunnenstraße seed with invented example contact data (``tests/wegweiser_net.py``),
rendered in headless Chromium (offline) in German, Turkish and Arabic into
``docs/pictures/wegweiser-{de,tr,ar}.png`` – the top of the first page, A4 width.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lotsen.wegweiser import guide  # noqa: E402
from tests.browser import chromium, open_page  # noqa: E402
from tests.wegweiser_net import AS_OF, wegweiser_network  # noqa: E402
from visualisation.wegweiser import SUPPORTED, wegweiser_html  # noqa: E402


def main() -> None:
    out = ROOT / "docs" / "pictures"
    g = guide(wegweiser_network(), "brunnenstrasse", AS_OF)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        for lang in SUPPORTED:
            page = Path(tmp) / f"wegweiser-{lang}.html"
            page.write_text(wegweiser_html(g, lang), encoding="utf-8")
            with open_page(browser, page, 794, 1123, ready=None) as run:  # A4 at 96 dpi
                target = out / f"wegweiser-{lang}.png"
                run.page.screenshot(path=str(target))
                print(target)


if __name__ == "__main__":
    main()
