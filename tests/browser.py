"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, offline.

Playwright's own browser download does not work here; it drives the system Chromium.
A missing Chromium fails the tests that need it (``make test`` installs it).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class PageRun:
    """What happened while a page was open: errors and every request beyond the file."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def screenshot_is_blank(self, selector: str | None = None) -> bool:
        import matplotlib.image

        shot = (self.page.locator(selector).screenshot() if selector
                else self.page.screenshot())
        pixels = matplotlib.image.imread(io.BytesIO(shot), format="png")
        return bool(pixels[..., :3].std() < 0.01)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium fehlt unter {CHROMIUM}: 'make browser' installiert ihn "
                           "(apt-get install chromium chromium-driver).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(browser: Any, path: Path, width: int = 1600, height: int = 900,
              ready: str | None = "body[data-bereit='1']",
              timeout: int = 15_000, watch_requests: bool = True) -> Iterator[PageRun]:
    """Open a local file with the network cut off; record errors and outside requests.

    Watching requests routes each one through Playwright (a round trip per request); the
    benchmark turns it off and relies on the offline context alone.
    """
    context = browser.new_context(viewport={"width": width, "height": height}, offline=True)
    page = context.new_page()
    run = PageRun(page)
    page.on("pageerror", lambda e: run.errors.append(str(e)))
    page.on("console", lambda m: run.errors.append(m.text) if m.type == "error" else None)

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            run.requests.append(r.request.url)
            r.abort()

    if watch_requests:
        page.route("**/*", route)
    try:
        page.goto(path.resolve().as_uri())
        if ready:
            page.wait_for_selector(ready, state="attached", timeout=timeout)
        yield run
    finally:
        context.close()


# Words a line break cuts outside a German hyphenation point (a soft hyphen or a hyphen),
# e.g. "Schwangersc|haftsberatung", "Ver|mitt|lun|g", "B|e|a|r|b|ei|t|e|n", in the elements
# matching the selector given to page.evaluate(CUT_WORDS, selector).
CUT_WORDS = """(sel) => {
  const cut = [];
  for (const cell of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.sr')) continue;
      const text = node.textContent;
      for (const m of text.matchAll(/[^\\s\\u00ad\\-–]+/g)) {
        let top = null;
        for (let i = m.index; i < m.index + m[0].length; i++) {
          const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
          // after a break at a soft hyphen Chromium gives the drawn hyphen first
          const rects = r.getClientRects(), box = rects[rects.length - 1];
          if (!box) continue;
          if (top !== null && box.top > top + 2) { cut.push(m[0]); break; }
          top = box.top;
        }
      }
    }
  }
  return cut;
}"""
