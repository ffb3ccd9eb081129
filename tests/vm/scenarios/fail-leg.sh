# fail_leg stops all I/O to the leg; reinstate_leg brings it back and
# resyncs exactly the regions written while it was out (none if nothing
# was), and the leg serves no read until then; the last in-sync leg cannot
# be failed.  Each state change raises a dm event.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg f0 128)
d1=$(make_loop_leg f1 128)
tandem_create fl 1024 $d0 $d1 -- read_weights 50 50
assert_eq 256 "$(tandem_nr_regions fl)" "regions of 512 KiB in 128 MiB"

ev=$(dm_event_nr fl)
dmsetup message fl 0 fail_leg 1
assert_eq AD "$(tandem_field fl 3)" "leg states after fail_leg 1"
[ "$(dm_event_nr fl)" -gt "$ev" ] || die "fail_leg raised no dm event"

# Reads only while leg 1 is out: it must see none of them.
dmsetup message fl 0 stats reset
dd if=/dev/mapper/fl of=/dev/null bs=4k count=2000 iflag=direct 2>/dev/null
assert_eq 0 "$(tandem_leg_counter fl 1 reads)" "reads sent to failed leg 1"
assert_eq 2000 "$(tandem_leg_counter fl 0 reads)" "reads served by leg 0"

# Nothing was written: reinstating copies nothing.
dmsetup message fl 0 reinstate_leg 1
assert_eq AA "$(tandem_field fl 3)" "leg states after reinstate_leg 1"
assert_eq 0 "$(tandem_out_of_sync fl 1)" "regions leg 1 lacks"
sleep 1
assert_eq 0 "$(tandem_sync_field fl regions_copied)" "regions copied for a leg that missed nothing"

# Fail it again and write 4 KiB into each of regions 3, 50, 51 and 200.
dmsetup message fl 0 fail_leg 1
dmsetup message fl 0 stats reset
for region in 3 50 51 200; do
	dd if=/dev/urandom of=/dev/mapper/fl bs=4k count=1 seek=$((region * 128 + 7)) \
		oflag=direct conv=notrunc 2>/dev/null
done
assert_eq 0 "$(tandem_leg_counter fl 1 writes)" "writes sent to failed leg 1"
assert_eq 4 "$(tandem_out_of_sync fl 1)" "regions leg 1 missed"
cmp -s "$d0" "$d1" && die "legs identical although leg 1 missed writes"

# Reinstate with the resync paused: the leg takes writes but serves no read.
dmsetup message fl 0 sync_rate 0
dmsetup message fl 0 reinstate_leg 1
assert_eq Aa "$(tandem_field fl 3)" "leg states while leg 1 waits for its resync"
assert_eq paused "$(tandem_sync_field fl action)" "sync action with rate 0"
dmsetup message fl 0 stats reset
dd if=/dev/mapper/fl of=/dev/null bs=4k count=1000 iflag=direct 2>/dev/null
assert_eq 0 "$(tandem_leg_counter fl 1 reads)" "reads sent to leg 1 before its resync"
dd if=/dev/zero of=/dev/mapper/fl bs=4k count=1 seek=20 oflag=direct 2>/dev/null
assert_eq 1 "$(tandem_leg_counter fl 1 writes)" "writes sent to leg 1 while it waits"

dmsetup message fl 0 sync_rate 65536
tandem_wait_idle fl 60
assert_eq AA "$(tandem_field fl 3)" "leg states after the resync"
assert_eq 4 "$(tandem_sync_field fl regions_copied)" "regions copied: exactly the ones missed"
assert_eq 2048 "$(tandem_sync_field fl kib_copied)" "KiB copied"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmesg | grep -q "resync finished" || die "resync end not logged"

# The last leg with every region in sync cannot be failed.
dmsetup message fl 0 fail_leg 1
if dmsetup message fl 0 fail_leg 0 2>/dev/null; then
	die "fail_leg accepted the last healthy leg"
fi
dmesg | tail -n 2 | grep -q "Refusing to fail the last healthy leg" ||
	die "no clear reason logged for the refused fail_leg"
assert_eq AD "$(tandem_field fl 3)" "leg states after the refused fail_leg 0"
dmsetup remove fl
