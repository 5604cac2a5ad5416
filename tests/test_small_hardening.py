"""Smaller items of issue 32.9: the map page carries CSP and nosniff (its inline scripts
allowed by their hashes only); the flash messages cannot grow the session cookie beyond
what a browser keeps."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from api.web.pages.common import flash
from graph.backends.memory import MemoryRepository
from seeds import load_seed
from tests.werkstatt import werkstatt


def test_map_page_has_csp_with_the_hashes_of_its_scripts(tmp_path: Path) -> None:
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    client = werkstatt(repo, tmp_path, auth=False)
    r = client.get("/quartiere/brunnenstrasse/karte")
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in csp and "base-uri 'none'" in csp
    scripts = re.findall(r"<script(?: type=\"text/plain\"[^>]*)?>(.*?)</script>", r.text, re.S)
    assert len(scripts) == 3  # preview, app, and the vis-network source it runs later
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


class _Request:
    def __init__(self) -> None:
        self.session: dict[str, Any] = {}


def test_flash_messages_keep_the_cookie_small() -> None:
    request = _Request()
    for i in range(100):
        flash(request, "fehler", f"Änderung {i}: " + "ü" * 2000)  # type: ignore[arg-type]
    size = len(json.dumps(request.session))  # what the session cookie carries
    assert size <= 2500, size
    assert request.session["flash"][-1][1].startswith("Änderung 99")
