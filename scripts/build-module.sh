#!/bin/bash
# Build dm-tandem.ko against one kernel's headers, out of the source tree.
#
#   scripts/build-module.sh <KDIR | kernel-version> [OUTDIR]
#
# Kbuild, kernel/ and include/ are copied to OUTDIR (default
# build/kmod/<basename of KDIR>) and built there, so builds for several
# kernels never share object files.  Any compiler warning fails the build.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: build-module.sh <KDIR | kernel-version> [OUTDIR]}
[ -d "$kdir" ] || kdir=/usr/src/linux-headers-$kdir
if [ ! -f "$kdir/Makefile" ]; then
	echo "build-module: no kernel build tree at $kdir" >&2
	exit 1
fi
out=${2:-$repo/build/kmod/$(basename "$kdir")}

rm -rf "$out"
mkdir -p "$out"
cp -a "$repo/Kbuild" "$repo/kernel" "$repo/include" "$out/"

log=$out/build.log
if ! make -C "$kdir" M="$out" -j"$(nproc)" W=1 modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module: build failed against $kdir" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-module: compiler warnings against $kdir" >&2
	exit 1
fi
echo "$out/dm-tandem.ko"
