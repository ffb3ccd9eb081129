#!/bin/bash
# The dm-tandem walk-through, end to end on a fresh machine: install what
# is needed, build the module and the tools, boot the lab VM and run
# tests/vm/demo/mirror-demo.sh in it (tandemd creates a mirrored volume
# over two emulated disks; under a verified workload the source disk slows
# down, fails and comes back while tandemd moves the reads), then draw
# tandemd's timeline (read weights, health and reads/s per leg over time)
# as a PNG with scripts/plot-timeline.py and print its path.
#
#   scripts/demo.sh [--kernel 6.1|6.12]      # as root
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
kernel=6.1
if [ "${1:-}" = "--kernel" ]; then
	kernel=${2:?--kernel needs 6.1 or 6.12}
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (installs packages)" >&2
	exit 1
fi
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target tandemd tandemctl >/dev/null

out=build/lab-results/demo-$kernel
tests/vm/lab run --kernel "$kernel" --out "$out" --verbose tests/vm/demo/mirror-demo.sh

timeline=$out/tandemd/timeline.csv
if [ ! -s "$timeline" ]; then
	echo "demo.sh: tandemd left no timeline in $timeline" >&2
	exit 1
fi
png=$(scripts/plot-timeline.py "$timeline" --marks "$out/tandemd/marks.txt" \
	--title "dm-tandem demo ($kernel)" -o "$out/timeline.png")
echo
echo "tandemd's timeline (read weights, health and reads/s per leg): $repo/$png"
