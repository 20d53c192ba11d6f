"""Responsive content images, share cards and favicons with Pillow: see images.py."""

from .images import *  # noqa: F403
