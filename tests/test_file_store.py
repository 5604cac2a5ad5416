"""The embedded file store: crash safety, locking, schema version, broken files.

These tests use real processes and real signals, no mocks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph.atomic import TEMP_PREFIX
from graph.backends.memory import MemoryRepository
from graph.errors import StoreCorruptError, StoreLockedError
from seeds import load_seed
from seeds.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent("""
    import sys
    from graph.backends.memory import MemoryRepository
    from seeds.synthetic import generate
    path = sys.argv[1]
    a = generate(quarters=25, services_per_quarter=200, seed=1).network
    b = generate(quarters=25, services_per_quarter=200, seed=2).network
    repo = MemoryRepository(path)
    repo.save(a)
    print("bereit", flush=True)
    while True:
        repo.save(b)
        repo.save(a)
""")


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


@pytest.mark.slow
def test_writer_killed_mid_save_leaves_old_or_new_state(tmp_path):
    path = tmp_path / "speicher.json"
    a = generate(quarters=25, services_per_quarter=200, seed=1).network
    b = generate(quarters=25, services_per_quarter=200, seed=2).network
    caught_mid_write = 0
    seen = set()
    for attempt in range(6):
        proc = _python(WRITER, str(path))
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "bereit", proc.stderr.read() if proc.stderr else ""
        time.sleep(0.15 + 0.23 * attempt)
        leftovers_before = list(tmp_path.glob(f"{TEMP_PREFIX}*"))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        if leftovers_before or list(tmp_path.glob(f"{TEMP_PREFIX}*")):
            caught_mid_write += 1
        loaded = MemoryRepository(path).load()  # never a broken state
        assert loaded in (a, b)
        seen.add("a" if loaded == a else "b")
        # the lock died with the writer: a new writer gets in at once
        MemoryRepository(path, lock_timeout=1).save(load_seed("unna"))
        assert MemoryRepository(path).load() == load_seed("unna")
        assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))  # stale temp files cleaned up
    print(f"{caught_mid_write} von 6 Abbrüchen mitten im Schreiben")
    assert caught_mid_write >= 1, "kein Abbruch mitten im Schreiben getroffen"


HOLDER = textwrap.dedent("""
    import sys, time
    from filelock import FileLock
    lock = FileLock(sys.argv[1] + ".lock")
    lock.acquire()
    print("gesperrt", flush=True)
    time.sleep(60)
""")


def test_second_writer_is_refused_while_one_writes(tmp_path):
    path = tmp_path / "speicher.json"
    MemoryRepository(path).save(load_seed("unna"))
    holder = _python(HOLDER, str(path))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "gesperrt"
        repo = MemoryRepository(path, lock_timeout=0.3)
        with pytest.raises(StoreLockedError, match="wird gerade von einem anderen Vorgang"):
            repo.save(load_seed("dortmund"))
        assert MemoryRepository(path).load() == load_seed("unna")
    finally:
        holder.kill()
        holder.communicate(timeout=10)
    MemoryRepository(path, lock_timeout=1).save(load_seed("dortmund"))
    assert MemoryRepository(path).load() == load_seed("dortmund")


def test_reader_sees_changes_of_another_process(tmp_path):
    path = tmp_path / "speicher.json"
    reader = MemoryRepository(path)
    MemoryRepository(path).save(load_seed("unna"))
    assert reader.load().name == load_seed("unna").name
    MemoryRepository(path).save(load_seed("dortmund"))
    assert reader.load().name == load_seed("dortmund").name


def test_store_file_carries_schema_version(tmp_path):
    path = tmp_path / "speicher.json"
    MemoryRepository(path).save(load_seed("unna"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "lotsensystem-speicher" and doc["schema_version"] == 1
    doc["schema_version"] = 2
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(StoreCorruptError, match=r"Schema-Version 2.*aktualisieren"):
        MemoryRepository(path).load()


def test_broken_store_file_gets_a_clear_message(tmp_path):
    path = tmp_path / "speicher.json"
    path.write_text('{"format": "lotsensystem-speicher", "schema', encoding="utf-8")
    with pytest.raises(StoreCorruptError, match="beschädigt"):
        MemoryRepository(path).load()
    path.write_text("name: kein Speicher\n", encoding="utf-8")
    with pytest.raises(StoreCorruptError):
        MemoryRepository(path).load()


def test_graph_of_the_store(tmp_path):
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.save(load_seed("brunnenstrasse"))
    g = repo.graph
    assert g.nodes["kita-bornstrasse"]["type"] == "service"
    assert g.has_edge("kita-bornstrasse", "grundschule-kleine-kielstrasse")
