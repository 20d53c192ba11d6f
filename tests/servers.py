"""Real web servers for the deployment tests: Debian's nginx and Apache, each
on 127.0.0.1 with the configuration shipped in deploy/, serving a built site.

Both start unprivileged-style (no daemon, files under a temporary folder)
and stop when the fixture that started them ends.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .tooling import require

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin") or "/usr/sbin/nginx"
NGINX_BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
APACHE = shutil.which("apache2", path="/usr/sbin:/usr/bin:/sbin") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Strict-Transport-Security",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, **headers: str):
    """(status, headers, body) of a GET, without following redirects' errors."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def assert_security_headers(headers) -> None:
    for header in SECURITY_HEADERS:
        assert headers.get(header), f"no {header}"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


@contextmanager
def running(command: list[str], port: int, log: Path) -> Iterator[str]:
    """Start a server, wait until it accepts connections, yield its base URL."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode(errors="replace")
                errors = log.read_text(errors="replace") if log.exists() else ""
                pytest.fail(f"{command[0]} did not start:\n{output}\n{errors}")
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def nginx_config(
    site: Path, tmp: Path, port: int, http_port: int | None = None, server: str | None = None
) -> Path:
    """A whole nginx.conf around deploy/nginx.conf (or the text ``server``), with
    brotli on as its comment says. The HTTPS server answers on ``port`` (in
    plain HTTP: the certificate is the host's), the redirecting one on ``http_port``."""
    server = server or (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    server = server.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    server = re.sub(r"\n\s*ssl_certificate(_key)? [^;]*;", "", server)
    server = server.replace("listen 80;", f"listen 127.0.0.1:{http_port or free_port()};")
    server = server.replace("listen [::]:443 ssl http2;", "").replace("listen [::]:80;", "")
    server = server.replace("root /srv/kbt;", f"root {site};")
    server = server.replace("# brotli_static on;", "brotli_static on;")
    server = server.replace(
        "/etc/nginx/snippets/kbt-security-headers.conf", str(DEPLOY / "security-headers.conf")
    )
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = tmp / "nginx.conf"
    config.write_text(
        f"""load_module {NGINX_BROTLI};
daemon off;
master_process off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
{server}
}}
""",
        encoding="utf-8",
    )
    return config


@contextmanager
def nginx(site: Path, tmp: Path) -> Iterator[str]:
    for needed in (Path(NGINX), NGINX_BROTLI):
        require(needed.exists(), f"{needed} is missing")
    port = free_port()
    config = nginx_config(site, tmp, port)
    command = [NGINX, "-p", str(tmp), "-c", str(config), "-e", str(tmp / "error.log")]
    with running(command, port, tmp / "error.log") as url:
        yield url


APACHE_MODULE_NAMES = ("mpm_event", "authz_core", "mime", "dir", "headers", "rewrite", "alias")


def apache_config(docroot: Path, tmp: Path, port: int) -> Path:
    """A whole httpd.conf that serves ``docroot`` and obeys its .htaccess."""
    modules = "\n".join(
        f"LoadModule {name}_module {APACHE_MODULES / f'mod_{name}.so'}"
        for name in APACHE_MODULE_NAMES
    )
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    config = tmp / "httpd.conf"
    config.write_text(
        f"""ServerRoot {tmp}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {tmp / "httpd.pid"}
ErrorLog {tmp / "error.log"}
LogLevel warn
DefaultRuntimeDir {tmp}
Mutex file:{tmp} default
{user}
{modules}
TypesConfig /etc/mime.types
StartServers 1
ServerLimit 1
ThreadsPerChild 8
DocumentRoot {docroot}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {docroot}>
    AllowOverride All
    Require all granted
</Directory>
""",
        encoding="utf-8",
    )
    return config


@contextmanager
def apache(site: Path) -> Iterator[str]:
    """Apache serving a copy of ``site`` with deploy/.htaccess in it, as the
    comment at the top of that file tells a host to do."""
    require(Path(APACHE).exists(), "apache2 is missing")
    # Run as root, Apache serves as www-data, which must be able to read the
    # files: so a folder of its own under /tmp rather than pytest's private one.
    tmp = Path(tempfile.mkdtemp(prefix="kbt-apache-"))
    tmp.chmod(0o755)
    try:
        docroot = tmp / "site"
        shutil.copytree(site, docroot)
        shutil.copy(DEPLOY / ".htaccess", docroot / ".htaccess")
        port = free_port()
        config = apache_config(docroot, tmp, port)
        with running([APACHE, "-X", "-f", str(config)], port, tmp / "error.log") as url:
            yield url
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
