# lab-selftest: proves the lab itself works, with built-in dm targets only.
# A loop leg and a null_blk leg, concatenated by dm-linear; fio writes and
# verifies (crc32c) across both; faults swapped in under a leg (error target,
# flakey, null_blk bad blocks) make I/O fail where expected and nowhere
# else; swapping back shows the data intact; the kernel log is captured.

require_cmd dmsetup fio dd

MIB=64
SECTORS=$((MIB * 2048))

log "creating a loop leg and a null_blk leg of $MIB MiB"
a=$(make_loop_leg leg_a "$MIB")
b=$(make_null_leg leg_b "$MIB" - hw_queue_depth=16)
assert_eq "$SECTORS" "$(sectors_of "$a")" "loop leg size"
assert_eq "$SECTORS" "$(sectors_of "$b")" "null_blk leg size"
assert_eq "0 $SECTORS linear $(majmin "$(leg_dev leg_b)") 0" "$(dmsetup table leg_b)" "leg_b table"

log "one dm-linear over both legs"
dmsetup create both --table "0 $SECTORS linear $a 0
$SECTORS $SECTORS linear $b 0"
dev=/dev/mapper/both
assert_eq $((2 * SECTORS)) "$(sectors_of "$dev")" "combined size"
assert_eq linear "$(dmsetup status both | head -n1 | cut -d' ' -f3)" "target type"

# The same job twice: first write+verify, later verify only. randrepeat
# (fio's default) makes the second run expect exactly what the first wrote.
fio_job() {
	fio --name=selftest --filename="$dev" --direct=1 --ioengine=libaio \
		--rw=randwrite --bs=4k --iodepth=8 --io_size=24m \
		--verify=crc32c --verify_fatal=1 "$@"
}

log "fio randwrite with crc32c verify across both legs"
fio_job --output-format=json --output="$(result_file fio-write.json)"
grep -q '"error" : 0' "$(result_file fio-write.json)" || die "fio reported an error"

# A block in the middle of leg_b's half, and one in leg_a's half.
in_b=$((SECTORS / 8 + 1024))
in_a=1024
read_4k() { dd if="$dev" of=/dev/null bs=4k count=1 skip="$1" iflag=direct 2>/dev/null; }
write_4k() { dd if=/dev/zero of="$dev" bs=4k count=1 seek="$1" oflag=direct conv=notrunc 2>/dev/null; }

log "swap_to_error leg_b: its half fails, leg_a's half still works"
swap_to_error leg_b
assert_eq "0 $SECTORS error" "$(dmsetup table leg_b | sed 's/ *$//')" "leg_b table after swap"
if read_4k "$in_b"; then die "read from the errored leg succeeded"; fi
if write_4k "$in_b"; then die "write to the errored leg succeeded"; fi
read_4k "$in_a" || die "read from the healthy leg failed"

log "swap_back leg_b: the data written before the fault verifies"
swap_back leg_b
fio_job --verify_only --output="$(result_file fio-verify.txt)"

log "null_badblocks: only the bad range of leg_b fails"
null_badblocks leg_b "+$((in_b * 8 - SECTORS))-$((in_b * 8 - SECTORS + 7))"
if read_4k "$in_b"; then die "read of a bad block succeeded"; fi
read_4k $((in_b + 2)) || die "read next to the bad block failed"
null_badblocks leg_b "-$((in_b * 8 - SECTORS))-$((in_b * 8 - SECTORS + 7))"
read_4k "$in_b" || die "read after clearing the bad block failed"

log "swap_table leg_a to flakey error_writes: reads work, writes fail"
swap_table leg_a flakey "$(leg_dev leg_a)" 0 0 1 1 error_writes
read_4k "$in_a" || die "read through flakey failed"
if write_4k "$in_a"; then die "write through flakey error_writes succeeded"; fi
swap_back leg_a

log "the kernel log reaches the host"
echo "lab-selftest: kernel log marker" >/dev/kmsg
dmesg | grep -q "lab-selftest: kernel log marker" || die "marker not in dmesg"

log "tearing down"
dmsetup remove both
remove_leg leg_a
remove_leg leg_b
assert_eq "" "$(dmsetup ls | grep -v 'No devices found' || true)" "dm devices left"
log "all good"
