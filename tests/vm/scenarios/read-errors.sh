# Read errors on a sector range of one leg (null_blk badblocks): reads
# still succeed with the right data from the other leg, the errors and
# retries are counted, and the leg is failed only after 20 read errors.
. /lab/tandem.sh
load_modules dm-tandem

n0=$(make_null_leg r0 256)
n1=$(make_null_leg r1 256)
tandem_create rd 1024 $n0 $n1
dd if=/dev/urandom of=/tmp/pattern bs=1M count=8 2>/dev/null
dd if=/tmp/pattern of=/dev/mapper/rd bs=1M oflag=direct conv=fsync 2>/dev/null

# Sectors 2048..2111 (32 KiB at 1 MiB) of leg 0, the leg every read goes to.
null_badblocks r0 +2048-2111
dmsetup message rd 0 stats reset
dd if=/dev/mapper/rd of=/tmp/readback bs=4k count=2048 iflag=direct 2>/dev/null ||
	die "reads failed although leg 1 holds the data"
cmp /tmp/pattern /tmp/readback || die "data read back differs"
assert_eq 8 "$(tandem_leg_counter rd 0 read_errors)" "read errors on leg 0 (8 bad 4k blocks)"
assert_eq 8 "$(tandem_read_retries rd)" "reads retried on leg 1"
assert_eq 8 "$(tandem_leg_counter rd 1 reads)" "reads served by leg 1"
assert_eq AA "$(tandem_field rd 3)" "leg states after 8 read errors"

# Twelve more errors reach the limit of 20: leg 0 is failed, reads move.
ev=$(dm_event_nr rd)
i=0
while [ $i -lt 12 ]; do
	dd if=/dev/mapper/rd of=/dev/null bs=4k count=1 skip=256 iflag=direct 2>/dev/null ||
		die "read $i failed"
	i=$((i + 1))
done
assert_eq DA "$(tandem_field rd 3)" "leg states after 20 read errors"
[ "$(dm_event_nr rd)" -gt "$ev" ] || die "no dm event for the failed leg"
dmsetup message rd 0 stats reset
dd if=/dev/mapper/rd of=/tmp/readback bs=4k count=2048 iflag=direct 2>/dev/null
cmp /tmp/pattern /tmp/readback || die "data read back differs after failover"
assert_eq 0 "$(tandem_leg_counter rd 0 reads)" "reads sent to the failed leg"
dmsetup remove rd
