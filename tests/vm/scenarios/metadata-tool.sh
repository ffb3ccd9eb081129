# tandemctl reads the metadata device itself: after leg 1 missed three
# regions and the device was removed, `metadata dump` shows leg 1 failed
# with 3 bits set (the regions with --bits) and `metadata check` passes; a
# blank device is reported as such; one byte flipped in a bitmap block
# fails the check naming the block, and the target refuses that metadata
# too.  `tandemctl verify --repair --wait` finds a block planted beneath
# the device, rewrites it and exits 3; a second pass finds nothing and
# exits 0.  tandemd reports the passes and the metadata device failing.
. /lab/tandem.sh
load_modules dm-tandem
require_cmd tandemctl tandemd

# dump_leg N : "<state> <out_of_sync> <bits_set>" of leg N in the last dump.
dump_leg() {
	echo "$out" | awk -v l="$1" '$1 == l && NF == 4 { print $2, $3, $4 }'
}

d0=$(make_loop_leg t0 128)
d1=$(make_loop_leg t1 128)
md=$(make_loop_leg tmeta 4)
table="0 $TANDEM_SECTORS tandem $md 1024 2 $d0 $d1 1 nosync"

# --- a blank device --------------------------------------------------------------
log "a blank metadata device"
tctl 0 metadata check "$md"
assert_eq "$md: blank (will be formatted on first use)" "$out" "check of a blank device"
tctl 0 metadata dump "$md"
assert_eq "$md: blank (will be formatted on first use)" "$out" "dump of a blank device"

# --- leg 1 misses three regions ----------------------------------------------------
dmsetup create mt --table "$table"
assert_eq ok "$(tandem_sync_field mt metadata)" "metadata state"
tctl 0 status mt
expect_in "$out" "metadata: ok" "status view of the metadata"
expect_in "$out" "resync mode: copy, 0 blocks compared, 0 copied" "status view of the resync mode"
expect_in "$out" "check: idle" "status view of the verify pass"
tctl 0 metadata check "$md"
expect_in "$out" "note: in use by dm-" "check of a metadata device in use"

dmsetup message mt 0 fail_leg 1
for region in 10 11 100; do
	dd if=/dev/urandom of=/dev/mapper/mt bs=4k count=2 seek=$((region * 128)) \
		oflag=direct conv=notrunc 2>/dev/null
done
assert_eq 3 "$(tandem_out_of_sync mt 1)" "regions leg 1 missed"
dmsetup remove mt

log "after the device was removed: leg 1 failed, 3 bits set"
tctl 0 metadata dump "$md"
assert_eq "healthy 0 0" "$(dump_leg 0)" "dump of leg 0 (state out_of_sync bits_set)"
assert_eq "failed 3 3" "$(dump_leg 1)" "dump of leg 1 (state out_of_sync bits_set)"
expect_in "$out" "$md: tandem metadata version 1" "dump header"
expect_in "$out" "state:     clean (stopped with no write in flight)" "clean flag after a remove"
expect_in "$out" "target:    $TANDEM_SECTORS sectors (128 MiB)" "target length"
expect_in "$out" "regions:   256 of 1024 sectors (512 KiB)" "geometry"
expect_in "$out" "bitmaps:   1 block per leg, 3 blocks in all (12 KiB) on a device of 4 MiB" \
	"bitmap size"
case "$out" in
*error:* | *warning:*) die "problems in the dump of a cleanly stopped device: $out" ;;
esac
tctl 0 metadata dump "$md" --bits
expect_in "$out" "leg 0 set regions: none" "leg 0's set regions"
expect_in "$out" "leg 1 set regions: 10-11 100" "leg 1's set regions"
tctl 0 metadata check "$md"
assert_eq "$md: valid tandem metadata: 2 legs, 256 regions, 3 blocks checked" "$out" \
	"check after a clean stop"

# The same from an image of the device.
dd if="$md" of=/tmp/meta.img bs=4k count=3 iflag=direct 2>/dev/null
tctl 0 metadata check /tmp/meta.img
expect_in "$out" "/tmp/meta.img: valid tandem metadata" "check of an image file"
head -c 10000 /tmp/meta.img >/tmp/short.img
tctl 1 metadata check /tmp/short.img
expect_in "$out" "but the metadata needs 3 blocks (12288 bytes): truncated" "check of a truncated image"

# --- one byte flipped in leg 1's bitmap block ----------------------------------------
log "a flipped byte in a bitmap block"
# Block 2 is leg 1's bitmap block; byte 16 + 100 / 8 holds region 100's bit.
printf '\377' | dd of="$md" bs=1 seek=$((2 * 4096 + 16 + 100 / 8)) conv=notrunc 2>/dev/null
blockdev --flushbufs "$md"
tctl 1 metadata check "$md"
expect_in "$out" "$md: invalid tandem metadata: 1 error" "check of a damaged device"
expect_in "$out" "error: block 2 (bitmap block 0 of leg 1): checksum mismatch: stored 0x" \
	"the damaged block named"
tctl 0 metadata dump "$md"
expect_in "$out" "error: block 2 (bitmap block 0 of leg 1): checksum mismatch" \
	"dump lists the damage"
# The target refuses it for the same reason (at the first resume).
if dmsetup create mt --table "$table" 2>/dev/null; then
	die "the target accepted metadata with a bad bitmap block"
fi
dmsetup remove mt 2>/dev/null || true
dmesg | tail -n 5 | grep -qF "Metadata bitmap block checksum mismatch" ||
	die "no bitmap checksum mismatch in the kernel log"
log "ok: the target refuses the damaged metadata too"

# --- verify and repair -------------------------------------------------------------
v0=$(make_loop_leg v0 64)
v1=$(make_loop_leg v1 64)
vmd=$(make_loop_leg vmeta 4)
TANDEM_SECTORS=131072 # 128 regions of 512 KiB
dmsetup create mv --table "0 $TANDEM_SECTORS tandem $vmd 1024 2 $v0 $v1 1 nosync"
dd if=/dev/urandom of=/dev/mapper/mv bs=1M count=64 oflag=direct 2>/dev/null
assert_same_data "$v0" "$v1" $TANDEM_SECTORS

conf=/tmp/tandemd.yaml
dlog=/tmp/tandemd.log
printf 'log_level: info\npoll_interval_ms: 200\ndevices:\n  - name: mv\n' >"$conf"
tandemd --config "$conf" >"$dlog" 2>&1 &
dpid=$!
log_has() {
	grep -qF "$1" "$dlog"
}
wait_until 10 log_has ": 2 legs, states AA"

log "a block planted on leg 1 beneath the device"
dd if=/dev/urandom of="$v1" bs=4k count=1 seek=1000 oflag=direct conv=notrunc 2>/dev/null
tctl 0 sync-rate mv 4096
tctl 0 verify mv
assert_eq "mv: verify started (128 regions)" "$out" "verify reply"
assert_eq verify "$(tandem_sync_field mv check)" "check action while the pass runs"
tctl 0 status mv
expect_in "$out" "check: verify " "status view while a verify runs"
tctl 1 verify mv --repair
expect_in "$err" "rejected by the target: A verify or repair is already running" \
	"a second pass while one runs"
tctl 0 sync-rate mv 65536
tandem_wait_check mv 120
assert_eq 1 "$(tandem_sync_field mv check_mismatches)" "mismatches the verify found"
assert_eq 128 "$(tandem_sync_field mv check_regions_done)" "regions the verify compared"
tctl 0 status mv
expect_in "$out" "check: idle; last pass: 128/128 regions, 1 mismatching blocks" \
	"status view after the verify"
wait_until 10 log_has "mv: verify finished: 128/128 regions compared, 1 mismatching block(s)"

# Passes of about 8 s from here on (512 KiB regions at 8 MiB/s), so that
# tandemd, polling every 200 ms, sees each one start.
tctl 0 sync-rate mv 8192

log "verify --repair --wait"
tctl 3 verify mv --repair --wait
assert_eq "mv: repair started (128 regions)
mv: repair finished: 128/128 regions compared, 1 mismatching block(s) rewritten from the source" \
	"$out" "repair --wait output"
assert_eq idle "$(tandem_sync_field mv check)" "check action after --wait"
assert_same_data "$v0" "$v1" $TANDEM_SECTORS
wait_until 10 log_has "mv: repair finished: 128/128 regions compared, 1 mismatching block(s) rewritten from the source"

log "verify --wait on identical legs"
tctl 0 verify mv --wait
expect_in "$out" "mv: verify finished: 128/128 regions compared, 0 mismatching block(s)" \
	"verify --wait after the repair"

log "checksum resync mode"
tctl 0 sync-rate mv 65536
tctl 0 resync-mode mv checksum
expect_in "$out" "mv: resync mode set to checksum" "resync-mode reply"
assert_eq checksum "$(tandem_sync_field mv resync_mode)" "dmsetup resync mode"
expect_in "$(dmsetup table mv)" "resync_mode checksum" "dmsetup table with checksum resync"
tctl 0 table mv
expect_in "$out" "resync mode:  checksum (only the 4 KiB blocks that differ are copied)" \
	"table view"
expect_in "$out" "metadata:     $(majmin "$vmd") (leg state and write intent kept on disk)" \
	"table view of the metadata device"
wait_until 10 log_has "mv: resync mode changed from copy to checksum"
dmsetup message mv 0 fail_leg 1
dd if=/dev/urandom of=/dev/mapper/mv bs=4k count=1 seek=5000 oflag=direct 2>/dev/null
dmsetup message mv 0 reinstate_leg 1
tandem_wait_idle mv 60
assert_eq 128 "$(tandem_sync_field mv blocks_compared)" "blocks compared: one region"
assert_eq 1 "$(tandem_sync_field mv blocks_copied)" "blocks copied: the one written"
tctl 0 status mv
expect_in "$out" "resync mode: checksum, 128 blocks compared, 1 copied" "status view of the resync"
assert_same_data "$v0" "$v1" $TANDEM_SECTORS

log "the metadata device fails: tandemd reports an error"
sleep 2 # the cleaner clears the bits of the idle regions
swap_to_error vmeta
if dd if=/dev/zero of=/dev/mapper/mv bs=4k count=1 seek=12000 oflag=direct 2>/dev/null; then
	die "a write succeeded although its intent bit could not be written"
fi
assert_eq failed "$(tandem_sync_field mv metadata)" "metadata state"
tctl 0 status mv
expect_in "$out" "metadata: failed: every write fails (reads work) until the metadata device is replaced" \
	"status view in the safe mode"
wait_until 10 log_has "error: mv: metadata write failed (ok -> failed)"

kill -TERM "$dpid"
wait "$dpid" || die "tandemd exited with status $?"
cp "$dlog" "$(result_file tandemd.log)"
for line in "2 verify started" "2 verify finished" "1 repair started" "1 repair finished" \
	"1 metadata write failed"; do
	assert_eq "${line%% *}" "$(grep -cF "mv: ${line#* }" "$dlog")" \
		"times tandemd logged '${line#* }'"
done
dmsetup remove mv
