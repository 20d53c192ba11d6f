"""sitelib.background's pool for work the build waits for: the results in the
order of the jobs; other processes only when there is more than one job."""

from __future__ import annotations

import os

from sitelib import background


def pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def test_one_job_runs_in_the_build_process_and_many_beside_it():
    with background.process_pool(2) as run_all:
        alone = run_all(pid_and_square, [3])
        many = run_all(pid_and_square, range(40))
    assert alone == [(os.getpid(), 9)]
    assert [square for _pid, square in many] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for pid, _square in many}


def test_fewer_than_two_processes_run_everything_here():
    with background.process_pool(1) as run_all:
        done = run_all(pid_and_square, range(5))
    assert done == [(os.getpid(), n * n) for n in range(5)]
