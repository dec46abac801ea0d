#!/usr/bin/env bash
# Builds the libFuzzer targets under Fuzz/Targets and runs one family for SECONDS.
#
#   scripts/fuzz.sh FAMILY SECONDS [JOBS]     FAMILY: hf-dict, trainer-state, deepspeed-lines,
#                                             deepspeed-config, megatron, launch-script,
#                                             segment-reader, numbers, or all (SECONDS each)
#   scripts/fuzz.sh build                     builds every target and stops
#
# LogParse is compiled once into a static library with coverage instrumentation and
# AddressSanitizer (`swiftc -sanitize=fuzzer,address`); each target links it. Nothing here is part
# of `swift build` or `swift test`. Seeds come from Fuzz/Seeds/FAMILY (fixtures); the growing corpus
# and crash files go to .fuzz/ (gitignored). A crash exits non-zero and prints the input's path:
# turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.fuzz
BUILD=$OUT/build
mkdir -p "$BUILD"

declare -A TARGETS=(
  [hf-dict]=HFDict [trainer-state]=TrainerState [deepspeed-lines]=DeepSpeedLines
  [deepspeed-config]=DeepSpeedConfig [megatron]=Megatron [launch-script]=LaunchScript
  [segment-reader]=SegmentReader [numbers]=Numbers
)
FLAGS=(-sanitize=fuzzer,address -O -g -swift-version 6 -enable-testing
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
  -enable-upcoming-feature InternalImportsByDefault -I "$ROOT/Sources/CPCRE2")

build_library() {
  local stamp=$BUILD/LogParse.stamp
  local newest
  newest=$(find Sources/LogParse Fuzz/Targets -name '*.swift' -newer "$stamp" 2>/dev/null | head -1 || true)
  if [ -f "$stamp" ] && [ -z "$newest" ]; then return; fi
  echo "fuzz: compiling LogParse with -sanitize=fuzzer,address ..." >&2
  # -parse-as-library: no file is a script; the module is a plain static library.
  swiftc "${FLAGS[@]}" -parse-as-library -emit-library -static -module-name LogParse \
    -emit-module -emit-module-path "$BUILD/LogParse.swiftmodule" -o "$BUILD/libLogParse.a" \
    $(find Sources/LogParse -name '*.swift' | sort) 2> >(grep -v 'ld.gold: warning' >&2)
  touch "$stamp"
  rm -f "$BUILD"/fuzz-*
}

build_target() {
  local family=$1 name=${TARGETS[$1]}
  local binary=$BUILD/fuzz-$family
  [ -x "$binary" ] && return
  echo "fuzz: linking $binary ..." >&2
  swiftc "${FLAGS[@]}" -parse-as-library -module-name "Fuzz$name" -I "$BUILD" -L "$BUILD" -lLogParse -lpcre2-8 -lswiftGlibc \
    Fuzz/Targets/FuzzSupport.swift "Fuzz/Targets/$name.swift" -o "$binary" 2>&1 | grep -v 'ld.gold: warning' >&2 || true
  [ -x "$binary" ] || { echo "fuzz: building $family failed" >&2; exit 2; }
}

# Pieces of the shared corpus's real logs (when it is beside the clone) join the seeds once.
add_shared_seeds() {
  local family=$1 corpus=$2 shared=${DIAGNOSE_SHARED:-$ROOT/../shared}/corpus/public
  [ -d "$shared" ] && [ -z "$(ls -A "$corpus")" ] || return 0
  local file
  for file in "$shared"/*; do
    case "$family:$file" in
      trainer-state:*.json) head -c 8192 "$file" >"$corpus/$(basename "$file")" ;;
      hf-dict:*.log | deepspeed-lines:*.log | megatron:*.log | segment-reader:*.log)
        head -c 4096 "$file" >"$corpus/$(basename "$file")" ;;
    esac
  done
}

run_family() {
  local family=$1 seconds=$2
  build_target "$family"
  local corpus=$OUT/corpus/$family crashes=$OUT/crashes/$family
  mkdir -p "$corpus" "$crashes"
  add_shared_seeds "$family" "$corpus"
  echo "fuzz: $family for ${seconds}s" >&2
  # -rss_limit_mb: a parser that allocates without bound is a finding too.
  "$BUILD/fuzz-$family" "$corpus" "Fuzz/Seeds/$family" -max_total_time="$seconds" -max_len=8192 \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 |
    tee "$OUT/$family.log" | grep -E '^(#[0-9]+.*(DONE|pulse)|==[0-9]+==|stat::number_of_executed_units|stat::average_exec_per_sec|SUMMARY|artifact)' >&2
  local status=${PIPESTATUS[0]}
  # One line per run, so that figures add up across runs: family, seconds, executions, status.
  printf '%s\t%s\t%s\t%s\n' "$family" "$seconds" \
    "$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$family.log")" "$status" >>"$OUT/totals.tsv"
  return "$status"
}

# The Swift runtime's backtracer and ASan fight over a crashing process; ASan's report is the one wanted.
export SWIFT_BACKTRACE=enable=no

command -v swiftc >/dev/null || { echo "fuzz: swiftc not found" >&2; exit 2; }
scripts/ensure-deps.sh
build_library
case ${1:-} in
  build)
    for family in "${!TARGETS[@]}"; do build_target "$family"; done ;;
  all)
    status=0
    for family in hf-dict trainer-state deepspeed-lines deepspeed-config megatron launch-script segment-reader numbers; do
      run_family "$family" "${2:-10}" || status=$?
    done
    exit $status ;;
  *)
    [ -n "${TARGETS[${1:-}]:-}" ] || { sed -n '2,12p' "$0" >&2; exit 2; }
    run_family "$1" "${2:-60}" ;;
esac
