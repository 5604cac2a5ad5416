"""The SQLite store under kill -9 and under many writers in several processes.

Real processes (forked, so that a round costs milliseconds, not an interpreter start),
real signals, a real database file; no mocks. ``benchmarks/store_crash.py`` runs the same
checks with more rounds and longer.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from graph.backends.sqlite import SqliteRepository
from graph.errors import ConflictError
from graph.journal import Edit
from graph.model import Provider
from graph.network import Network
from seeds import load_seed

ROOT = Path(__file__).resolve().parent.parent


def _writer(path: Path, ready: int, a: Network, b: Network) -> None:
    """Change the store for ever: small edits and, now and then, a whole replace."""
    repo = SqliteRepository(path)
    repo.load()
    os.write(ready, b"1")
    i = 0
    while True:
        i += 1
        if i % 5 == 0:
            repo.replace(a if i % 10 else b, "schreiber")
            continue
        net = repo.load()
        service = net.services[i % len(net.services)]
        repo.apply(Edit("services", service.id,
                        service.model_copy(update={"name": f"Name {i}"}), "schreiber"))


def _reader(path: Path, ready: int) -> None:
    """Read the store for ever, as a second server worker would."""
    repo = SqliteRepository(path)
    repo.load()
    os.write(ready, b"1")
    while True:
        repo.load()
        repo.journal()
        repo.revision()


def _fork(job: Callable[[int], None]) -> int:
    """Start ``job`` in a forked child; returns its pid once it says it is ready."""
    ready, signal_ready = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            job(signal_ready)
        finally:
            os._exit(1)
    os.close(signal_ready)
    assert os.read(ready, 1) == b"1"
    os.close(ready)
    return pid


def check_consistent(path: Path) -> int:
    """Integrity, a gap-free audit trail, and the stored state equal to the state after
    the last recorded change (old or new, never a mix); returns the last change number."""
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        meta = dict(raw.execute("SELECT key, value FROM meta").fetchall())
    finally:
        raw.close()
    with SqliteRepository(path) as repo:
        net = repo.load()  # the whole network is valid
        entries = repo.journal().entries
        seqs = [e.seq for e in entries]
        assert seqs == list(range(1, len(seqs) + 1))
        assert int(meta["revision"]) == len(seqs) == int(meta["last_seq"])
        last = entries[-1]
        assert last.after is not None
        if last.action == "import":
            assert net.name == last.after["name"]
        else:
            assert repo.get(last.section, last.entity_id).model_dump(
                mode="json", exclude_defaults=True) == last.after
        return len(seqs)


def test_writer_and_reader_killed_at_random_moments_leave_old_or_new_state(tmp_path):
    path = tmp_path / "s.sqlite"
    with SqliteRepository(path) as first:
        first.save(load_seed("brunnenstrasse"))  # seeds are read here once: forked
                                                  # writers start at once
    a, b = load_seed("brunnenstrasse"), load_seed("unna").model_copy(update={"name": "B"})
    rng = random.Random(19)
    progress = []
    for _ in range(100):  # about 15 s; benchmarks/store_crash.py runs more
        writer = _fork(lambda ready: _writer(path, ready, a, b))
        reader = _fork(lambda ready: _reader(path, ready))
        time.sleep(rng.uniform(0.0, 0.05))
        for pid in rng.sample([writer, reader], 2):  # a writer and a reader, killed mid-work
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        progress.append(check_consistent(path))
    assert progress[-1] > progress[0]  # the writers got on, the kills hit them mid-work


WORKERS = textwrap.dedent("""
    import sys, threading, time
    from graph.backends.sqlite import SqliteRepository
    from graph.errors import ConflictError, StoreLockedError
    from graph.journal import Edit
    from graph.model import Provider
    path, name, threads, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    repo = SqliteRepository(path, busy_timeout=30)  # one per process, shared like a server
    done, lock = [], threading.Lock()
    stop = time.monotonic() + seconds
    def work(t):
        i = 0
        while time.monotonic() < stop:
            i += 1
            key = f"{name}-{t}-{i}"
            try:
                _, entry = repo.apply(Edit("providers", key, Provider(id=key, name=key,
                                           kind="association"), name, create=True))
                with lock:
                    done.append(f"{entry.seq} {key}")
                shared = repo.get("providers", "geteilt")
                version = repo.journal().version("providers", "geteilt") if i % 5 == 0 \\
                    else None
                if version is not None:
                    _, entry = repo.apply(Edit("providers", "geteilt", shared.model_copy(
                        update={"name": key}), name, expected_version=version))
                    with lock:
                        done.append(f"{entry.seq} geteilt")
            except ConflictError:
                with lock:
                    done.append("0 konflikt")
    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for t in pool: t.start()
    for t in pool: t.join()
    print("\\n".join(done), flush=True)
""")


def test_two_processes_with_ten_writers_each_lose_nothing(tmp_path):
    path = tmp_path / "s.sqlite"
    with SqliteRepository(path) as repo:
        net = load_seed("unna")
        repo.save(net.with_sections(providers=[
            *net.providers, Provider(id="geteilt", name="Geteilt", kind="association")]))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKERS, str(path), name, "10", "6"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, env=env) for name in ("eins", "zwei")]
    reported: list[tuple[int, str]] = []
    conflicts = 0
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        for line in out.split("\n"):
            if not line:
                continue
            seq, key = line.split(" ", 1)
            if key == "konflikt":
                conflicts += 1
            else:
                reported.append((int(seq), key))
    with SqliteRepository(path) as repo:
        entries = repo.journal().entries
        net = repo.load()
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))  # gap-free
        by_seq = {e.seq: e for e in entries}
        assert len(reported) == len(entries) - 1  # every write but the first save
        for seq, key in reported:
            assert by_seq[seq].entity_id == key
        ids = {p.id for p in net.providers}
        assert {key for _, key in reported if key != "geteilt"} <= ids
        shared_updates = sum(1 for _, key in reported if key == "geteilt")
        assert repo.journal().version("providers", "geteilt") == 1 + shared_updates
    assert len(reported) > 50
    print(f"{len(reported)} Schreibvorgänge, {conflicts} Konflikte (409)")


def test_stale_version_between_processes_is_a_conflict(tmp_path, mini):
    path = tmp_path / "s.sqlite"
    SqliteRepository(path).save(mini)
    script = textwrap.dedent("""
        import sys
        from graph.backends.sqlite import SqliteRepository
        from graph.journal import Edit
        repo = SqliteRepository(sys.argv[1])
        kita = repo.get("services", "kita")
        repo.apply(Edit("services", "kita", kita.model_copy(update={"name": "Anders"}),
                        "b", expected_version=1))
    """)
    here = SqliteRepository(path)
    kita = here.get("services", "kita")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, cwd=ROOT, env=env)
    try:
        here.apply(Edit("services", "kita", kita.model_copy(update={"name": "Hier"}), "a",
                        expected_version=1))
    except ConflictError as exc:
        assert exc.status == 409 and "Version 2" in str(exc)
    else:
        raise AssertionError("eine veraltete Version wurde angenommen")
    assert here.get("services", "kita").name == "Anders"  # type: ignore[attr-defined]
