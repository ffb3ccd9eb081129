# fail_leg stops all I/O to the leg; reinstate_leg brings back a leg that
# missed nothing and refuses one that missed writes; the last healthy leg
# cannot be failed.  Each state change raises a dm event.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg f0 128)
d1=$(make_loop_leg f1 128)
tandem_create fl 1024 $d0 $d1 -- read_weights 50 50

ev=$(dm_event_nr fl)
dmsetup message fl 0 fail_leg 1
assert_eq AD "$(tandem_field fl 3)" "leg states after fail_leg 1"
[ "$(dm_event_nr fl)" -gt "$ev" ] || die "fail_leg raised no dm event"

# Reads only while leg 1 is out: it must see none of them.
dmsetup message fl 0 stats reset
dd if=/dev/mapper/fl of=/dev/null bs=4k count=2000 iflag=direct 2>/dev/null
assert_eq 0 "$(tandem_leg_counter fl 1 reads)" "reads sent to failed leg 1"
assert_eq 2000 "$(tandem_leg_counter fl 0 reads)" "reads served by leg 0"

# No write happened: the legs are still identical, reinstating is safe.
dmsetup message fl 0 reinstate_leg 1
assert_eq AA "$(tandem_field fl 3)" "leg states after reinstate_leg 1"

# Now fail it again and write: it must see none of the writes, and it can
# no longer be reinstated without a resync.
dmsetup message fl 0 fail_leg 1
dmsetup message fl 0 stats reset
fio_verify_write /dev/mapper/fl --size=32m
assert_eq 0 "$(tandem_leg_counter fl 1 writes)" "writes sent to failed leg 1"
assert_eq 0 "$(tandem_leg_counter fl 1 reads)" "reads sent to failed leg 1"
[ "$(tandem_leg_counter fl 0 writes)" -gt 0 ] || die "leg 0 saw no write"
if dmsetup message fl 0 reinstate_leg 1 2>/dev/null; then
	die "reinstate_leg accepted a leg that missed writes"
fi
dmesg | grep -q "message 'reinstate_leg' rejected: Leg missed writes" ||
	die "no clear reason logged for the refused reinstate"
assert_eq AD "$(tandem_field fl 3)" "leg states after refused reinstate"

if dmsetup message fl 0 fail_leg 0 2>/dev/null; then
	die "fail_leg accepted the last healthy leg"
fi
assert_eq AD "$(tandem_field fl 3)" "leg states after refused fail of the last leg"
dmsetup remove fl
