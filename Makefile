# The two commands of the README's set-up: `make sample` and `make test`.
# Each one installs libpcre2-dev first when it is missing.

SAMPLE ?= SampleLogs/hf-sft-console.log

.PHONY: deps sample test build release bench fuzz fuzz-smoke asan tsan

deps:
	@scripts/ensure-deps.sh

## Runs diagnose on a shipped sample log.
sample: deps
	swift build -c release --product diagnose
	.build/release/diagnose series $(SAMPLE)

## Runs the whole test suite.
test: deps
	swift test

build: deps
	swift build

release: deps
	swift build -c release

## Throughput of `diagnose series` against cat on a generated log (SIZE_MB, default 1024).
bench: deps
	scripts/bench.sh

## libFuzzer on one parser family (FAMILY, default all) for FUZZ_SECONDS (default 60) each.
FAMILY ?= all
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz.sh $(FAMILY) $(FUZZ_SECONDS)

## Every fuzz family for 7 s: what CI runs.
fuzz-smoke: deps
	scripts/fuzz.sh all 7

## The whole test suite under AddressSanitizer / ThreadSanitizer (.build-asan, .build-tsan).
asan: deps
	scripts/sanitize.sh address

tsan: deps
	scripts/sanitize.sh thread
