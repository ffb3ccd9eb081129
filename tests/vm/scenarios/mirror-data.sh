# Data written through tandem reads back intact and lands identically on
# every leg, for 2, 3 and 4 legs; flushes and discards pass through.
. /lab/tandem.sh
load_modules dm-tandem
# 64 MiB mirrors: every leg is read back whole, nine times over.
TANDEM_SECTORS=131072

for legs in 2 3 4; do
	devs=""
	i=0
	while [ $i -lt $legs ]; do
		devs="$devs $(make_loop_leg m${legs}l$i 64)"
		i=$((i + 1))
	done
	tandem_create mirror$legs 1024 $devs

	fio_verify_write /dev/mapper/mirror$legs --fsync=64
	for d in $devs; do
		assert_same_data /dev/mapper/mirror$legs "$d" $TANDEM_SECTORS
	done
	i=0
	while [ $i -lt $legs ]; do
		[ "$(tandem_leg_counter mirror$legs $i writes)" -gt 0 ] ||
			die "leg $i of mirror$legs saw no write"
		assert_eq 0 "$(tandem_leg_counter mirror$legs $i write_errors)" "write errors on leg $i"
		i=$((i + 1))
	done
	assert_eq "$(printf 'A%.0s' $(seq $legs))" "$(tandem_field mirror$legs 3)" "leg states of mirror$legs"
	dmsetup remove mirror$legs
done

# Buffered I/O with fsync through a page cache: a different bio mix
# (merged writes, empty flushes) from the direct fio run above.
d0=$(make_loop_leg fl0 64)
d1=$(make_loop_leg fl1 64)
tandem_create flushes 128 $d0 $d1
dd if=/dev/urandom of=/tmp/pattern bs=1M count=32 2>/dev/null
dd if=/tmp/pattern of=/dev/mapper/flushes bs=64k conv=fsync 2>/dev/null
echo 3 >/proc/sys/vm/drop_caches
cmp -n $((32 << 20)) /tmp/pattern /dev/mapper/flushes || die "buffered data read back differs"
assert_same_data "$d0" "$d1" 65536
log "ok: buffered writes with fsync mirrored"
dmsetup remove flushes
