"""The production stack of `make prod` for end-to-end tests, on free loopback ports.

Each stack gets a fresh PostgreSQL database (on the server the suite uses), a
Redis server of its own and its own folders, and stops everything it started.
PostgreSQL is reached through a TCP forwarder, so a test can make the database
unreachable without touching the server other tests use.
"""

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET_KEY = "e2e-" + "0123456789abcdef" * 4


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, path, **headers):
    """(status, headers, body) of a GET of url + path; never raises on 4xx/5xx."""
    request = urllib.request.Request(url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def under_load(request, seconds, fault_after, fault, threads=4):
    """Statuses of request(thread, number) made from threads for seconds, with
    fault() run fault_after seconds in."""
    statuses = []
    deadline = time.monotonic() + seconds

    def keep_asking(thread):
        number = 0
        while time.monotonic() < deadline:
            number += 1
            statuses.append(request(thread, number))

    workers = [threading.Thread(target=keep_asking, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(fault_after)
    fault()
    for worker in workers:
        worker.join()
    assert statuses, "no request was made"
    return statuses


def nginx_binary():
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


class Forwarder:
    """Forwards a loopback port to another address until stopped; can be started
    again on the same port."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self._thread = None
        self._running = False

    def start(self):
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def stop(self):
        """Refuse new connections and cut the open ones, as a dead server would."""
        self._running = False
        self._thread.join(timeout=5)

    def _serve(self):
        peers = {}
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            while self._running:
                for key, _ in selector.select(timeout=0.1):
                    if key.fileobj is self._listener:
                        self._accept(selector, peers)
                    elif not self._pass_on(key.fileobj, peers):
                        self._close_pair(key.fileobj, selector, peers)
            for end in list(peers):
                end.close()
            self._listener.close()

    def _accept(self, selector, peers):
        client, _ = self._listener.accept()
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        peers[client], peers[upstream] = upstream, client
        selector.register(client, selectors.EVENT_READ)
        selector.register(upstream, selectors.EVENT_READ)

    @staticmethod
    def _pass_on(source, peers):
        """Copy what source sent to its peer; False once either end is gone."""
        try:
            data = source.recv(65536)
            if data:
                peers[source].sendall(data)
        except OSError:
            return False
        return bool(data)

    @staticmethod
    def _close_pair(source, selector, peers):
        for end in (source, peers.get(source)):
            if end is not None and end in peers:
                peers.pop(end)
                selector.unregister(end)
                end.close()


class Stack:
    """nginx → gunicorn → PostgreSQL (through a Forwarder) and Redis, via make prod."""

    def __init__(self, postgres_url, env=None):
        # Not under pytest's own temporary folder, which only its owner may enter:
        # nginx's workers run as another user and must read the media files.
        self.folder = Path(tempfile.mkdtemp(prefix="pressoffice-stack-"))
        self.folder.chmod(0o755)
        self.server_url = postgres_url  # of the PostgreSQL server, no database
        self.database = f"pressoffice_e2e_{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.redis_port = free_port()
        self.extra_env = env or {}
        self.redis = None
        self.process = None
        self.forwarder = None

    @property
    def env(self):
        user = self.server_url.split("//", 1)[1].split("@", 1)[0]
        clean = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "HITS_")) and key != "REDIS_URL"
        }
        return {
            **clean,
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{self.forwarder.port}/"
            f"{self.database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "PORT": str(self.port),
            "PROD_RUN_DIR": str(self.folder / "run"),
            "DJANGO_MEDIA_ROOT": str(self.folder / "media"),
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            **self.extra_env,
        }

    @property
    def hits_log(self):
        return self.folder / "run" / "hits.log"

    def sql(self, query):
        """The first column of query's first row, asked of the database directly
        (not through the forwarder, which a test may have stopped)."""
        with psycopg.connect(f"{self.server_url}/{self.database}") as connection:
            return connection.execute(query).fetchone()[0]

    def counter_pid(self):
        """The process id of the hits counter make prod started, once it runs."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = subprocess.run(
                [
                    "pgrep",
                    "-P",
                    str(self.process.pid),
                    "-f",
                    "count_hits_from_front_log",
                ],
                capture_output=True,
                text=True,
            ).stdout.split()
            if found:
                return int(found[0])
            time.sleep(0.2)
        raise RuntimeError("no hits counter is running")

    def reopen_nginx_logs(self):
        """What logrotate's postrotate does: nginx reopens its log files."""
        pid = int((self.folder / "run" / "nginx.pid").read_text())
        os.kill(pid, signal.SIGUSR1)

    def start(self):
        self._psql(f"CREATE DATABASE {self.database}")
        host_port = self.server_url.rsplit("@", 1)[1].split("/", 1)[0]
        host, _, port = host_port.partition(":")
        self.forwarder = Forwarder((host or "127.0.0.1", int(port or 5432)))
        self.forwarder.start()
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        self.log = open(self.folder / "stack.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "deploy/prod.py"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_for("/readyz", seconds=120)

    def load_demo_with_chief(self, password):
        """The demo data, and a superuser "chief" with password."""
        self.manage("load_demo")
        self.manage(
            "createsuperuser", "--noinput", "--username", "chief",
            "--email", "chief@example.org",
            env={"DJANGO_SUPERUSER_PASSWORD": password},
        )  # fmt: skip

    def manage(self, *args, code=None, env=None):
        command = [sys.executable, "manage.py", *args]
        if code is not None:
            command += ["shell", "--no-imports", "-c", code]
        result = subprocess.run(
            command,
            cwd=BASE_DIR,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def kill_redis(self):
        self.redis.kill()
        self.redis.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.redis and self.redis.poll() is None:
            self.kill_redis()
        if self.forwarder and self.forwarder._running:
            self.forwarder.stop()
        if hasattr(self, "log"):
            self.log.close()
        self._psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _psql(self, statement):
        subprocess.run(
            ["psql", f"{self.server_url}/postgres", "-q", "-c", statement],
            check=True,
            capture_output=True,
        )

    def _wait_for(self, path, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "make prod exited:\n" + (self.folder / "stack.log").read_text()
                )
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.url}{path} did not answer within {seconds} s")
