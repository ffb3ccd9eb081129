# A route=shadow rule confines its bios to the shadow: a test job (idle
# I/O priority) writes and verifies on the shadow, alone and while
# production writes and verifies, and the legs neither receive its bios
# nor change; its reads see the shadow's data, production's reads the
# legs'. A size rule confines exactly the bios of that size. Without a
# shadow device, confined bios fail with EIO, are counted in
# confined_errors and logged, and production I/O goes on.
. /lab/shadow.sh
load_modules dm-tandem

a=$(make_null_leg f0 128)
b=$(make_null_leg f1 128)
s=$(make_null_leg fsh 128)
tandem_create cf 1024 "$a" "$b" -- shadow "$s"
dev=/dev/mapper/cf

# The test range: blocks 16384.. (64 MiB on), 2048 blocks; production
# data there first, cloned to the shadow as well.
T0=16384 TN=2048
make_pattern /tmp/prod $TN
write_blocks $dev $T0 /tmp/prod
shadow_drain cf
pattern=$(file_md5 /tmp/prod)
for d in "$a" "$b" "$s"; do
	assert_eq "$pattern" "$(blocks_md5 "$d" $T0 $TN)" "production data in the test range on $d"
done

shadow_msg cf rule add test ioprio=idle route=shadow
assert_eq "0 test ioprio=idle route=shadow" "$(tandem_rules cf)" "rule list"

# test_job [fio args]: idle-priority write + crc32c verify over the test range
test_job() {
	fio --name=test --filename=$dev --direct=1 --ioengine=libaio --prioclass=3 \
		--rw=randwrite --bs=4k --bsrange=4k-64k --iodepth=16 \
		--offset=$((T0 * 4096)) --size=$((TN * 4096)) --refill_buffers \
		--verify=crc32c --verify_fatal=1 --do_verify=1 --randrepeat=0 \
		--output-format=terse "$@" || die "the test job failed its verify on the shadow"
}

# legs_io: reads and writes of both legs, one line
legs_io() {
	echo "$(tandem_leg_counter cf 0 reads) $(tandem_leg_counter cf 0 writes)" \
		"$(tandem_leg_counter cf 1 reads) $(tandem_leg_counter cf 1 writes)"
}

log "test job alone"
shadow_msg cf stats reset
test_job >/dev/null
assert_eq "0 0 0 0" "$(legs_io)" "leg reads and writes during the test job"
set -- $(shadow_fields cf confined confined_errors read.prod_count write.prod_count \
	read.shadow_count write.shadow_count read.shadow_errors write.shadow_errors)
[ "$1" -gt 0 ] || die "nothing confined"
assert_eq "0 0 0 0 0" "$2 $3 $4 $7 $8" "confined_errors, production reads and writes, shadow errors"
assert_eq "$1" "$(($5 + $6))" "confined bios against shadow reads + writes"
assert_eq "$1" "$(tandem_class_field cf test bios)" "confined bios against test class bios"
log "ok: $1 bios confined, none on a leg"
for d in "$a" "$b"; do
	assert_eq "$pattern" "$(blocks_md5 "$d" $T0 $TN)" "test range on $d after the test job"
done
testdata=$(blocks_md5 "$s" $T0 $TN)
assert_ne "$pattern" "$testdata" "test range on the shadow after the test job"
# Reads follow the route too: production reads the legs, tests the shadow.
assert_eq "$pattern" "$(blocks_md5 $dev $T0 $TN)" "production read of the test range"
got=$(ionice -c3 dd if=$dev bs=4k skip=$T0 count=$TN iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
assert_eq "$testdata" "$got" "idle-priority read of the test range"

log "test job while production writes and verifies"
shadow_msg cf stats reset
fio --name=prod --filename=$dev --direct=1 --ioengine=libaio --rw=randwrite \
	--bs=4k --bsrange=4k-64k --iodepth=16 --size=16m --refill_buffers \
	--verify=crc32c --verify_fatal=1 --do_verify=1 --randrepeat=0 \
	--output-format=terse >/tmp/prod.out 2>&1 &
prod=$!
test_job --randseed=7 >/dev/null
wait $prod || die "production fio failed: $(cat /tmp/prod.out)"
shadow_drain cf
set -- $(shadow_fields cf read.prod_count write.prod_count read.prod_errors \
	write.prod_errors confined confined_errors dropped)
[ "$2" -gt 0 ] && [ "$5" -gt 0 ] || die "production writes $2, confined $5: both should have run"
assert_eq "0 0 0 0" "$3 $4 $6 $7" "production errors, confined errors, dropped"
# Every bio a leg saw was production's.
assert_eq "$1 $2 0 $2" "$(legs_io)" "leg reads and writes against production reads and writes"
for d in "$a" "$b"; do
	assert_eq "$pattern" "$(blocks_md5 "$d" $T0 $TN)" "test range on $d after both jobs"
done
assert_blocks_match "$s" 0 4096 "production range, shadow (cloned) and legs" "$a" "$b"
log "ok: production $2 writes, $5 confined bios"

log "size rule: 8 KiB bios go to the shadow"
shadow_msg cf rule clear
shadow_msg cf rule add test size=8192-8192 route=shadow
shadow_msg cf stats reset
make_pattern /tmp/eight 8
dd if=/tmp/eight of=$dev bs=8k seek=$((T0 / 2)) count=4 oflag=direct 2>/dev/null
dd if=/tmp/eight of=$dev bs=4k seek=$((T0 + 8)) count=6 oflag=direct 2>/dev/null
shadow_drain cf
assert_eq "4 0 6" "$(shadow_fields cf confined confined_errors write.prod_count)" \
	"confined, confined errors, production writes"
assert_eq "0 6 0 6" "$(legs_io)" "leg reads and writes"
assert_eq "$(file_md5 /tmp/eight)" "$(blocks_md5 "$s" $T0 8)" "8 KiB writes on the shadow"
assert_eq "$(file_md5 /tmp/prod 0 8)" "$(blocks_md5 "$a" $T0 8)" "leg 0 where the 8 KiB writes went"
assert_eq "$(file_md5 /tmp/eight 0 6)" "$(blocks_md5 "$a" $((T0 + 8)) 6)" "4 KiB writes on leg 0"

log "no shadow: confined bios fail with EIO"
shadow_msg cf rule clear
shadow_msg cf rule add test ioprio=idle route=shadow
shadow_detach cf
case $(dmsetup table cf) in
*" 6 nosync rule 3 test ioprio=idle route=shadow") ;;
*) die "table without the shadow: $(dmsetup table cf)" ;;
esac
assert_eq "- 0 0" "$(shadow_fields cf dev confined confined_errors)" "shadow, confined, errors of the new table"
dmesg -c >/dev/null
i=0 failed=0
while [ $i -lt 5 ]; do
	if ionice -c3 dd if=/tmp/eight of=$dev bs=4k seek=$((T0 + i)) count=1 oflag=direct 2>/tmp/dd.err; then
		:
	else
		failed=$((failed + 1))
		expect_in "$(cat /tmp/dd.err)" "Input/output error" "dd's error for a confined write"
	fi
	i=$((i + 1))
done
ionice -c3 dd if=$dev of=/dev/null bs=4k skip=$T0 count=1 iflag=direct 2>/tmp/dd.err &&
	die "a confined read without a shadow succeeded"
expect_in "$(cat /tmp/dd.err)" "Input/output error" "dd's error for a confined read"
assert_eq 5 $failed "confined writes that failed"
assert_eq "6 6" "$(shadow_fields cf confined confined_errors)" "confined, confined_errors without a shadow"
assert_eq "0 0 0 0" "$(legs_io)" "leg reads and writes for confined bios without a shadow"
dmesg | grep -q "bio routed to the shadow, but there is none" ||
	die "no kernel log line for confined bios without a shadow: $(dmesg | grep tandem | tail -n 3)"
assert_eq "$(file_md5 /tmp/prod 0 8)" "$(blocks_md5 "$a" $T0 8)" "leg 0 after the failed confined writes"
# Production is not confined and still works.
write_blocks $dev $T0 /tmp/eight 1
assert_eq "$(file_md5 /tmp/eight 0 1)" "$(blocks_md5 "$b" $T0 1)" "production write on leg 1"
assert_eq "0 1 0 1" "$(legs_io)" "leg reads and writes after one production write"
dmsetup remove cf
