#!/bin/bash
# Power cuts under a tandem device with a metadata device, from the host.
# For each kill point: boot 1 writes numbered 4 KiB blocks through the
# device, printing "acked N" once each is acknowledged, until the host
# kills QEMU; boot 2, on the same disk images, recreates the device and
# checks that only the regions marked in the write-intent bitmap are
# resynced, that the legs end identical, and that every acknowledged
# block reads back.
#
#   tests/vm/crash/power-cut.sh [--kernel 6.1|6.12] [KILL_AFTER_SECONDS...]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab="$here/../lab"
kernel=6.1
if [ "${1:-}" = --kernel ]; then
	kernel=${2:?--kernel needs a value}
	shift 2
fi
kill_points=("$@")
[ ${#kill_points[@]} -gt 0 ] || kill_points=(5 8 12)

work="$here/../../../build/lab-results/$kernel/power-cut"
mkdir -p "$work"

fail() {
	echo "FAIL power-cut: $*"
	exit 1
}

for kill_after in "${kill_points[@]}"; do
	dir="$work/kill-$kill_after"
	rm -rf "$dir"
	mkdir -p "$dir"
	truncate -s 64M "$dir/leg0.img" "$dir/leg1.img"
	truncate -s 1M "$dir/meta.img"
	disks=(--disk "$dir/leg0.img" --disk "$dir/leg1.img" --disk "$dir/meta.img")

	"$lab" run --kernel "$kernel" "${disks[@]}" --env PHASE=write \
		--kill-after "$kill_after" --out "$dir/write" "$here/writer.sh" ||
		fail "boot 1 was not killed while writing (kill after ${kill_after}s)"
	acked=$(tr -d '\r' <"$dir/write/console.log" |
		grep -aE '^acked [0-9]+$' | tail -n1 | cut -d' ' -f2)
	[ -n "$acked" ] || fail "no block acknowledged before the kill at ${kill_after}s"

	"$lab" run --kernel "$kernel" "${disks[@]}" --env PHASE=check \
		--env ACKED="$acked" --out "$dir/check" "$here/writer.sh" ||
		fail "boot 2 after the kill at ${kill_after}s failed (see $dir/check)"
	summary=$(tr -d '\r' <"$dir/check/console.log" | grep -a 'resynced' | tail -n1)
	echo "power cut after ${kill_after}s: $((acked + 1)) blocks acknowledged; ${summary#*: }"
done
echo "PASS power-cut (${#kill_points[@]} kill points)"
