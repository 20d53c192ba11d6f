"""Files kept between builds in ``cache/``: see cachefiles.py."""

from .cachefiles import *  # noqa: F403
