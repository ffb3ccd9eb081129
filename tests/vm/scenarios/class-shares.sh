# Under saturation the classes share the dispatched bios by weight, within
# 10% of each share: 300/100, then 500/300/200; a weight-1 class still
# completes I/O beside a weight-1000 one; a weight-0 class completes
# nothing while a weighted class has bios waiting, and runs once it stops.
# The legs are the bottleneck, not the emulated CPU: null_blk taking 2 ms
# per I/O, queue_depth 4, and each class fed by two fio processes with 32
# or more bios each.  A class must not run dry while one process waits
# for a CPU (on a loaded host that can last 100 ms): the others would be
# served in its place, as they should, and the shares would be off.
. /lab/tandem.sh
load_modules dm-tandem

a=$(make_null_leg s0 256 2000000 hw_queue_depth=8 submit_queues=1)
b=$(make_null_leg s1 256 2000000 hw_queue_depth=8 submit_queues=1)
tandem_create sh 1024 "$a" "$b" -- queue_depth 4
msg() { dmsetup message sh 0 "$@"; }

# One class per I/O priority level, so each fio job feeds one class.
msg class add gold
msg class add silver
msg class add bronze
msg rule add gold ioprio=be:0
msg rule add silver ioprio=be:1
msg rule add bronze ioprio=be:2
prio_of() {
	case $1 in
	gold) echo 0 ;; silver) echo 1 ;; bronze) echo 2 ;;
	esac
}

# start_jobs <class>[:<runtime>[:<iodepth>]]...: in the background, two fio
# processes of 4k random reads per class (default: 30 s at iodepth 32).
start_jobs() {
	_jobs=""
	for _j in "$@"; do
		IFS=: read -r _c _rt _qd <<EOF
$_j
EOF
		_jobs="$_jobs --name=$_c --prio=$(prio_of "$_c") --runtime=${_rt:-30} --iodepth=${_qd:-32}"
	done
	# "command": $! must be fio itself, not a shell running lib.sh's fio().
	# shellcheck disable=SC2086 # _jobs is a list of options
	command fio --eta=never --filename=/dev/mapper/sh --direct=1 --ioengine=libaio --rw=randread \
		--bs=4k --size=256m --time_based --prioclass=2 --numjobs=2 \
		--output-format=terse $_jobs >/tmp/fio-shares.txt 2>&1 &
	FIO=$!
}

stop_jobs() {
	kill "$FIO" 2>/dev/null || true
	wait "$FIO" || true
	wait_until 10 idle
}

idle() {
	[ "$(tandem_in_flight sh)" = 0 ] &&
		[ "$(tandem_class_fields sh queued gold silver bronze)" = "0 0 0" ]
}

# all_queued <class>...: every class has bios waiting.
all_queued() {
	for _q in $(tandem_class_fields sh queued "$@"); do
		[ "$_q" -gt 0 ] || return 1
	done
}

# measure <seconds> <class>...: once every class is backlogged, the bios
# each class got in a window of that many seconds, in COUNTS; the classes
# must still be backlogged at its end.
measure() {
	_secs=$1
	shift
	wait_until 30 all_queued "$@"
	msg stats reset
	sleep "$_secs"
	COUNTS=$(tandem_class_fields sh bios "$@")
	all_queued "$@" || die "a class ran dry in the window: queued $(tandem_class_fields sh queued "$@")"
	log "bios in ${_secs}s of $*: $COUNTS"
}

# check_shares <class>...: COUNTS (same order) against the weights.
check_shares() {
	_total=0
	for _n in $COUNTS; do _total=$((_total + _n)); done
	_wsum=0
	for _w in $(tandem_class_fields sh weight "$@"); do _wsum=$((_wsum + _w)); done
	[ "$_total" -ge 1000 ] || die "only $_total bios dispatched in the window"
	_i=1
	for _c in "$@"; do
		_n=$(echo "$COUNTS" | cut -d' ' -f$_i)
		_w=$(tandem_class_field sh "$_c" weight)
		_exp=$((_total * _w / _wsum))
		assert_within "$_n" "$_exp" $((_exp / 10)) \
			"$_c at weight $_w: bios of $_total (share $((_n * 1000 / _total))/1000)"
		_i=$((_i + 1))
	done
}

log "two classes, weights 300 and 100"
msg class gold weight 300
msg class silver weight 100
start_jobs gold silver
measure 4 gold silver
check_shares gold silver
[ "$(tandem_class_field sh gold waited)" -gt 0 ] || die "no gold bio waited in the queue"
assert_eq 4 "$(tandem_queue_depth sh)" "queue_depth"
stop_jobs

log "three classes, weights 500, 300 and 200"
msg class gold weight 500
msg class silver weight 300
msg class bronze weight 200
start_jobs gold silver bronze
measure 4 gold silver bronze
check_shares gold silver bronze
stop_jobs

log "weight 1 beside weight 1000"
msg class gold weight 1000
msg class silver weight 1
start_jobs gold:30:128 silver
measure 5 gold silver
set -- $COUNTS
[ "$2" -ge 1 ] || die "the weight-1 class completed nothing in 5 s (weight 1000: $1)"
# Its share is 0.1%; a loaded host can stall gold's submitters for a
# moment, and the weight-1 class then takes the idle slots (work
# conserving), so the bound is 2%, still 20 times its share.
[ "$2" -le $((($1 + $2) / 50)) ] ||
	die "the weight-1 class got $2 of $(($1 + $2)) bios: more than 2% (its share is 0.1%)"
log "ok: weight 1 got $2 bios, weight 1000 got $1"
stop_jobs

log "weight 0 runs only when no weighted class waits"
msg class gold weight 100
msg class bronze weight 0
start_jobs gold:10:128 bronze
measure 3 gold bronze
set -- $COUNTS
assert_eq 0 "$2" "bios of the weight-0 class while gold is backlogged (gold: $1)"
assert_eq 64 "$(tandem_class_field sh bronze queued)" "weight-0 bios waiting (its two processes' iodepth)"
log "ok: weight 0 got nothing beside $1 gold bios"
# gold's job ends after 10 s: bronze goes on alone.
bronze_ran() { [ "$(tandem_class_field sh bronze bios)" -ge 200 ]; }
wait_until 20 bronze_ran
assert_eq 0 "$(tandem_class_field sh gold queued)" "gold bios waiting after its job ended"
log "ok: the weight-0 class runs once gold stops: $(tandem_class_field sh bronze bios) bios"
stop_jobs
dmsetup remove sh
