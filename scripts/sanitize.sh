#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, in its own build directory.
#
#   scripts/sanitize.sh address     AddressSanitizer (.build-asan)
#   scripts/sanitize.sh thread      ThreadSanitizer  (.build-tsan)
#
# Extra arguments go to `swift test` (e.g. --filter Hostile). The build paths are gitignored and
# separate from .build, so a sanitizer run never invalidates the normal debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1:-} in
  address) scratch=.build-asan ;;
  thread) scratch=.build-tsan ;;
  *) echo "usage: scripts/sanitize.sh address|thread [swift test arguments]" >&2; exit 2 ;;
esac
sanitizer=$1
shift
scripts/ensure-deps.sh
# The Swift runtime's backtracer and the sanitizers both want a crashing process; let the
# sanitizer report. halt_on_error makes the first report fail the run.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
exec swift test --sanitize="$sanitizer" --scratch-path "$scratch" "$@"
