# A failing or slow shadow costs production nothing in async mode: with
# the shadow turned into an `error` device, production writes and
# verifies without an error while every clone's error is counted on the
# shadow side (sync mode too returns no shadow error); with a shadow 10
# times slower than the legs, production completes without errors at
# close to its no-shadow IOPS. In gate mode, a shadow that fails a range
# of sectors fails exactly the production writes into that range, counts
# them in gate_failures, and the legs never receive those blocks.
. /lab/shadow.sh
load_modules dm-tandem

# Legs and the shadow complete every I/O in 100 us; "xslow" in 1 ms, and
# the shadow's dm-linear is pointed at it to make the shadow slow.
a=$(make_null_leg x0 128 100000)
b=$(make_null_leg x1 128 100000)
s=$(make_null_leg xsh 128 100000)
make_null_leg xslow 128 1000000 >/dev/null
tandem_create xf 1024 "$a" "$b" -- shadow "$s"
dev=/dev/mapper/xf

# no_prod_errors <what>: no production error, no leg failed.
no_prod_errors() {
	assert_eq "0 0 0 0" "$(shadow_fields xf read.prod_errors write.prod_errors flush.prod_errors discard.prod_errors)" \
		"$1: production errors (read write flush discard)"
	assert_eq "AA 0 0" "$(tandem_field xf 3) $(tandem_leg_counter xf 0 write_errors) $(tandem_leg_counter xf 1 write_errors)" \
		"$1: leg states and leg write errors"
}

log "async, the shadow fails every I/O"
swap_to_error xsh
shadow_msg xf stats reset
fio_verify_write $dev --size=16m || die "production fio verify failed with a failing async shadow"
shadow_drain xf
no_prod_errors "failing async shadow"
set -- $(shadow_fields xf write.shadow_count write.shadow_errors read.shadow_count read.shadow_errors \
	compared mismatches gate_failures)
[ "$1" -gt 0 ] && [ "$3" -gt 0 ] || die "no clones sent to the failing shadow: $*"
assert_eq "$1 $3 0 0 0" "$2 $4 $5 $6 $7" \
	"shadow errors (every clone), compared, mismatches, gate_failures"
log "ok: $2 write and $4 read clone errors, none seen by production"
shadow_stats xf >"$(result_file faults-error-stats.txt)"

log "sync, the shadow fails every I/O: counted, not returned"
shadow_msg xf shadow_mode sync
shadow_msg xf stats reset
fio_verify_write $dev --size=8m || die "production fio verify failed with a failing sync shadow"
no_prod_errors "failing sync shadow"
set -- $(shadow_fields xf write.prod_count write.shadow_count write.shadow_errors)
assert_eq "$1 $1" "$2 $3" "sync: clones and clone errors against production writes"
shadow_msg xf shadow_mode async
swap_back xsh

log "async, the shadow 10 times slower than the legs"
swap_table xsh linear "$(leg_dev xslow)" 0
# randwrite_iops: 4 KiB random writes, iodepth 16, 2 s
randwrite_iops() {
	local out
	out=$(fio --name=iops --filename=$dev --direct=1 --ioengine=libaio \
		--rw=randwrite --bs=4k --iodepth=16 --size=64m --time_based \
		--runtime=2 --ramp_time=1 --norandommap --output-format=terse) ||
		die "fio randwrite failed"
	fio_iops "$out" write | cut -d. -f1
}
# Three pairs, no shadow then async, side by side: the emulated CPUs are
# shared with the host, so one pair can be off; the best pair counts.
shadow_msg xf stats reset
best=0 pairs=""
for pair in 1 2 3; do
	shadow_msg xf shadow off
	off=$(randwrite_iops)
	shadow_msg xf shadow on
	on=$(randwrite_iops)
	pct=$((on * 100 / off))
	[ $pct -gt $best ] && best=$pct
	pairs="$pairs $off/$on"
done
shadow_drain xf
no_prod_errors "slow async shadow"
set -- $(shadow_fields xf write.prod_count write.shadow_count write.shadow_errors dropped \
	write.prod_p99_us write.shadow_p99_us)
assert_eq 0 "$3" "clone errors on the slow shadow"
[ "$2" -gt 0 ] || die "no clones reached the slow shadow"
[ "$6" -ge 1000 ] || die "shadow write p99 $6 us, but every shadow I/O takes 1 ms"
log "randwrite IOPS no shadow/async slow shadow:$pairs; best ratio $best%;" \
	"production p99 $5 us, shadow p99 $6 us; $2 of $1 writes cloned, $4 dropped"
echo "pairs=$pairs best_pct=$best" >"$(result_file faults-iops.txt)"
[ $best -gt 50 ] || die "async with a slow shadow: IOPS without/with the shadow:$pairs"
fio_verify_write $dev --size=16m || die "production fio verify failed with a slow shadow"
no_prod_errors "slow async shadow, verify"
swap_back xsh

log "gate: the shadow fails blocks 100..109"
make_pattern /tmp/old 30
make_pattern /tmp/new 30
shadow_msg xf shadow off
write_blocks $dev 90 /tmp/old
shadow_msg xf shadow on
fast=$(leg_dev xsh)
size=$(sectors_of "$fast")
printf '0 800 linear %s 0\n800 80 error\n880 %s linear %s 880\n' \
	"$fast" $((size - 880)) "$fast" | dmsetup load xsh || die "cannot load the partly failing table"
dmsetup resume xsh
shadow_msg xf shadow_mode gate
shadow_msg xf stats reset
failed=""
i=0
while [ $i -lt 30 ]; do
	if ! dd if=/tmp/new of=$dev bs=4k skip=$i seek=$((90 + i)) count=1 oflag=direct 2>/tmp/dd.err; then
		expect_in "$(cat /tmp/dd.err)" "Input/output error" "dd's error for a write the gate refused"
		failed="$failed $((90 + i))"
	fi
	i=$((i + 1))
done
assert_eq " 100 101 102 103 104 105 106 107 108 109" "$failed" "blocks whose writes failed"
assert_eq "10 30 10 30 10" \
	"$(shadow_fields xf gate_failures write.prod_count write.prod_errors write.shadow_count write.shadow_errors)" \
	"gate_failures, production writes and errors, shadow writes and errors"
assert_eq "20 20" "$(tandem_leg_counter xf 0 writes) $(tandem_leg_counter xf 1 writes)" \
	"writes that reached each leg"
for d in "$a" "$b"; do
	assert_eq "$(file_md5 /tmp/new 0 10)" "$(blocks_md5 "$d" 90 10)" "blocks 90..99 on $d"
	assert_eq "$(file_md5 /tmp/old 10 10)" "$(blocks_md5 "$d" 100 10)" "blocks 100..109 on $d (refused)"
	assert_eq "$(file_md5 /tmp/new 20 10)" "$(blocks_md5 "$d" 110 10)" "blocks 110..119 on $d"
done
assert_eq "$(file_md5 /tmp/new 0 10)" "$(blocks_md5 "$fast" 90 10)" "blocks 90..99 on the shadow"
assert_eq "AA" "$(tandem_field xf 3)" "leg states after refused writes"
log "ok: the gate refused exactly blocks 100..109"
shadow_stats xf >"$(result_file faults-gate-stats.txt)"
swap_back xsh
dmsetup remove xf
