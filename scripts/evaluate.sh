#!/bin/sh
# The labelled evaluation: precision and recall per finding kind and the error of first_bad_step,
# on generated logs with injected events and on ../shared/corpus/runs (when present).
set -e
cd "$(dirname "$0")/.."
swift test --filter LabelledEvaluation 2>&1 | sed -n '/^Labelled evaluation/,/^verdicts right/p;/^  .*: verdict/p'
