"""Write the pictures in docs/pictures/: what the tool shows for the reference quarter.

The HTML map (also in meeting mode at projector size 1280×720) and the report are
photographed in real headless Chromium (offline); the slide pictures and the matrix come
straight from matplotlib.

    python scripts/docs_pictures.py      (or: make docs-pictures)
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seeds import load_seed  # noqa: E402
from tests.browser import chromium, open_page  # noqa: E402
from visualisation.html_map import map_html  # noqa: E402
from visualisation.matrix import matrix_image, stage_field_matrix  # noqa: E402
from visualisation.report import quarter_report  # noqa: E402
from visualisation.scene import quarter_scene  # noqa: E402
from visualisation.slides import slide_figures  # noqa: E402
from visualisation.static import save_figure, scene_image  # noqa: E402

AS_OF = dt.date(2026, 11, 22)


def main() -> None:
    target = ROOT / "docs" / "pictures"
    target.mkdir(parents=True, exist_ok=True)
    net = load_seed("dortmund")
    scene = quarter_scene(net, "brunnenstrasse", AS_OF)
    (target / "karte-brunnenstrasse-folie.png").write_bytes(scene_image(scene, "png"))
    (target / "matrix-brunnenstrasse.png").write_bytes(
        matrix_image(stage_field_matrix(net, "brunnenstrasse", AS_OF), "png"))
    slides = slide_figures(net, scene)
    (target / "folie-brunnenstrasse-karte.png").write_bytes(save_figure(slides[1], "png"))
    (target / "folie-brunnenstrasse-baustellen.png").write_bytes(save_figure(slides[2], "png"))
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        pages = {
            "karte-brunnenstrasse.png": (map_html(scene), 1600, 900, True),
            "karte-libellenquartier-besprechung.png": (
                map_html(quarter_scene(net, "libellenquartier", AS_OF), meeting=True),
                1600, 900, True),
            "karte-brunnenstrasse-besprechung-1280x720.png": (
                map_html(scene, meeting=True), 1280, 720, True),
            "karte-brunnenstrasse-1280x720.png": (map_html(scene), 1280, 720, True),
            "bericht-brunnenstrasse.png": (quarter_report(net, "brunnenstrasse", AS_OF),
                                           1200, 1600, False),
        }
        for name, (html, width, height, is_map) in pages.items():
            page_file = Path(tmp) / "seite.html"
            page_file.write_text(html, encoding="utf-8")
            ready = "body[data-bereit='1']" if is_map else None
            with open_page(browser, page_file, width, height, ready=ready) as run:
                run.page.wait_for_timeout(300)
                (target / name).write_bytes(run.page.screenshot())
                if run.errors:
                    raise SystemExit(f"{name}: {run.errors}")
    for f in sorted(target.iterdir()):
        print(f"{f.relative_to(ROOT)}  {f.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
