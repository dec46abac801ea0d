#!/usr/bin/env bash
# Times `diagnose nightly` over a generated folder of runs (scripts/gen-nightly-runs.py) and shows
# whether it used more than one core: CPU time (user + sys) above wall time means it did.
#   scripts/bench-nightly.sh [COUNT=200] [STEPS=3000]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
steps=${2:-3000}
data=bench-data/nightly-$count-$steps
if [ ! -d "$data" ]; then
  python3 scripts/gen-nightly-runs.py "$data" "$count" "$steps"
fi
swift build -c release -q
bin=$(swift build -c release --show-bin-path)/diagnose
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input:   $data, $(find "$data" -type f | wc -l) files, $(du -sh "$data" | cut -f1)"
for run in 1 2 3; do
  /usr/bin/time -f "wall %e s  user %U s  sys %S s  cpu %P  peak %M KB" \
    "$bin" nightly "$data" --output bench-data/nightly.html --json bench-data/nightly.json --fail-on never 2>&1 \
    | grep -v '^diagnose: skipped' || true
done
python3 - bench-data/nightly.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
runs = report["runs"]
print("runs listed:", len(runs), report["summary"]["verdicts"], "skipped:", len(report["summary"]["skipped"]))
print("first five:", [r["verdict"] for r in runs[:5]])
PY
