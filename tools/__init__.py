"""Helpers behind the staff tasks in tasks.py: scaffolding and translation reports."""

# The staff commands share the plugins' checks and parsers (the timeline parser,
# the placeholders of an unfinished page): pelicanconf.py's one line puts plugins/
# on the import path.
import pelicanconf  # noqa: F401
