#!/usr/bin/env bash
# Throughput of `diagnose series` against `cat` on a generated HF console log, in the same run.
#
#   scripts/bench.sh            # 1 GiB log in bench-data/ (generated once, never committed)
#   SIZE_MB=256 RUNS=5 scripts/bench.sh
#
# Prints MB/s and the ratio to `cat` (median of RUNS runs, page cache warm) and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-5}
DATA=bench-data/hf-${SIZE_MB}mb.log
mkdir -p bench-data
if [ ! -f "$DATA" ]; then
  echo "generating $DATA ..." >&2
  python3 scripts/gen-hf-log.py "$SIZE_MB" "$DATA"
fi
swift build -c release --product diagnose >&2
BIN=.build/release/diagnose
BYTES=$(stat -c %s "$DATA")
cat "$DATA" > /dev/null  # warm the page cache

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() {  # prints the median wall seconds of RUNS runs of "$@"
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
  done | median
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

cat_s=$(timeit cat "$DATA")
series_s=$(timeit "$BIN" series "$DATA")
rows=$("$BIN" series "$DATA" | wc -l)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "input:   $DATA, $((BYTES / 1048576)) MiB, $((rows - 1)) training rows"
printf '%-24s %10s %10s %8s %10s\n' command seconds MB/s "x cat" "peak RSS"
for name in cat series; do
  case $name in
    cat) s=$cat_s; r=$(rss cat "$DATA") ;;
    series) s=$series_s; r=$(rss "$BIN" series "$DATA") ;;
  esac
  mbs=$(awk -v b="$BYTES" -v s="$s" 'BEGIN { print b / 1000000 / s }')
  ratio=$(awk -v c="$cat_s" -v s="$s" 'BEGIN { print c / s }')
  printf '%-24s %10.3f %10.0f %8.3f %8s KB\n' "$name" "$s" "$mbs" "$ratio" "$r"
done
