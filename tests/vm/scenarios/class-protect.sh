# A critical job (4k random reads, iodepth 1) keeps its completion latency
# under a test-class flood (iodepth 64) when the scheduler is on: its p99
# with the flood over its p99 alone must be less than half what it is with
# the scheduler off. fio's own p99 completion latencies; the numbers go to
# /results/protect.txt.
#
# The legs model a device with a deep queue and little parallelism: 2 ms
# per I/O, 4 tags, and mq-deadline holding up to 256 requests, so without
# the scheduler the flood's bios wait at the leg ahead of the critical
# ones (with "none" the flooder would block in io_submit for a tag
# instead).  Both jobs are best-effort (be:0 and be:7): mq-deadline itself
# favours a higher priority class, which would hide what tandem does.
. /lab/tandem.sh
load_modules dm-tandem

a=$(make_null_leg p0 256 2000000 hw_queue_depth=4 submit_queues=1)
b=$(make_null_leg p1 256 2000000 hw_queue_depth=4 submit_queues=1)
for leg in p0 p1; do
	leg_queue $leg scheduler mq-deadline
	leg_queue $leg nr_requests 256
done
tandem_create prot 1024 "$a" "$b" -- \
	rule 2 critical ioprio=be:0 rule 2 test ioprio=be:7
msg() { dmsetup message prot 0 "$@"; }
out=$(result_file protect.txt)

# crit_p99 <label> [flood]: p99 completion latency (us) of the critical job,
# alone or beside the flood.
crit_p99() {
	_flood=""
	[ "${2:-}" = flood ] &&
		_flood="--name=flood --prioclass=2 --prio=7 --iodepth=64"
	msg stats reset
	# shellcheck disable=SC2086 # _flood is a list of options
	fio --filename=/dev/mapper/prot --direct=1 --ioengine=libaio --rw=randread \
		--bs=4k --size=256m --time_based --ramp_time=1 --runtime=4 \
		--output-format=terse \
		--name=crit --prioclass=2 --prio=0 --iodepth=1 $_flood >/tmp/protect.txt
	_line=$(grep '^3;[^;]*;crit;' /tmp/protect.txt) || die "no fio result for crit"
	_p99=$(fio_terse_pct "$_line" 99.000000)
	[ -n "$_p99" ] && [ "$_p99" -gt 0 ] || die "no p99 in: $_line"
	_iops=$(fio_terse_field "$_line" 8)
	_fl=""
	if [ -n "$_flood" ]; then
		_fl=$(grep '^3;[^;]*;flood;' /tmp/protect.txt) || die "no fio result for flood"
		_fl=" flood_iops=$(fio_terse_field "$_fl" 8)"
		[ "$(tandem_class_field prot test bios)" -gt 0 ] || die "the flood was not in class test"
	fi
	[ "$(tandem_class_field prot critical bios)" -gt 0 ] || die "the critical job was not in class critical"
	echo "$1 p99_us=$_p99 iops=$_iops$_fl class_p99_us=$(tandem_class_field prot critical p99_us)" >>"$out"
	log "$1: critical p99 ${_p99} us, $_iops IOPS$_fl"
	P99=$_p99
}

log "scheduler on (queue_depth 4)"
msg queue_depth 4
crit_p99 on-solo
on_solo=$P99
crit_p99 on-flood flood
on_flood=$P99

log "scheduler off"
msg queue_depth 0
crit_p99 off-solo
off_solo=$P99
crit_p99 off-flood flood
off_flood=$P99

# Ratios in hundredths.
on=$((on_flood * 100 / on_solo))
off=$((off_flood * 100 / off_solo))
echo "ratio_on=$on ratio_off=$off (hundredths)" >>"$out"
log "p99 flood/solo: scheduler on $on/100, off $off/100"
[ $((on * 2)) -lt "$off" ] ||
	die "the scheduler does not protect: p99 flood/solo $on/100 with it on, $off/100 off"
log "ok: the scheduler cuts the flood's effect on critical p99 from $off/100 to $on/100"
dmsetup remove prot
