"""Start and stop a real Neo4j 5.26 Community server for development and tests.

The server runs as a plain Java process from the jars Maven fetched (``neo4j/pom.xml``),
bound to 127.0.0.1 on a free port, with authentication on and a generated password.
Its home (config, data, logs) is ``neo4j/run/``; the connection is written to
``neo4j/run/connection.env`` (mode 600) for the tests and the CLI.

    python scripts/neo4j_server.py fetch    # download the jars (once)
    python scripts/neo4j_server.py start    # start, wait until Bolt answers
    python scripts/neo4j_server.py stop     # stop cleanly
    python scripts/neo4j_server.py status

Only the standard library is used here, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEO4J = ROOT / "neo4j"
LIB = NEO4J / "lib"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"

CONFIG = """\
# written by scripts/neo4j_server.py – a local test server, loopback only
server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{port}
server.bolt.advertised_address=127.0.0.1:{port}
server.http.enabled=false
server.https.enabled=false
server.memory.heap.initial_size={heap}
server.memory.heap.max_size={heap}
server.memory.pagecache.size={pagecache}
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.directories.data={home}/data
server.directories.logs={home}/logs
server.directories.run={home}/run
server.directories.plugins={home}/plugins
server.directories.import={home}/import
server.directories.lib={lib}
"""


# the JVM options of the official distribution (its neo4j.conf, server.jvm.additional):
# the launcher script adds them, we start java directly. Without the --add-opens the page
# cache falls back to a slower mode ("Reflection access to java.nio.DirectByteBuffer is
# not available" in debug.log)
JVM_OPTIONS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048", "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dlog4j2.disable.jmx=true",
]


@dataclass
class Server:
    """A running server: where it is and how to reach it."""

    home: str
    port: int
    user: str
    password: str
    pid: int

    @property
    def uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {"LOTSE_NEO4J_URI": self.uri, "LOTSE_NEO4J_USER": self.user,
                "LOTSE_NEO4J_PASSWORD": self.password}


def fetch() -> None:
    """Download the server jars with Maven (skipped when they are there)."""
    if LIB.exists() and any(LIB.glob("neo4j-5*.jar")):
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        sys.exit("Maven (mvn) fehlt: bitte installieren, um den Neo4j-Testserver zu laden.")
    print("Lade Neo4j 5.26 von Maven Central …", flush=True)
    result = subprocess.run([mvn, "-q", "-B", "dependency:copy-dependencies",
                             f"-DoutputDirectory={LIB}"], cwd=NEO4J)
    if result.returncode != 0:
        sys.exit("Neo4j konnte nicht über Maven geladen werden (siehe Ausgabe oben).")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        sys.exit("Java fehlt: Neo4j 5.26 braucht Java 17 oder 21.")
    return java


def state_file(home: Path) -> Path:
    return home / "server.json"


def start(home: Path = NEO4J / "run", heap: str = "2g", pagecache: str = "512m",
          timeout: float = 120.0, fresh: bool = True) -> Server:
    """Start a server in ``home`` and wait until Bolt answers; fresh=False keeps its data."""
    fetch()
    home = home.resolve()
    old = read_state(home)
    if old is not None and _alive(old.pid):
        return old
    port = _free_port()
    # letters and digits only: a generated password that began with "-" was once taken by
    # the admin tool for an option (and the server did not start)
    password = old.password if (old and not fresh) else "lotse" + secrets.token_hex(16)
    if fresh and home.exists():
        shutil.rmtree(home)
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(CONFIG.format(
        port=port, heap=heap, pagecache=pagecache, home=home, lib=LIB), encoding="utf-8")
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    if fresh:
        subprocess.run([_java(), "-cp", f"{LIB}/*", ADMIN_TOOL, "dbms", "set-initial-password",
                        password], env=env, check=True, capture_output=True)
    # started detached (its own session, not our child), so it outlives this call cleanly
    command = " ".join(shlex.quote(x) for x in [
        "setsid", _java(), f"-Xms{heap}", f"-Xmx{heap}", *JVM_OPTIONS, "-cp", f"{LIB}/*",
        ENTRY_POINT,
        f"--home-dir={home}", f"--config-dir={home / 'conf'}", "--console-mode"])
    log = shlex.quote(str(home / "logs" / "console.log"))
    launched = subprocess.run(["sh", "-c", f"{command} >>{log} 2>&1 </dev/null & echo $!"],
                              env=env, capture_output=True, text=True, check=True)
    pid = int(launched.stdout.strip())
    server = Server(str(home), port, "neo4j", password, pid)
    state_file(home).write_text(json.dumps(asdict(server)), encoding="utf-8")
    os.chmod(state_file(home), 0o600)
    connection = home / "connection.env"
    connection.write_text("".join(f"{k}={v}\n" for k, v in server.env().items()),
                          encoding="utf-8")
    os.chmod(connection, 0o600)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            tail = (home / "logs" / "console.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"Neo4j hat sich beim Start beendet:\n{tail}")
        if _bolt_answers(port) and "Started." in (home / "logs" / "console.log").read_text(
                errors="replace"):
            return server
        time.sleep(0.3)
    stop(home)
    raise RuntimeError(f"Neo4j hat nach {timeout:.0f} s nicht geantwortet.")


def _bolt_answers(port: int) -> bool:
    """True when the port speaks Bolt (handshake: magic preamble and four versions)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(bytes.fromhex("6060B017") + bytes.fromhex(
                "00000505" "00000404" "00000003" "00000000"))
            reply = s.recv(4)
            return len(reply) == 4 and reply != b"\x00\x00\x00\x00"
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def read_state(home: Path = NEO4J / "run") -> Server | None:
    path = state_file(home.resolve())
    if not path.exists():
        return None
    return Server(**json.loads(path.read_text(encoding="utf-8")))


def stop(home: Path = NEO4J / "run", timeout: float = 60.0) -> None:
    """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``)."""
    server = read_state(home)
    if server is None or not _alive(server.pid):
        return
    os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(server.pid):
        time.sleep(0.2)
        _reap(server.pid)
    if _alive(server.pid):
        os.killpg(server.pid, signal.SIGKILL)
    _reap(server.pid)


def kill(home: Path = NEO4J / "run") -> None:
    """Kill the server at once (SIGKILL), as a crash would."""
    server = read_state(home)
    if server is not None and _alive(server.pid):
        os.killpg(server.pid, signal.SIGKILL)
        for _ in range(50):
            _reap(server.pid)
            if not _alive(server.pid):
                break
            time.sleep(0.1)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["fetch", "start", "stop", "status"])
    parser.add_argument("--home", type=Path, default=NEO4J / "run")
    args = parser.parse_args()
    if args.command == "fetch":
        fetch()
    elif args.command == "start":
        server = start(args.home)
        print(f"Neo4j läuft: {server.uri} (Zugangsdaten in {args.home}/connection.env)")
    elif args.command == "stop":
        stop(args.home)
        print("Neo4j gestoppt.")
    else:
        server = read_state(args.home)
        alive = server is not None and _alive(server.pid)
        print(f"Neo4j läuft: {server.uri}" if alive and server else "Neo4j läuft nicht.")


if __name__ == "__main__":
    main()
