#!/usr/bin/env bash
# Refresh static/vendor/ from the npm registry packages named in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --ignore-scripts
rm -rf static/vendor/bootstrap static/vendor/bootstrap-icons static/vendor/chart.js static/vendor/axe-core static/vendor/tom-select
mkdir -p static/vendor/bootstrap/css static/vendor/bootstrap/js static/vendor/bootstrap-icons/fonts static/vendor/chart.js
cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/css/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/js/
cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff static/vendor/bootstrap-icons/fonts/
cp node_modules/bootstrap-icons/LICENSE static/vendor/bootstrap-icons/
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md static/vendor/chart.js/
# Tom Select: the searchable selects of the filter forms (static/js/select-search.js); the
# complete build bundles its plugins and its own dependencies (@orchidjs), so one file is enough.
mkdir -p static/vendor/tom-select/js static/vendor/tom-select/css
cp node_modules/tom-select/dist/js/tom-select.complete.min.js static/vendor/tom-select/js/
cp node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css static/vendor/tom-select/css/
cp node_modules/tom-select/LICENSE static/vendor/tom-select/
# axe-core: the accessibility checker the browser tests inject into each page
# (tests/browser/test_sweep.py); no page of the portal loads it.
mkdir -p static/vendor/axe-core
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE static/vendor/axe-core/
echo "static/vendor refreshed"
