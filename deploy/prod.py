"""`make prod`: the production stack on this machine, without Docker.

nginx (deploy/nginx/, listening on 127.0.0.1:PORT, default 8080) in front of
gunicorn, against DATABASE_URL and REDIS_URL (SQLite and the database cache when
they are unset), with DEBUG off. DJANGO_SECRET_KEY is required. Plain HTTP on
loopback: TLS is the outer proxy's job, so the HTTPS redirect is off unless
DJANGO_SECURE_SSL_REDIRECT says otherwise. nginx is installed with apt-get when
missing. Everything it writes goes to PROD_RUN_DIR (default .prod/, ignored by
git). The hits counter (manage.py count_hits_from_front_log) counts release
views from nginx's log of them, HITS_FRONT_LOG (default PROD_RUN_DIR/hits.log);
the worker (manage.py alerts_worker) sends the e-mail alerts from the queue.
Ctrl-C or SIGTERM stops nginx, gunicorn, the counter and the worker. A counter
or worker that exits is started again; if nginx or gunicorn dies, the rest are
stopped and this exits non-zero.
"""

import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NGINX_TEMPLATES = BASE_DIR / "deploy" / "nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
BROTLI_TYPES = (
    "text/css text/plain text/xml application/xml application/json "
    "application/javascript application/rss+xml application/atom+xml image/svg+xml"
)
RESTART_SECONDS = 1
# Behind this nginx, unless the environment says otherwise.
DEFAULTS = {
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_BEHIND_HTTPS_PROXY": "true",
    "HITS_TRUSTED_PROXIES": "1",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def main():
    env = {**DEFAULTS, **os.environ, "DJANGO_DEBUG": "false"}
    env["DJANGO_MEDIA_SENT_BY_FRONT"] = "true"
    if not env.get("DJANGO_SECRET_KEY"):
        sys.exit(
            "make prod needs DJANGO_SECRET_KEY, e.g.\n"
            "  DJANGO_SECRET_KEY=$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))') make prod"
        )
    port = int(env.get("PORT", "8080"))
    run_dir = Path(env.get("PROD_RUN_DIR", BASE_DIR / ".prod")).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    # nginx logs every answer to a release page there; the counter counts from it.
    env.setdefault("HITS_FRONT_LOG", str(run_dir / "hits.log"))
    nginx = ensure_nginx()

    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    app_port = free_port()
    stack = Stack()
    signal.signal(signal.SIGTERM, stack.stop_on_signal)
    signal.signal(signal.SIGINT, stack.stop_on_signal)
    stack.start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pressoffice.wsgi",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--workers",
            env.get("GUNICORN_WORKERS", "2"),
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--error-logfile",
            "-",
            # Its default socket is one per user: two stacks would share it.
            "--no-control-socket",
        ],
        env,
    )
    # Safe to restart at any point: it resumes from its committed read position.
    stack.start(
        "counter",
        [sys.executable, "manage.py", "count_hits_from_front_log"],
        env,
        restart=True,
    )
    # The queue's worker (alert mail): a task it was killed in is never redone
    # twice over, so it too may be restarted at any point (alerts/sending.py).
    stack.start(
        "worker",
        [sys.executable, "manage.py", "alerts_worker", "--no-reload"],
        env,
        restart=True,
    )
    conf = write_nginx_conf(env, run_dir, port, app_port)
    subprocess.run([nginx, "-t", "-q", "-c", conf, "-p", run_dir], check=True)
    stack.start("nginx", [nginx, "-c", str(conf), "-p", str(run_dir)], env)

    url = f"http://127.0.0.1:{port}"
    stack.wait_until_ready(f"{url}/readyz")
    print(f"Serving {url}/ (admin: {url}/admin/); Ctrl-C stops.", flush=True)
    sys.exit(stack.watch())


class Stack:
    """The processes of the stack, stopped together."""

    def __init__(self):
        self.processes = {}
        self.restarts = {}
        self.stopping = False

    def start(self, name, command, env, restart=False):
        """Start command; with restart, start it again whenever it exits."""
        # Its own session: a Ctrl-C reaches this process only, which then stops
        # the others in order.
        self.processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, start_new_session=True
        )
        if restart:
            self.restarts[name] = (command, env)

    def wait_until_ready(self, url, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.exit_if_one_died()
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"The stack did not get ready within {seconds} s ({url}).")

    def watch(self):
        while not self.stopping:
            self.exit_if_one_died()
            time.sleep(0.5)
        return 0

    def exit_if_one_died(self):
        for name, process in list(self.processes.items()):
            if process.poll() is None or self.stopping:
                continue
            if name in self.restarts:
                print(f"{name} exited ({process.returncode}); restarting.", flush=True)
                time.sleep(RESTART_SECONDS)
                self.start(name, *self.restarts[name], restart=True)
                continue
            print(f"{name} exited ({process.returncode}); stopping.", flush=True)
            self.stop()
            sys.exit(1)

    def stop_on_signal(self, signum, frame):
        self.stop()
        sys.exit(0)

    def stop(self):
        self.stopping = True
        # nginx first, so no request reaches a stopping app; SIGQUIT and SIGTERM
        # let each finish the requests it has.
        for name, stop_signal in (
            ("nginx", signal.SIGQUIT),
            ("gunicorn", signal.SIGTERM),
            ("counter", signal.SIGTERM),  # what it has not read, it reads next time
            ("worker", signal.SIGTERM),  # it ends the task it is running first
        ):
            process = self.processes.get(name)
            if process and process.poll() is None:
                process.send_signal(stop_signal)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def ensure_nginx():
    """The nginx binary, installed from Debian's packages if missing."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx:
        return nginx
    if os.geteuid() != 0:
        sys.exit("nginx is missing: apt-get install nginx (as root), then again.")
    print("Installing nginx…", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx", "libnginx-mod-http-brotli-filter"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return shutil.which("nginx", path="/usr/sbin:/usr/bin")


def write_nginx_conf(env, run_dir, port, app_port):
    """Fill the templates in for this run; returns the main configuration's path."""
    values = {
        "APP_UPSTREAM": f"127.0.0.1:{app_port}",
        "LISTEN": f"127.0.0.1:{port}",
        "RUN_DIR": str(run_dir),
        "CACHE_PATH": str(run_dir / "cache"),
        "ACCESS_LOG": str(run_dir / "access.log"),
        "HITS_LOG": env["HITS_FRONT_LOG"],
        "STATIC_ROOT": django_setting(env, "STATIC_ROOT"),
        "MEDIA_ROOT": django_setting(env, "MEDIA_ROOT"),
        "FRONT_CACHE_SECONDS": env.get("FRONT_CACHE_SECONDS", "60"),
        "MAX_BODY_SIZE": env.get("NGINX_MAX_BODY_SIZE", "60m"),
        "LOAD_MODULES": "",
        "BROTLI": "",
    }
    if BROTLI_MODULE.exists():
        values["LOAD_MODULES"] = f"load_module {BROTLI_MODULE};"
        values["BROTLI"] = f"    brotli on;\n    brotli_types {BROTLI_TYPES};"
    for name in ("site.conf", "nginx.conf"):
        template = string.Template((NGINX_TEMPLATES / f"{name}.template").read_text())
        (run_dir / name).write_text(template.safe_substitute(values))
    return run_dir / "nginx.conf"


def django_setting(env, name):
    """A path setting as Django reads it from this environment."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            f"from django.conf import settings; print(settings.{name})",
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
