# Checksum resync copies only the blocks that differ; verify counts a
# planted mismatch exactly and changes nothing; repair copies the source's
# blocks over the mismatches, and a second verify finds none.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg c0 64)
d1=$(make_loop_leg c1 64)
TANDEM_SECTORS=131072		# 16384 blocks of 4 KiB

# Leg 1 is leg 0 with 1% of its blocks (every 100th) changed.
dd if=/dev/urandom of=$d0 bs=1M count=64 oflag=direct 2>/dev/null
dd if=$d0 of=$d1 bs=1M count=64 iflag=direct oflag=direct 2>/dev/null
planted=0
b=0
while [ $b -lt 16384 ]; do
	dd if=/dev/urandom of=$d1 bs=4k count=1 seek=$b oflag=direct conv=notrunc 2>/dev/null
	planted=$((planted + 1))
	b=$((b + 100))
done
log "planted $planted differing blocks in leg 1"

dmsetup create ck --table "0 $TANDEM_SECTORS tandem - 1024 2 $d0 $d1 4 sync_rate 0 resync_mode checksum"
assert_eq checksum "$(tandem_sync_field ck resync_mode)" "resync mode"
case $(dmsetup table ck) in
*"resync_mode checksum"*) ;;
*) die "table lost the resync mode: $(dmsetup table ck)" ;;
esac
dmsetup message ck 0 sync_rate 65536
tandem_wait_idle ck 120
assert_eq 16384 "$(tandem_sync_field ck blocks_compared)" "blocks compared"
assert_eq $planted "$(tandem_sync_field ck blocks_copied)" "blocks copied: only the differing ones"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS

# Plant 5 mismatches beneath the device, in 3 regions.
for b in 3 4 700 701 9000; do
	dd if=/dev/urandom of=$d1 bs=4k count=1 seek=$b oflag=direct conv=notrunc 2>/dev/null
done
before=$(dd if=$d1 bs=1M iflag=direct 2>/dev/null | md5sum)
ev=$(dm_event_nr ck)
dmsetup message ck 0 verify
tandem_wait_check ck 120
assert_eq 5 "$(tandem_sync_field ck check_mismatches)" "mismatching blocks found by verify"
assert_eq 128 "$(tandem_sync_field ck check_regions_done)" "regions verified"
assert_eq "$before" "$(dd if=$d1 bs=1M iflag=direct 2>/dev/null | md5sum)" "leg 1 after verify (unchanged)"
[ "$(dm_event_nr ck)" -gt "$ev" ] || die "verify raised no dm event when done"
dmesg | grep -q "verify finished: 5 differing blocks" || die "verify result not logged"

# Verify and repair run one at a time.
dmsetup message ck 0 sync_rate 64
dmsetup message ck 0 repair
if dmsetup message ck 0 verify 2>/dev/null; then
	die "a second pass started while one runs"
fi
dmsetup message ck 0 sync_rate 65536
tandem_wait_check ck 120
assert_eq 5 "$(tandem_sync_field ck check_mismatches)" "mismatching blocks repaired"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup message ck 0 verify
tandem_wait_check ck 120
assert_eq 0 "$(tandem_sync_field ck check_mismatches)" "mismatches after repair"

# Writes while a repair runs are neither lost nor undone.
dmsetup message ck 0 repair
fio_verify_write /dev/mapper/ck --size=16m || die "fio lost data during a repair"
tandem_wait_check ck 120
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup remove ck
