"""Work beside the build: the plugins' own jobs in a process next to Pelican's.

Pelican reads and writes the site in one process, on one core. What a plugin
does that the page being written does not wait for (measuring a text,
judging the HTML of a page) can run meanwhile on another core:
``submit(function, *args)`` hands it to a pool of one process less than the
machine has cores (at least one), started at the first job of a build. A job
is a module-level function whose arguments and result can be pickled; the
plugin takes its result (``future.result()``) where it needs it, at the latest
in ``finalized``, and raises the build's error there.

A job only reads: it must not rewrite a page already written, since another
plugin may have rewritten that page at ``content_written`` (as pelican-plugins'
image-process does), and a later write would undo it.

The pool belongs to one build: ``finalized`` closes it once its last job is
done, and ``stop_all`` stops whatever a build that stopped half-way left
running (build.py calls it then, and so does ``initialized``). Its processes
ignore Ctrl-C; the build process stops them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from pelican import signals

__all__ = ["cores", "new_pool", "process_pool", "stop_all", "submit"]

_pool: ProcessPoolExecutor | None = None
_pools: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()  # every pool made here


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_context() -> multiprocessing.context.BaseContext | None:
    """Forked processes where the system has them: they start at once and
    share the build's memory (settings, templates) until they change it; else
    the system's default (spawn on Windows and macOS)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def ignore_ctrl_c() -> None:
    """In a pool's process: leave Ctrl-C to the build process, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def new_pool(
    processes: int, initializer: Callable[[], None] = ignore_ctrl_c
) -> ProcessPoolExecutor:
    """A process pool with its processes started. Ctrl-C waits while they are
    forked: Python loses a KeyboardInterrupt that arrives inside fork's own
    handlers, and the build would go on as if nobody had pressed it."""
    pool = ProcessPoolExecutor(
        max_workers=processes, initializer=initializer, mp_context=fork_context()
    )
    _pools.add(pool)
    blocking = hasattr(signal, "pthread_sigmask") and (
        threading.current_thread() is threading.main_thread()
    )
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocking else None
    try:
        pool.submit(int)  # the pool forks its processes at its first job
    finally:
        if before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
    return pool


def submit(function: Callable[..., Any], /, *args: Any) -> Future:
    """Run ``function(*args)`` beside the build; its future."""
    global _pool
    if _pool is None:
        _pool = new_pool(max(1, cores() - 1))
    return _pool.submit(function, *args)


def close(_sender: object = None, wait: bool = True) -> None:
    """Close this build's pool: after its last job (``wait``), or at once."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=not wait)


def stop_all(_sender: object = None) -> None:
    """Stop every pool a build left running: a build that stopped half-way never
    reaches ``finalized``. Its processes hold copies of the build process's
    files and pipes, so they must not outlive it. ``build.py`` calls this when
    a build fails; ``initialized`` too, for any other way of running Pelican."""
    close(wait=False)
    for pool in list(_pools):
        pool.shutdown(wait=False, cancel_futures=True)


POOL_MAX = 4  # processes at most in a pool the build waits for


@contextlib.contextmanager
def process_pool(processes: int | None = None) -> Iterator[Callable[[Callable, Iterable], list]]:
    """``run_all(function, jobs)``: ``map`` over a pool of ``processes`` processes
    (by default one a core, ``POOL_MAX`` at most), for work the build waits for.
    The pool is forked at the first ``run_all`` of two jobs or more; fewer
    jobs, or fewer than two processes, run in this process."""
    processes = min(cores(), POOL_MAX) if processes is None else processes
    pools: list[ProcessPoolExecutor] = []

    def run_all(function: Callable, jobs: Iterable) -> list:
        jobs = list(jobs)
        if processes < 2 or len(jobs) < 2:
            return list(map(function, jobs))
        if not pools:
            pools.append(new_pool(processes))
        return list(pools[0].map(function, jobs, chunksize=16))

    try:
        yield run_all
    finally:
        for pool in pools:
            pool.shutdown()


signals.initialized.connect(stop_all)
signals.finalized.connect(close)
