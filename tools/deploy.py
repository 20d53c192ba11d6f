"""Copy the published site (``output/`` after ``invoke publish``) to where it is served.

Three ways, one function each:

* ``rsync``: to a server over SSH (or a local folder), with ``--delete`` so that
  removed pages disappear; the target comes from ``DEPLOY_RSYNC_TARGET``, such
  as ``user@host:/srv/www/kbt/``;
* ``gh-pages``: commits the site to a branch (default ``gh-pages``) with
  ghp-import, with a ``.nojekyll`` file so that GitHub Pages serves it as is,
  and pushes it to ``origin`` unless told not to;
* ``folder``: a copy into a folder, for any other static host; what an
  earlier deploy put there and the site no longer has is removed (the files
  deployed are listed in ``.deployed-files`` in that folder; nothing else
  there is touched).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)

RSYNC_ENV = "DEPLOY_RSYNC_TARGET"
BRANCH_ENV = "DEPLOY_GH_PAGES_BRANCH"


class DeployError(Exception):
    """Deploying is not possible; the message says why and what to do."""


def check_site(site: Path) -> Path:
    """The built site; DeployError when there is none."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise DeployError(
            f"{site} holds no built site (no index.html).\n"
            "  How to fix: run `invoke publish` first (with SITEURL set to the site's address)."
        )
    return site


def rsync_command(site: Path, target: str, dry_run: bool = False) -> list[str]:
    """The rsync command line: the *contents* of ``site`` mirrored into ``target``."""
    command = ["rsync", "--recursive", "--links", "--times", "--compress", "--delete"]
    command += ["--chmod=D755,F644", "--itemize-changes"]
    if dry_run:
        command.append("--dry-run")
    return [*command, f"{os.fspath(site).rstrip('/')}/", target]


def rsync(site: Path, target: str | None = None, dry_run: bool = False) -> list[str]:
    """Mirror the site to ``target`` (default: $DEPLOY_RSYNC_TARGET); returns the command."""
    site = check_site(site)
    target = target or os.environ.get(RSYNC_ENV, "").strip()
    if not target:
        raise DeployError(
            f"No rsync target.\n  How to fix: set {RSYNC_ENV}, for example "
            f"{RSYNC_ENV}=user@host:/srv/www/kbt/ invoke deploy --to rsync"
        )
    if not shutil.which("rsync"):
        raise DeployError("rsync is not installed.\n  How to fix: apt-get install rsync")
    command = rsync_command(site, target, dry_run)
    logger.info("Running %s", " ".join(command))
    result = subprocess.run(command, check=False)
    if result.returncode:
        raise DeployError(f"rsync failed with status {result.returncode}; nothing more was done.")
    return command


def gh_pages(
    site: Path,
    repo: Path,
    branch: str | None = None,
    push: bool = True,
    message: str = "Publish the site",
) -> str:
    """Commit the site to ``branch`` of the Git repository ``repo`` (and push it)."""
    import ghp_import

    site = check_site(site)
    branch = branch or os.environ.get(BRANCH_ENV, "").strip() or "gh-pages"
    with contextlib.chdir(repo):
        try:
            ghp_import.ghp_import(
                os.fspath(Path(site).resolve()),
                mesg=message,
                branch=branch,
                nojekyll=True,
                push=push,
                remote="origin",
            )
        except ghp_import.GhpError as error:
            raise DeployError(f"ghp-import failed: {error.message}") from None
    return branch


MANIFEST = ".deployed-files"


def site_files(site: Path) -> list[str]:
    """Every file of ``site``, as paths relative to it."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


PROJECT = Path(__file__).resolve().parent.parent


def to_folder(site: Path, target: Path, project: Path = PROJECT) -> Path:
    """Copy the site into ``target`` (created when missing), then remove what the
    last deploy there put in and the site no longer has (listed in MANIFEST)."""
    site = check_site(site).resolve()
    target = Path(target).resolve()
    if target == site or site in target.parents:
        raise DeployError(f"{target} lies inside the built site; choose a folder outside it.")
    for inside, what in ((site, "the built site"), (Path(project).resolve(), "the project")):
        if target == inside or target in inside.parents:
            raise DeployError(
                f"{target} holds {what} ({inside}): a deploy there would mix the site into "
                "it; choose an empty folder of its own, such as /var/www/kbt."
            )
    manifest = target / MANIFEST
    before = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
    files = site_files(site)
    shutil.copytree(site, target, dirs_exist_ok=True)
    for name in sorted(set(before) - set(files)):
        gone = (target / name).resolve()
        if target not in gone.parents:
            continue  # a hand-edited list naming a file outside the folder
        gone.unlink(missing_ok=True)
        # and the folders it leaves empty, up to the target
        for folder in gone.parents:
            if folder == target or any(folder.iterdir()):
                break
            folder.rmdir()
    manifest.write_text("".join(f"{name}\n" for name in files), encoding="utf-8")
    return target
