# The metadata device: a blank one is formatted; leg state and the regions
# a failed leg missed survive removing and recreating the device, so the
# reinstate copies exactly those; metadata that is corrupt, foreign or
# made for another geometry is refused with a clear reason.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg m0 128)
d1=$(make_loop_leg m1 128)
md=$(make_loop_leg mmeta 4)
table="0 $TANDEM_SECTORS tandem $md 1024 2 $d0 $d1 3 read_weights 50 50"

dmsetup create mt --table "$table"
assert_eq ok "$(tandem_sync_field mt metadata)" "metadata state"
assert_eq Aa "$(tandem_field mt 3)" "leg states at creation without nosync"
tandem_wait_idle mt 120
assert_eq AA "$(tandem_field mt 3)" "leg states after the initial sync"
case $(dmsetup table mt) in
*" tandem $(majmin $md) 1024 2 "*) ;;
*) die "table does not name the metadata device: $(dmsetup table mt)" ;;
esac

# Leg 1 out, 3 regions written, device removed and created again.
dmsetup message mt 0 fail_leg 1
for region in 10 11 100; do
	dd if=/dev/urandom of=/dev/mapper/mt bs=4k count=2 seek=$((region * 128)) \
		oflag=direct conv=notrunc 2>/dev/null
done
assert_eq 3 "$(tandem_out_of_sync mt 1)" "regions leg 1 missed"
dmsetup remove mt
dmsetup create mt --table "$table"
assert_eq AD "$(tandem_field mt 3)" "leg states after recreating: leg 1 still failed"
assert_eq 3 "$(tandem_out_of_sync mt 1)" "regions leg 1 missed, from the metadata"
assert_eq 0 "$(tandem_out_of_sync mt 0)" "regions leg 0 lacks"
dmsetup message mt 0 reinstate_leg 1
tandem_wait_idle mt 60
assert_eq 3 "$(tandem_sync_field mt regions_copied)" "regions copied after recreate + reinstate"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS

# A clean stop with everything in sync: nothing to copy on the next start.
dmsetup remove mt
dmsetup create mt --table "$table"
assert_eq AA "$(tandem_field mt 3)" "leg states after a clean stop"
sleep 1
assert_eq 0 "$(tandem_sync_field mt regions_copied)" "regions copied after a clean stop"
dmsetup remove mt

# expect_refused <reason> <table>
expect_refused() {
	if dmsetup create bad --table "$2" 2>/dev/null; then
		die "accepted: $2"
	fi
	dmesg | tail -n 5 | grep -qF "$1" || die "no '$1' in the kernel log"
	log "ok: refused: $1"
}

expect_refused "Metadata was made with another region size" \
	"0 $TANDEM_SECTORS tandem $md 2048 2 $d0 $d1 1 nosync"
expect_refused "Metadata was made for a target of another length" \
	"0 131072 tandem $md 1024 2 $d0 $d1 1 nosync"
# One flipped byte in the superblock.
printf '\377' | dd of=$md bs=1 seek=100 conv=notrunc 2>/dev/null
expect_refused "Metadata superblock checksum mismatch" "$table"
# Something that is not tandem metadata at all.
dd if=/dev/urandom of=$md bs=4k count=1 conv=notrunc 2>/dev/null
expect_refused "bad magic" "$table"
# One 4 KiB block cannot hold a superblock and two bitmaps.
small=$(make_loop_leg msmall 1)
dmsetup create mtiny --table "0 8 linear $small 0"
expect_refused "Metadata device too small" \
	"0 $TANDEM_SECTORS tandem /dev/mapper/mtiny 1024 2 $d0 $d1 1 nosync"
