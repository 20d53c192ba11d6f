"""`invoke deploy`: rsync (to a local folder), a gh-pages branch, a plain folder copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.deploy import DeployError, gh_pages, rsync, rsync_command, to_folder

from .tooling import git as run_git
from .tooling import require


@pytest.fixture
def site(tmp_path) -> Path:
    """A small stand-in for a published site (the deploy code copies any folder)."""
    site = tmp_path / "output"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<h1>KBT</h1>", encoding="utf-8")
    (site / "en/index.html").write_text("<h1>KBT in English</h1>", encoding="utf-8")
    return site


def test_rsync_command():
    command = rsync_command(Path("/x/output"), "u@h:/srv/www/kbt/", dry_run=True)
    assert command[0] == "rsync" and "--delete" in command and "--dry-run" in command
    assert command[-2:] == ["/x/output/", "u@h:/srv/www/kbt/"]


def test_rsync_mirrors_and_deletes(site, tmp_path, monkeypatch):
    require(shutil.which("rsync"), "rsync is missing")
    target = tmp_path / "www"
    target.mkdir()
    (target / "old.html").write_text("removed page", encoding="utf-8")
    monkeypatch.setenv("DEPLOY_RSYNC_TARGET", f"{target}/")
    rsync(site, dry_run=True)
    assert (target / "old.html").exists() and not (target / "index.html").exists()
    rsync(site)
    assert (target / "en/index.html").read_text(encoding="utf-8") == "<h1>KBT in English</h1>"
    assert not (target / "old.html").exists()


def test_rsync_needs_a_target(site, monkeypatch):
    monkeypatch.delenv("DEPLOY_RSYNC_TARGET", raising=False)
    with pytest.raises(DeployError, match="DEPLOY_RSYNC_TARGET=user@host"):
        rsync(site)


def test_nothing_to_deploy_without_a_build(tmp_path):
    with pytest.raises(DeployError, match="invoke publish"):
        to_folder(tmp_path / "output", tmp_path / "www")


def test_gh_pages_commits_the_site_to_a_branch(site, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        return run_git(repo, *args)

    git("init", "-q", "-b", "main")
    (repo / "README.md").write_text("source", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "source")
    assert gh_pages(site, repo, push=False) == "gh-pages"
    assert git("show", "gh-pages:index.html") == "<h1>KBT</h1>"
    assert git("show", "gh-pages:en/index.html") == "<h1>KBT in English</h1>"
    assert ".nojekyll" in git("ls-tree", "--name-only", "gh-pages").split()
    assert "README.md" not in git("ls-tree", "--name-only", "gh-pages").split()
    assert git("rev-parse", "--abbrev-ref", "HEAD").strip() == "main"  # the checkout stays


def test_folder_copy(site, tmp_path):
    target = to_folder(site, tmp_path / "www")
    assert (target / "en/index.html").read_text(encoding="utf-8") == "<h1>KBT in English</h1>"
    with pytest.raises(DeployError, match="inside the built site"):
        to_folder(site, site / "copy")


def test_a_folder_that_holds_the_project_or_the_site_is_refused(site, tmp_path):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    for target in (site.parent, site.parent.parent, project, tmp_path):
        with pytest.raises(DeployError, match="choose an empty folder"):
            to_folder(site, target, project=project)
    assert (project / "content").is_dir()
    assert not list(project.glob("*.html"))


def test_a_folder_deploy_removes_what_the_site_no_longer_has(site, tmp_path):
    target = tmp_path / "www"
    (target / "theirs").mkdir(parents=True)
    (target / "theirs" / "notes.txt").write_text("not the site's", encoding="utf-8")
    to_folder(site, target)
    assert (target / "en" / "index.html").is_file()

    shutil.rmtree(site / "en")
    (site / "new.html").write_text("<h1>New</h1>", encoding="utf-8")
    to_folder(site, target)
    assert not (target / "en").exists()  # the page and the folder it left empty
    assert (target / "new.html").is_file()
    assert (target / "index.html").read_text(encoding="utf-8") == "<h1>KBT</h1>"
    assert (target / "theirs" / "notes.txt").is_file()  # never deployed: left alone


def test_the_task_copies_into_a_folder(site, tmp_path):
    """`invoke deploy --to folder --path PATH` in a copy of the project."""
    root = Path(__file__).resolve().parent.parent
    project = tmp_path / "project"
    project.mkdir()
    for name in ("tasks.py", "build.py", "pelicanconf.py", "tools", "plugins"):
        (project / name).symlink_to(root / name)
    shutil.move(site, project / "output")
    invoke = Path(sys.executable).parent / "invoke"
    result = subprocess.run(
        [str(invoke), "deploy", "--to", "folder", "--path", str(tmp_path / "www")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "www/index.html").read_text(encoding="utf-8") == "<h1>KBT</h1>"
