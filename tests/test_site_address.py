"""The published site's address is the publisher's to fill in (publishconf.py,
README "Publishing"): until then publishing stops and says where to set it."""

from __future__ import annotations

import pytest

from build import BuildError
from tools.publish import publish

from .conftest import ROOT


def test_publishing_without_an_address_stops_and_names_the_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(BuildError, match="PUBLISHED_SITEURL in publishconf.py"):
        publish(ROOT / "publishconf.py", tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_the_readme_asks_the_publisher_to_fill_in_the_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    publishing = readme.split("## Publishing", 1)[1]
    assert "PUBLISHED_SITEURL" in publishing
