"""The preview of ``make serve``: one long-lived process that rebuilds after edits.

``Preview.build()`` builds the whole site like ``build.build_site``;
``Preview.rebuild(changed)`` builds again after the files in ``changed`` were
edited. The livereload server (``invoke livereload``) calls it and then
reloads the browser.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from build import build_site


class Preview:
    def __init__(
        self,
        settings_file: str | os.PathLike,
        output: Path,
        overrides: dict | None = None,
    ) -> None:
        self.settings_file = settings_file
        self.output = Path(output)
        self.overrides = dict(overrides or {})

    def build(self) -> Path:
        return build_site(self.settings_file, self.output, self.overrides)

    def rebuild(self, changed: Iterable[Path] = ()) -> Path:
        return self.build()
