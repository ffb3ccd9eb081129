# persist: the VM side of tests/vm/selftest-persist.sh (run that, not this).
# Needs two --disk images (/dev/vda, /dev/vdb) and PHASE:
#   write        fio writes a verifiable pattern to /dev/vda; saves its sha256
#   check        boot 2: the pattern verifies and the sha256 is EXPECT_SUM
#   crash        writes numbered 4 KiB blocks to /dev/vdb, printing "acked N"
#                once each is on the disk, until the host kills QEMU
#   after-crash  boot 3: every block up to ACKED reads back intact

# shellcheck disable=SC2086 # split into one word per disk
set -- $LAB_DISKS
[ $# -eq 2 ] || die "needs two --disk images, got: '$LAB_DISKS'"
pattern_disk=$1
crash_disk=$2

pattern_job() {
	fio --name=pattern --filename="$pattern_disk" --direct=1 --ioengine=libaio \
		--rw=write --bs=64k --iodepth=4 --size=16m --verify=crc32c "$@"
}

case "${PHASE:-}" in
write)
	log "writing a crc32c-verifiable pattern to $pattern_disk"
	pattern_job --do_verify=1
	dev_checksum "$pattern_disk" >"$(result_file vda.sha256)"
	;;
check)
	log "verifying the pattern written by the previous boot"
	pattern_job --verify_only
	assert_eq "$EXPECT_SUM" "$(dev_checksum "$pattern_disk")" "sha256 of $pattern_disk"
	;;
crash)
	log "writing numbered blocks to $crash_disk until the power is cut"
	i=0
	while :; do
		# conv=fsync: the block is on the (virtual) disk before it is acked
		printf 'block %08d\n' "$i" |
			dd of="$crash_disk" bs=4096 seek="$i" conv=sync,notrunc,fsync oflag=direct 2>/dev/null
		echo "acked $i"
		i=$((i + 1))
	done
	;;
after-crash)
	log "checking blocks 0..$ACKED, all acknowledged before the kill"
	i=0
	while [ "$i" -le "$ACKED" ]; do
		got=$(dd if="$crash_disk" bs=4096 skip="$i" count=1 iflag=direct 2>/dev/null | head -n 1)
		assert_eq "$(printf 'block %08d' "$i")" "$got" "block $i after the crash"
		i=$((i + 1))
	done
	;;
*)
	die "unknown PHASE '${PHASE:-}'"
	;;
esac
log "phase $PHASE done"
