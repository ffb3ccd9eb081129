#!/bin/bash
# The dm-tandem walk-through, end to end on a fresh machine: install what
# is needed, build the module and the tools, boot the lab VM and run
# tests/vm/demo/mirror-demo.sh in it (a mirrored volume over two emulated
# disks, a verified workload, one disk failing under it, reads moving).
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
cmake --build build -j"$(nproc)" >/dev/null
tests/vm/lab run --kernel "$kernel" --verbose tests/vm/demo/mirror-demo.sh
