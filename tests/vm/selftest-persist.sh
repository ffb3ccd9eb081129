#!/bin/bash
# Persistent disks and power cuts, end to end, from the host:
#   boot 1 writes a pattern to disk0; the host checks the image file itself;
#   boot 2, on the same images, verifies the pattern;
#   boot 3 writes numbered blocks to disk1 and is killed mid-write (KILLED);
#   boot 4 checks every block acknowledged before the kill.
#
#   tests/vm/selftest-persist.sh [--kernel 6.1|6.12]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab="$here/lab"
scenario="$here/selftest/persist.sh"
kernel=6.1
if [ "${1:-}" = --kernel ] && [ -n "${2:-}" ]; then
	kernel=$2
fi

work="$here/../../build/lab-results/$kernel/selftest-persist"
mkdir -p "$work"
disk0="$work/disk0.img"
disk1="$work/disk1.img"
rm -f "$disk0" "$disk1"
truncate -s 64M "$disk0" "$disk1"

fail() {
	echo "FAIL selftest-persist: $*"
	exit 1
}

# run PHASE [lab run options] : one boot on both images.
run() {
	local phase=$1
	shift
	"$lab" run --kernel "$kernel" --disk "$disk0" --disk "$disk1" \
		--env PHASE="$phase" --out "$work/$phase" "$@" "$scenario"
}

run write || fail "boot 1 (write) failed"
sum=$(cat "$work/write/vda.sha256")
# The pattern must be in the image file, not just somewhere in the VM.
[ "$(sha256sum <"$disk0" | cut -d' ' -f1)" = "$sum" ] ||
	fail "disk0.img on the host does not hold what the VM wrote"

run check --env EXPECT_SUM="$sum" || fail "boot 2 (check) failed"

run crash --kill-after 4 || fail "boot 3 (crash) was not KILLED"
acked=$(tr -d '\r' <"$work/crash/console.log" | grep -aE '^acked [0-9]+$' | tail -n1 | cut -d' ' -f2)
[ -n "$acked" ] || fail "boot 3 acknowledged no block before the kill"

run after-crash --env ACKED="$acked" || fail "boot 4 (after the crash) failed"
echo "PASS selftest-persist ($((acked + 1)) acknowledged blocks survived the kill)"
