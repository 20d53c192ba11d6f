"""Measure the site with Lighthouse (mobile) and write the scores to docs/lighthouse.md.

On demand only, never part of ``make test``::

    npm install --no-save lighthouse@12.8.2   # once (invoke lighthouse does it)
    .venv/bin/python bench/lighthouse.py [--runs 1]

It builds the site as published (publishconf.py) with SITEURL set to a local
server on 127.0.0.1, serves it the way a production server should (the site's
Content-Security-Policy, gzip, long caching of hashed assets), runs npm's
``lighthouse`` with Debian's Chromium in its default mobile mode on the home,
timeline and children-and-youth pages in both languages, and writes the
scores into docs/lighthouse.md and into README.md between the
``lighthouse:start``/``lighthouse:end`` markers. The target: 100 in
accessibility, best practices and SEO, at least 95 in performance.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from build import build_site

ROOT = Path(__file__).resolve().parent.parent

PAGES = [  # (name, Norwegian path, English path)
    ("Home", "/", "/en/"),
    ("Timeline", "/tidslinje/", "/en/timeline/"),
    ("Children and youth", "/barn-og-unge/", "/en/children-and-youth/"),
]
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}
TARGET = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")
HASHED = re.compile(r"\.[0-9a-f]{10}\.(?:css|js)$")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DOC = ROOT / "docs" / "lighthouse.md"
README = ROOT / "README.md"


class Handler(SimpleHTTPRequestHandler):
    """Static files with the headers a production server sends."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream",
    }

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirect to the slash
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSIBLE and gzip_ok):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        url_path = self.path.split("?")[0]
        forever = HASHED.search(url_path)
        self.send_header(
            "Cache-Control", "public, max-age=31536000, immutable" if forever else "no-cache"
        )
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def run_lighthouse(url: str) -> dict[str, int]:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    done = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    report = json.loads(done.stdout)
    return {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES} | {
        "_version": report.get("lighthouseVersion", "?")
    }


def table(rows: list[tuple[str, str, str, dict[str, int]]]) -> str:
    head = "| Page | Language | " + " | ".join(CATEGORIES.values()) + " |"
    lines = [head, "| --- | --- |" + " ---: |" * len(CATEGORIES)]
    for name, lang, path, scores in rows:
        cells = []
        for key in CATEGORIES:
            mark = "" if scores[key] >= TARGET[key] else " ⚠"
            cells.append(f"{scores[key]}{mark}")
        lines.append(f"| {name} (`{path}`) | {lang} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chromium_version() -> str:
    try:
        done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
        return done.stdout.strip()
    except OSError:
        return "?"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is kept")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm install` in the project folder.")
    if not Path(CHROMIUM).exists():
        sys.exit("Chromium is not installed: run `sudo apt-get install -y chromium`.")
    with tempfile.TemporaryDirectory(prefix="kbt-lighthouse-") as tmp:
        site = Path(tmp) / "output"
        site.mkdir()
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(site))
        )
        base = f"http://127.0.0.1:{server.server_address[1]}"
        build_site(ROOT / "publishconf.py", site, {"SITEURL": base})
        server.RequestHandlerClass = functools.partial(Handler, directory=str(site))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        rows = []
        version = "?"
        try:
            for name, nb_path, en_path in PAGES:
                for lang, path in (("nb", nb_path), ("en", en_path)):
                    runs = [run_lighthouse(base + path) for _ in range(args.runs)]
                    version = runs[0].pop("_version")
                    scores = {
                        key: sorted(r[key] for r in runs)[len(runs) // 2] for key in CATEGORIES
                    }
                    print(f"{name} {lang} {path}: {scores}", flush=True)
                    rows.append((name, lang, path, scores))
        finally:
            server.shutdown()
            server.server_close()
    today = datetime.date.today().isoformat()
    summary = (
        f"Measured {today} with Lighthouse {version} (mobile, simulated throttling), "
        f"{chromium_version()}, on 127.0.0.1; median of {args.runs} run(s) per page. "
        "Target: 100 in accessibility, best practices and SEO, at least 95 in performance "
        "(⚠ marks a score below it)."
    )
    body = f"{summary}\n\n{table(rows)}\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(
        "# Lighthouse scores\n\nWritten by `bench/lighthouse.py`; run it again after changes "
        f"to the theme.\n\n{body}",
        encoding="utf-8",
    )
    readme = README.read_text(encoding="utf-8")
    block = f"<!-- lighthouse:start -->\n{body}<!-- lighthouse:end -->"
    if "<!-- lighthouse:start -->" in readme:
        readme = re.sub(
            r"<!-- lighthouse:start -->.*?<!-- lighthouse:end -->",
            lambda _m: block,
            readme,
            flags=re.S,
        )
        README.write_text(readme, encoding="utf-8")
    print(f"Wrote {DOC.relative_to(ROOT)} and the table in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
