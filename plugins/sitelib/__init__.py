"""The project's small shared library for its plugins (not a plugin itself).

- ``errors``: ``ContentError`` (file:line, what is wrong, how to fix it);
- ``source``: a content file's header fields and the line of a term;
- ``settings``: defaults filled in one way;
- ``cache``: entries kept between builds in ``CACHE_PATH``;
- ``background``: the plugins' own jobs in a process beside Pelican's, while
  it reads and writes (and the process pools the build waits for).

Each plugin imports only Pelican, third-party libraries and this package.
"""
