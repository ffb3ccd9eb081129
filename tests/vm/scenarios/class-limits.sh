# A class's iops and bw limits hold a fio job in that class to within 10%
# of the limit, with the scheduler off (queue_depth 0) and on (beside an
# unlimited production job, which is not held back); the throttled
# counter grows only while a limit applies; lifting a limit (0) releases
# the bios already waiting for tokens at once, and a class with bios
# waiting is not removed.
. /lab/tandem.sh
load_modules dm-tandem

# Fast legs: only the limit holds the class back.
a=$(make_null_leg lm0 256)
b=$(make_null_leg lm1 256)
tandem_create lim 1024 "$a" "$b" -- rule 2 test ioprio=idle
msg() { dmsetup message lim 0 "$@"; }

# run_jobs <seconds> <job>...: fio, one job per word, all at once for that
# long after a 1 s ramp; job words: limited:<bs> (ioprio idle: class test)
# or free:<bs> (production, 2000 IO/s by fio's own limit: unbounded, it
# would starve the emulated CPUs). Terse lines in /tmp/limits.txt.
run_jobs() {
	_secs=$1
	shift
	_jobs=""
	for _j in "$@"; do
		case ${_j%%:*} in
		limited) _jobs="$_jobs --name=limited --prioclass=3" ;;
		free) _jobs="$_jobs --name=free --rate_iops=2000" ;;
		esac
		_jobs="$_jobs --bs=${_j#*:}"
	done
	# shellcheck disable=SC2086 # _jobs is a list of options
	fio --filename=/dev/mapper/lim --direct=1 --ioengine=libaio --rw=randread \
		--iodepth=8 --size=256m --time_based --ramp_time=1 --runtime="$_secs" \
		--output-format=terse $_jobs >/tmp/limits.txt
}

# job_rate <job> iops|kib: the job's read IOPS or KiB/s.
job_rate() {
	_line=$(grep "^3;[^;]*;$1;" /tmp/limits.txt) || die "no fio result for job $1"
	case $2 in
	iops) fio_terse_field "$_line" 8 ;;
	kib) fio_terse_field "$_line" 7 ;;
	esac
}

# check_limit <what> <job> iops|kib <limit>
check_limit() {
	assert_within "$(job_rate "$2" "$3")" "$4" $(($4 / 10)) "$1: $3/s of the limited job"
}

# check_free_job : the unlimited production job beside the limited one had
# no bio throttled (the counter); its rate only has to be well clear of the
# limit, whatever the host's load.
check_free_job() {
	_free=$(job_rate free iops)
	[ "$_free" -ge 900 ] || die "the unlimited job was held back too: $_free IOPS of 2000"
	assert_eq 0 "$(tandem_class_field lim production throttled)" "production bios throttled"
	log "ok: the unlimited job beside it: $_free IOPS"
}

for depth in 0 8; do
	msg queue_depth $depth
	assert_eq $depth "$(tandem_queue_depth lim)" "queue_depth"
	if [ $depth = 0 ]; then
		others=""
	else
		# With the scheduler on, an unlimited production job runs beside.
		others="free:4k"
	fi

	log "queue_depth $depth: iops limit 300"
	msg class test limit iops 300
	assert_eq "300 0" "$(tandem_class_fields lim iops_limit test) $(tandem_class_fields lim bw_limit test)" \
		"test's iops and bw limits"
	msg stats reset
	run_jobs 3 limited:4k $others
	check_limit "queue_depth $depth, iops 300" limited iops 300
	[ "$(tandem_class_field lim test throttled)" -gt 0 ] ||
		die "queue_depth $depth: no bio of the limited class was throttled"
	if [ -n "$others" ]; then
		check_free_job
	fi

	log "queue_depth $depth: bw limit 2048 KiB/s"
	msg class test limit iops 0 bw 2048
	assert_eq "0 2048" "$(tandem_class_fields lim iops_limit test) $(tandem_class_fields lim bw_limit test)" \
		"test's iops and bw limits"
	run_jobs 3 limited:16k $others
	check_limit "queue_depth $depth, bw 2048 KiB/s" limited kib 2048
	if [ -n "$others" ]; then
		check_free_job
	fi

	log "queue_depth $depth: no limit"
	msg class test limit bw 0
	msg stats reset
	run_jobs 2 limited:4k
	iops=$(job_rate limited iops)
	[ "$iops" -gt 900 ] || die "queue_depth $depth: still limited after lifting the limits: $iops IOPS"
	assert_eq 0 "$(tandem_class_field lim test throttled)" "bios throttled without a limit"
	log "ok: queue_depth $depth: no limit: $iops IOPS"
done

log "a class with bios waiting for tokens is not removed; lifting its limit releases them"
msg class add trickle
msg class trickle limit iops 2
msg rule clear
msg rule add trickle ioprio=idle
msg stats reset
fio --name=slow --filename=/dev/mapper/lim --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=16 --number_ios=300 --size=256m \
	--prioclass=3 --output-format=terse >/tmp/slow.txt &
slow=$!
waiting() { [ "$(tandem_class_field lim trickle queued)" -gt 8 ]; }
wait_until 20 waiting
sleep 1
done_before=$(tandem_class_field lim trickle bios)
[ "$done_before" -lt 60 ] || die "at 2 IO/s, $done_before bios already went"
# No rule names it any more, but its bios still wait.
msg rule clear
if dmsetup message lim 0 class remove trickle 2>/dev/null; then
	die "class trickle removed with $(tandem_class_field lim trickle queued) bios queued"
fi
dmesg | tail -n 3 | grep -qF "rejected: Class has bios queued" ||
	die "no 'Class has bios queued' in the kernel log"
expect_in "$(tandem_class_names lim)" trickle "classes after the refused removal"
log "ok: a class with bios queued is not removed"
msg class trickle limit iops 0
# 300 I/Os at 2 IO/s take 150 s; unlimited, well under a second.
drained() { [ "$(tandem_class_field lim trickle queued)" = 0 ]; }
wait_until 5 drained
wait $slow || die "fio failed"
log "ok: the limited job finished once the limit was lifted"
msg class remove trickle
assert_eq "critical production test" "$(tandem_class_names lim)" "classes after removing trickle"
dmsetup remove lim
