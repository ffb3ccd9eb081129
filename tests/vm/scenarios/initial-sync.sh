# Initial sync: without nosync, leg 0 is copied onto legs holding other
# data, region by region, while fio writes and verifies through the
# device.  Reads stay on leg 0 until the copy ends; pausing (sync_rate 0)
# stops the copy; a reload mid-copy starts over safely; at the end the
# legs are byte-identical and nothing fio wrote was lost.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg i0 128)
d1=$(make_loop_leg i1 128)
d2=$(make_loop_leg i2 128)
dd if=/dev/urandom of=$d0 bs=1M count=128 oflag=direct 2>/dev/null
dd if=/dev/urandom of=$d1 bs=1M count=64 oflag=direct 2>/dev/null
cmp -s "$d0" "$d1" && die "legs start identical"

# 2 MiB regions at 8 MiB/s: the copy of 128 MiB takes about 16 s.
dmsetup create is --table "0 $TANDEM_SECTORS tandem - 4096 3 $d0 $d1 $d2 6 read_weights 34 33 33 sync_rate 8192"
assert_eq 64 "$(tandem_nr_regions is)" "regions"
case $(tandem_field is 3) in
Aaa) ;;
*) die "leg states at creation: $(tandem_field is 3), expected Aaa" ;;
esac
assert_eq resync "$(tandem_sync_field is action)" "sync action at creation"
case $(dmsetup table is) in
*nosync*) die "table claims nosync while syncing: $(dmsetup table is)" ;;
esac

# Writers during the copy: each round writes and verifies 32 MiB.
verify_writer_start /dev/mapper/is

# Pause: nothing is copied while the rate is 0.
sleep 2
dmsetup message is 0 sync_rate 0
sleep 1
copied=$(tandem_sync_field is regions_copied)
sleep 2
assert_eq paused "$(tandem_sync_field is action)" "sync action with rate 0"
assert_eq "$copied" "$(tandem_sync_field is regions_copied)" "regions copied while paused"
dmsetup message is 0 sync_rate 8192

# Writes keep going to every leg; reads go only to leg 0 until in sync.
sleep 2
assert_eq 0 "$(tandem_leg_counter is 1 reads)" "reads from leg 1 while it syncs"
assert_eq 0 "$(tandem_leg_counter is 2 reads)" "reads from leg 2 while it syncs"
[ "$(tandem_leg_counter is 1 writes)" -gt 0 ] || die "leg 1 got no writes while syncing"

dmsetup message is 0 sync_rate 65536
tandem_wait_idle is 180
verify_writer_stop || die "fio lost or corrupted data during the initial sync"
log "ok: $(verify_writer_rounds) write+verify rounds during the sync"
assert_eq AAA "$(tandem_field is 3)" "leg states after the sync"
copied=$(tandem_sync_field is regions_copied)
[ "$copied" -ge 64 ] || die "only $copied regions copied"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
assert_same_data "$d0" "$d2" $TANDEM_SECTORS
case $(dmsetup table is) in
*" nosync "*) ;;
*) die "table does not say nosync once in sync: $(dmsetup table is)" ;;
esac

# Reads now spread over all three legs.
dmsetup message is 0 stats reset
dd if=/dev/mapper/is of=/dev/null bs=4k count=3000 iflag=direct 2>/dev/null
assert_within "$(tandem_leg_counter is 2 reads)" 990 150 "reads from leg 2 once in sync"
dmsetup remove is

# A reload in the middle of a copy: the new table starts over, the legs
# still end identical.
dd if=/dev/urandom of=$d1 bs=1M count=128 oflag=direct 2>/dev/null
dmsetup create rl --table "0 $TANDEM_SECTORS tandem - 1024 2 $d0 $d1 2 sync_rate 16384"
verify_writer_start /dev/mapper/rl
sleep 3
table=$(dmsetup table rl)
dmsetup reload rl --table "0 $TANDEM_SECTORS tandem $(echo "$table" | cut -d' ' -f4-)"
dmsetup suspend rl
dmsetup resume rl
dmsetup message rl 0 sync_rate 65536
tandem_wait_idle rl 180
verify_writer_stop || die "fio lost data across a reload during the sync"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup remove rl
