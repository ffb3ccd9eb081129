# The resync always copies from a leg that has the data to the leg that
# lacks it, whichever leg was out; and a leg failing in the middle of a
# resync is failed while the others finish.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg r0 64)
d1=$(make_loop_leg r1 64)
d2=$(make_loop_leg r2 64)
TANDEM_SECTORS=131072

# Leg 0, the source, is the one that was out: it is the one overwritten.
dmsetup create rf --table "0 $TANDEM_SECTORS tandem - 1024 2 $d0 $d1 1 nosync"
dd if=/dev/urandom of=/tmp/old bs=1M count=8 2>/dev/null
dd if=/tmp/old of=/dev/mapper/rf bs=1M oflag=direct 2>/dev/null
dmsetup message rf 0 fail_leg 0
dd if=/dev/urandom of=/tmp/new bs=1M count=8 2>/dev/null
dd if=/tmp/new of=/dev/mapper/rf bs=1M oflag=direct 2>/dev/null
assert_eq 16 "$(tandem_out_of_sync rf 0)" "regions leg 0 missed"
dmsetup message rf 0 reinstate_leg 0
tandem_wait_idle rf 60
dmsetup message rf 0 weights 100 0
dd if=/dev/mapper/rf of=/tmp/readback bs=1M count=8 iflag=direct 2>/dev/null
cmp /tmp/new /tmp/readback || die "leg 0 does not hold the data written while it was out"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup remove rf

# Three legs syncing from leg 0; leg 2 dies half way under a writer.
dd if=/dev/urandom of=$d0 bs=1M count=64 oflag=direct 2>/dev/null
dmsetup create rf3 --table "0 $TANDEM_SECTORS tandem - 1024 3 $d0 $d1 $d2 2 sync_rate 8192"
verify_writer_start /dev/mapper/rf3
sleep 3
assert_eq Aaa "$(tandem_field rf3 3)" "leg states while syncing"
swap_to_error r2
sleep 2
dmsetup message rf3 0 sync_rate 65536
tandem_wait_idle rf3 120
verify_writer_stop || die "fio saw an error when leg 2 failed during the resync"
assert_eq AAD "$(tandem_field rf3 3)" "leg states: leg 2 failed, leg 1 in sync"
[ "$(tandem_out_of_sync rf3 2)" -gt 0 ] || die "failed leg 2 shows nothing to resync"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup remove rf3
