#!/bin/bash
# Run a benchmark in one lab boot and print the ratio table.
#   tests/bench/run.sh [--kernel 6.1|6.12] [datapath|bitmap|sched|shadow]
#   (BENCH_REPS, BENCH_RUNTIME)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.1
if [ "${1:-}" = "--kernel" ]; then
	kernel=${2:?}
	shift 2
fi
bench=${1:-datapath}
[ -f "$repo/tests/bench/$bench-bench.sh" ] || { echo "no benchmark '$bench'" >&2; exit 2; }
# The shadow benchmark boots the lab and prints its own table.
[ "$bench" = shadow ] && exec "$repo/tests/bench/shadow-bench.sh" --kernel "$kernel"
out=$repo/build/bench/$kernel/$bench
rm -rf "$out"
"$repo/tests/vm/lab" run --kernel "$kernel" --timeout 3600 --mem 4096 --out "$out" \
	--env "BENCH_REPS=${BENCH_REPS:-5}" --env "BENCH_RUNTIME=${BENCH_RUNTIME:-4}" \
	"$repo/tests/bench/$bench-bench.sh"
python3 "$repo/tests/bench/report.py" "$out"
