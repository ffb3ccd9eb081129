#!/bin/bash
# Run the data-path benchmark in one lab boot and print the ratio table.
#   tests/bench/run.sh [--kernel 6.1|6.12]     (BENCH_REPS, BENCH_RUNTIME)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.1
[ "${1:-}" = "--kernel" ] && kernel=${2:?}
out=$repo/build/bench/$kernel
rm -rf "$out"
"$repo/tests/vm/lab" run --kernel "$kernel" --timeout 3600 --out "$out" \
	--env "BENCH_REPS=${BENCH_REPS:-5}" --env "BENCH_RUNTIME=${BENCH_RUNTIME:-4}" \
	"$repo/tests/bench/datapath-bench.sh"
python3 "$repo/tests/bench/report.py" "$out"
