"""The server side of issue 11: readers see a rebuilt atlas, pages are cached per atlas version,
static files skip the threadpool, and `policyatlas serve` drops a slowloris client."""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyatlas.atlas import Atlas
from policyatlas.views.web import create_app

from conftest import CORPUS, REPO, serving

TWO_FILES = sorted((CORPUS / "provincial" / "2026").iterdir())[:2]


def _count(atlas: Atlas) -> int:
    return atlas.con.execute("SELECT count(*) FROM documents").fetchall()[0][0]


def test_atlas_and_app_see_a_rebuild(atlas_db: Path, tmp_path: Path, monkeypatch) -> None:
    from policyatlas.build.pipeline import build

    monkeypatch.setattr(Atlas, "RECHECK_SECONDS", 0.0)
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(atlas_db, db)
    atlas = Atlas(db)
    client = TestClient(create_app(db), raise_server_exceptions=False)
    before = _count(atlas)
    regions_before = client.get("/api/documents?format=json").json()
    map_before = client.get("/map?format=json").json()
    assert before > 100 and regions_before
    # a rebuild into the same db with two files only (os.replace of the file under the readers)
    build(TWO_FILES, db, rebuild=True)
    assert _count(atlas) == 2, "a long-lived Atlas must reopen the replaced file"
    assert atlas.version == 1
    docs_after = client.get("/api/documents?format=json").json()
    assert docs_after != regions_before
    assert len(docs_after) == 2
    map_after = client.get("/map?format=json").json()
    assert map_after["reported"] != map_before["reported"], "the cached /map page must not outlive the atlas"
    assert sum(len(v) for v in map_after["reported"].values()) == 2
    atlas.close()


def test_reopen_is_thread_safe(atlas_db: Path, tmp_path: Path, monkeypatch) -> None:
    import threading

    from policyatlas.build.pipeline import build

    monkeypatch.setattr(Atlas, "RECHECK_SECONDS", 0.0)
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(atlas_db, db)
    atlas = Atlas(db)
    full = _count(atlas)
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add(_count(atlas))
                atlas.years()
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        build(TWO_FILES, db, rebuild=True)
        deadline = time.time() + 10
        while 2 not in seen and time.time() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
    atlas.close()
    assert not errors, errors[:3]
    assert seen <= {full, 2} and 2 in seen


def test_unchanged_file_is_not_reopened(atlas_db: Path, monkeypatch) -> None:
    monkeypatch.setattr(Atlas, "RECHECK_SECONDS", 0.0)
    with Atlas(atlas_db) as atlas:
        for _ in range(5):
            atlas.years()
        assert atlas.version == 0


def test_static_from_memory_with_etag(atlas_db: Path) -> None:
    client = TestClient(create_app(atlas_db))
    first = client.get("/static/app.css")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/css")
    assert first.content == (REPO / "src/policyatlas/views/web/static/app.css").read_bytes()
    again = client.get("/static/app.css", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404


def test_page_cache_serves_identical_pages(atlas_db: Path) -> None:
    client = TestClient(create_app(atlas_db))
    one = client.get("/map?industry=artificial-intelligence&format=json")
    two = client.get("/map?industry=artificial-intelligence&format=json")
    assert one.status_code == two.status_code == 200 and one.content == two.content
    assert one.headers["content-type"] == two.headers["content-type"]
    other = client.get("/map?industry=biomanufacturing&format=json")
    assert other.status_code in (200, 404) and other.content != one.content
    assert client.get("/map?industry=no-such-thing").status_code == 404  # errors are not cached as pages


@pytest.fixture(scope="module")
def served(atlas_db: Path):
    with serving(atlas_db) as port:
        yield port


def _dropped_after(port: int, trickle: bool, limit: float = 20.0) -> float | None:
    """Seconds until the server closes a connection that sends its head a byte every 0.3 s (or nothing)."""
    head = b"GET /map HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 500 + b"\r\n\r\n"
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(0.3)
    started = time.time()
    try:
        for byte in head:
            if time.time() - started > limit:
                return None
            if trickle:
                sock.send(bytes([byte]))
            try:
                if sock.recv(1024) == b"":
                    return time.time() - started
            except socket.timeout:
                continue
        return None
    except OSError:
        return time.time() - started
    finally:
        sock.close()


def test_slowloris_is_dropped(served: int) -> None:
    trickled = _dropped_after(served, trickle=True)
    assert trickled is not None and trickled < 8, trickled
    idle = _dropped_after(served, trickle=False)
    assert idle is not None and idle < 8, idle
    # a normal client is served meanwhile, and keep-alive still works for two requests in a row
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
    for _ in range(2):
        conn.request("GET", "/static/app.css")
        response = conn.getresponse()
        assert response.status == 200 and response.read()
    conn.close()


def test_pipelined_requests_survive_the_head_deadline(served: int) -> None:
    sock = socket.create_connection(("127.0.0.1", served), timeout=30)
    request = b"GET /static/app.css HTTP/1.1\r\nHost: localhost\r\n\r\n"
    sock.sendall(request * 3)
    data = b""
    deadline = time.time() + 20
    while data.count(b"HTTP/1.1 200") < 3 and time.time() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    assert data.count(b"HTTP/1.1 200") == 3
