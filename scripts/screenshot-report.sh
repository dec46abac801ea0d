#!/usr/bin/env bash
# Renders `diagnose report --format html` for two sample runs and takes headless Chromium screenshots
# of each page, to check by eye that the report renders in a real browser. Writes under
# screenshots/ (gitignored); commits nothing. Installs Debian's chromium if it is missing: run it on
# a workstation or dev container, never in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out=screenshots
mkdir -p "$out"

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "installing chromium (apt-get)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi

swift build -q
bin=$(swift build --show-bin-path)/diagnose

for sample in hf-sft-console hf-pretrain-diverging; do
  page="$out/$sample.html"
  "$bin" report --format html --output "$page" "SampleLogs/$sample.log" || true  # 1 = findings, still a page
  # Tall enough for every chart of one run; Chromium cuts the picture at the window's height.
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1200,${HEIGHT:-3600} --screenshot="$PWD/$out/$sample.png" "file://$PWD/$page" 2>/dev/null
  echo "$out/$sample.png"
done
