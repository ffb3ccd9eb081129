# The metadata device failing under I/O puts the device in its safe mode:
# writes fail with EIO from then on (no write goes out without its intent
# bits on disk), reads keep working, the status says "failed", and the
# legs do not diverge.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg f0 64)
d1=$(make_loop_leg f1 64)
md=$(make_loop_leg fmeta 4)
TANDEM_SECTORS=131072
dmsetup create mf --table "0 $TANDEM_SECTORS tandem $md 1024 2 $d0 $d1 4 nosync read_weights 50 50"
assert_eq ok "$(tandem_sync_field mf metadata)" "metadata state"

dd if=/dev/urandom of=/tmp/pattern bs=1M count=16 2>/dev/null
dd if=/tmp/pattern of=/dev/mapper/mf bs=64k oflag=direct 2>/dev/null
sleep 2		# the cleaner clears the bits of the idle regions

swap_to_error fmeta
# A write to a region whose bit is clear needs a metadata write: it fails.
if dd if=/dev/zero of=/dev/mapper/mf bs=4k count=1 seek=8000 oflag=direct 2>/dev/null; then
	die "a write succeeded although its intent bit could not be written"
fi
log "ok: write refused once the metadata device failed"
assert_eq failed "$(tandem_sync_field mf metadata)" "metadata state"
dmesg | grep -q "metadata write failed" || die "metadata failure not logged"

# From now on every write fails, even to regions whose bit was on disk.
if dd if=/dev/zero of=/dev/mapper/mf bs=4k count=1 oflag=direct 2>/dev/null; then
	die "a write succeeded in the safe mode"
fi
# Reads still work and return what was written before.
dd if=/dev/mapper/mf of=/tmp/readback bs=64k count=256 iflag=direct 2>/dev/null ||
	die "reads failed in the safe mode"
cmp /tmp/pattern /tmp/readback || die "data read back differs"
assert_eq AA "$(tandem_field mf 3)" "leg states"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup remove mf
