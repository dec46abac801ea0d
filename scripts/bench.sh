#!/usr/bin/env bash
# Throughput of `diagnose` against `cat`, `wc -l` and a Python `re` extractor on a generated log, all
# timed in the same run (the machine is shared and noisy: compare ratios, not seconds).
#
#   scripts/bench.sh                     # 1 GiB HF log in bench-data/ (generated once, never committed)
#   SIZE_MB=256 RUNS=5 scripts/bench.sh
#   LOG=mixed scripts/bench.sh           # HF + DeepSpeed + Megatron sections (scripts/gen-hf-log.py --mixed)
#   BIN=/path/to/diagnose scripts/bench.sh   # another build (e.g. before a change)
#
# Prints, per command: the median wall time of RUNS runs (page cache warm, hyperfine), MB/s, the
# ratio to `cat`, and the peak RSS and CPU seconds of one more run (/usr/bin/time -v). `diagnose report --format json` rows appear
# once the build has a `report` command.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-5}
PY_RUNS=${PY_RUNS:-3}
LOG=${LOG:-hf}
CORES=$(nproc)
case $LOG in
  hf) DATA=bench-data/hf-${SIZE_MB}mb.log; GEN_FLAGS=() ;;
  mixed) DATA=bench-data/mixed-${SIZE_MB}mb.log; GEN_FLAGS=(--mixed) ;;
  *) echo "LOG must be hf or mixed" >&2; exit 2 ;;
esac
mkdir -p bench-data
if [ ! -f "$DATA" ]; then
  echo "generating $DATA ..." >&2
  python3 scripts/gen-hf-log.py "${GEN_FLAGS[@]}" "$SIZE_MB" "$DATA"
fi
if [ -z "${BIN:-}" ]; then
  swift build -c release --product diagnose >&2
  BIN=.build/release/diagnose
fi
BYTES=$(stat -L -c %s "$DATA")  # -L: bench-data/ may hold links to a shared copy
cat "$DATA" > /dev/null  # warm the page cache

timeit() {  # median wall seconds of $1 runs of the rest, stdout to /dev/null as performance.md's anchors (no grep here: GNU grep special-cases /dev/null)
  local runs=$1 json
  shift
  json=$(mktemp)
  hyperfine --style none --output=null --warmup 1 --runs "$runs" --export-json "$json" -- "$*" > /dev/null 2>&1
  python3 -c 'import json, sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
  rm -f "$json"
}
# Peak RSS (KB) and CPU seconds (user + system) of one run: CPU time barely moves when other jobs
# share the cores, so it is the figure to compare on a busy machine.
usage() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '
    /Maximum resident/ {rss = $2} /User time/ {cpu += $2} /System time/ {cpu += $2}
    END {printf "%s %.3f\n", rss, cpu}'
}

names=() commands=() runs=()
add() { names+=("$1"); runs+=("$2"); shift 2; commands+=("$*"); }
add "cat" "$RUNS" cat "$DATA"
add "wc -l" "$RUNS" wc -l "$DATA"
if "$BIN" series --help 2>/dev/null | grep -q -- --threads; then
  add "diagnose series, 1 thread" "$RUNS" "$BIN" series --threads 1 "$DATA"
  add "diagnose series, $CORES threads" "$RUNS" "$BIN" series --threads "$CORES" "$DATA"
else  # a build from before --threads (BIN=...)
  add "diagnose series" "$RUNS" "$BIN" series "$DATA"
fi
if "$BIN" report --help 2>/dev/null | grep -q -- --threads; then
  add "diagnose report json, 1 thread" "$RUNS" "$BIN" report --format json --fail-on never --threads 1 "$DATA"
  add "diagnose report json, $CORES threads" "$RUNS" "$BIN" report --format json --fail-on never --threads "$CORES" "$DATA"
elif "$BIN" --help | grep -qE '^ +report( |$)'; then
  add "diagnose report json" "$RUNS" "$BIN" report --format json --fail-on never "$DATA"
fi
add "python re extractor" "$PY_RUNS" python3 scripts/re-extract.py "$DATA"

echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input:   $DATA, $((BYTES / 1048576)) MiB, $(grep -c "{'loss'" "$DATA") training records, median of $RUNS runs (python: $PY_RUNS)"
printf '%-34s %9s %9s %8s %12s %9s\n' command seconds MB/s "x cat" "peak RSS" "CPU s"
cat_s=""
for i in "${!names[@]}"; do
  s=$(timeit "${runs[$i]}" "${commands[$i]}")
  [ -z "$cat_s" ] && cat_s=$s
  # shellcheck disable=SC2086
  read -r r cpu < <(usage ${commands[$i]})
  mbs=$(awk -v b="$BYTES" -v s="$s" 'BEGIN { print b / 1000000 / s }')
  ratio=$(awk -v c="$cat_s" -v s="$s" 'BEGIN { print c / s }')
  printf '%-34s %9.3f %9.0f %8.3f %9s KB %9.2f\n' "${names[$i]}" "$s" "$mbs" "$ratio" "$r" "$cpu"
done
