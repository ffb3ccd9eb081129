# A write to a region while it is being copied is neither lost nor
# overwritten by the copy.  The target leg is slowed (dm-delay, 40 ms per
# write) so every region copy is long, and writers keep hitting the
# regions under copy; afterwards the legs are identical and every write
# reads back.
. /lab/tandem.sh
load_modules dm-tandem dm-delay

d0=$(make_loop_leg o0 64)
d1=$(make_loop_leg o1 64)
TANDEM_SECTORS=131072
dd if=/dev/urandom of=$d1 bs=1M count=64 oflag=direct 2>/dev/null
sz=$(sectors_of "$d1")
dmsetup create o1slow --table "0 $sz delay $d1 0 0 $d1 0 40"

# 256 KiB regions: 256 of them, each copy held up by the delayed writes.
dmsetup create ord --table "0 $TANDEM_SECTORS tandem - 512 2 $d0 /dev/mapper/o1slow 0"
fio_verify_write /dev/mapper/ord --size=64m --bsrange=4k-16k --iodepth=16 ||
	die "fio saw lost or overwritten data while regions were copied"
[ "$(tandem_sync_field ord action)" = resync ] ||
	log "note: the copy finished before the writer"
tandem_wait_idle ord 300
copied=$(tandem_sync_field ord regions_copied)
log "ok: $copied regions copied under concurrent writes"
assert_eq AA "$(tandem_field ord 3)" "leg states"
assert_same_data "$d0" /dev/mapper/o1slow $TANDEM_SECTORS
dmsetup remove ord
dmsetup remove o1slow
