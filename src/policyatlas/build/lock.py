"""One build at a time per atlas, and a clean exit on SIGTERM.

Two builds into the same `--db` would share its working copy (`<db>.building`); the lock makes
the second wait (or fail with a clear message). SIGTERM unwinds like Ctrl-C, so the working
copy is removed and the previous atlas stays as it was.
"""

from __future__ import annotations

import fcntl
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class BuildLocked(RuntimeError):
    """Another build holds the lock of this atlas."""


def lock_path(db: str | Path) -> Path:
    path = Path(db)
    return path.with_name(path.name + ".lock")


@contextmanager
def build_lock(db: str | Path, wait: bool = True, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """An exclusive advisory lock on `<db>.lock` for the duration of a build."""
    path = lock_path(db)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BuildLocked(f"another build is writing {db} (lock {path}); try again when it ends") from None
            if notify:
                notify(f"waiting for another build of {db} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While active, SIGTERM raises SystemExit (so `finally` blocks and cleanups run)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
