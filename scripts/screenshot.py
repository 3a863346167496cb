"""Take docs/map.png (the README's picture) from a running `policyatlas serve`, in headless Chromium.

    .venv/bin/policyatlas serve --db atlas.duckdb &   # then:
    .venv/bin/python scripts/screenshot.py [--url http://127.0.0.1:8000] [--industry artificial-intelligence] [--year 2026]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--industry", default="humanoid-robots")
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "map.png"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    query = f"industry={args.industry}" + (f"&year={args.year}" if args.year else "")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page.goto(f"{args.url}/map?{query}")
        page.wait_for_selector("body[data-map-ready]", state="attached", timeout=30000)
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        page.locator("#map").screenshot(path=args.out)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
