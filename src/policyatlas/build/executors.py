"""Where the build's map runs: in this process, in a local process pool, or on a Dask cluster.

Each executor takes an iterator of paths and yields `FileResult`s in the same order (so a build
is deterministic whatever runs it: the same duplicates kept, the same commitment ids), with a
bounded number of files in flight, so memory does not grow with the corpus.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from .worker import FileResult, process_file, process_files, warm_up

#: Tasks in flight per worker: enough to keep workers busy while the writer appends.
IN_FLIGHT_PER_WORKER = 4
#: Files per task: a Dask task costs milliseconds to schedule, a pool task less; a few files
#: per task make that small against extraction while keeping memory in flight bounded.
FILES_PER_TASK = {"pool": 2, "dask": 8}


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def serial_map(paths: Iterable[str], overrides: dict | None, limits: object | None) -> Iterator[FileResult]:
    for path in paths:
        yield process_file(path, overrides, limits)


def process_map(paths: Iterable[str], workers: int, overrides: dict | None,
                limits: object | None) -> Iterator[FileResult]:
    """`workers` processes read and extract; results come back in input order."""
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_up) as pool:
        window: deque = deque()
        for chunk in chunks(paths, FILES_PER_TASK["pool"]):
            window.append(pool.submit(process_files, chunk, overrides, limits))
            if len(window) >= workers * IN_FLIGHT_PER_WORKER:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def dask_map(paths: Iterable[str], scheduler: object, overrides: dict | None,
             limits: object | None) -> Iterator[FileResult]:
    """The same map on a dask.distributed cluster: `scheduler` is an address ("tcp://host:8786")
    or a `distributed.Client`. Workers read the paths themselves (shared file system or fsspec
    URLs); results stream back to this process, the one writer."""
    from distributed import Client

    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        slots = max(2, IN_FLIGHT_PER_WORKER * sum(client.nthreads().values()))
        window: deque = deque()
        for chunk in chunks(paths, FILES_PER_TASK["dask"]):
            window.append(client.submit(process_files, chunk, overrides, limits, pure=False))
            if len(window) >= slots:
                yield from _take(window.popleft())
        while window:
            yield from _take(window.popleft())
    finally:
        if own:
            client.close()


def chunks(paths: Iterable[str], size: int) -> Iterator[list[str]]:
    """Consecutive lists of `size` items (the last may be shorter), lazily."""
    iterator = iter(paths)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _take(future) -> list[FileResult]:
    try:
        return future.result()
    finally:
        future.release()


def run_map(paths: Iterable[str], workers: int | None = 1, scheduler: object | None = None,
            overrides: dict | None = None, limits: object | None = None) -> Iterator[FileResult]:
    """Pick the executor: a Dask scheduler if given, else `workers` processes (None: all cores)."""
    if scheduler is not None:
        return dask_map(paths, scheduler, overrides, limits)
    workers = default_workers() if workers is None else workers
    paths = iter(paths)
    head = list(itertools.islice(paths, workers))
    if workers <= 1 or len(head) <= 1:  # a pool costs a second to start: not worth it for one file
        return serial_map(itertools.chain(head, paths), overrides, limits)
    return process_map(itertools.chain(head, paths), min(workers, len(head)), overrides, limits)
