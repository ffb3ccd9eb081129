# The class scheduler, in one boot:
#
# (a) fast-path cost: 4k random reads at iodepth 32 on fast null_blk legs
#     through dm-linear, tandem with the scheduler off (no queue_depth, no
#     rules), tandem with queue_depth 4096 (never reached) and tandem with
#     queue_depth 4096 plus two rules every bio is checked against (a
#     cgroup and an ioprio match, neither matching); repeated, rotating
#     the order.
# (b) protection: a critical job (4k random reads, iodepth 1, ioprio be:0)
#     alone and beside a flood (4k random reads, iodepth 64), on legs that
#     take 2 ms per I/O with 4 tags and a 256-request elevator queue:
#       on     tandem queue_depth 4, flood in class test (be:7), mq-deadline
#       off    tandem queue_depth 0, same rules, mq-deadline
#       bfq    tandem queue_depth 0, BFQ on the legs, flood at ioprio idle
#     repeated, rotating the order.
# fio JSON goes to /results; tests/bench/report.py summarises it.
. /lab/tandem.sh
load_modules dm-tandem null_blk bfq

reps=${BENCH_REPS:-5}
runtime=${BENCH_RUNTIME:-4}

modprobe -r null_blk 2>/dev/null || true
modprobe null_blk nr_devices=0
# mknull <name> <MiB> <completion ns|0> <hw_queue_depth>: a blk-mq null_blk
# (queue_mode 2: it can take an I/O scheduler), no backing memory.
mknull() {
	d=/sys/kernel/config/nullb/$1
	mkdir "$d"
	echo "$2" >"$d/size"
	echo 2 >"$d/queue_mode"
	echo 4096 >"$d/blocksize"
	echo 0 >"$d/memory_backed"
	if [ "$3" = 0 ]; then
		echo 0 >"$d/irqmode"
		echo 2 >"$d/submit_queues"
	else
		echo 2 >"$d/irqmode"
		echo "$3" >"$d/completion_nsec"
		echo 1 >"$d/submit_queues"
	fi
	echo "$4" >"$d/hw_queue_depth"
	echo 1 >"$d/power"
	[ -b "/dev/$1" ] || die "null_blk $1 did not appear"
}
# queue <dev> <scheduler> [nr_requests]
queue() {
	echo "$2" >"/sys/block/$1/queue/scheduler" || die "no scheduler $2 for $1"
	[ -z "${3:-}" ] || echo "$3" >"/sys/block/$1/queue/nr_requests" ||
		die "cannot set nr_requests of $1 to $3"
}

# ---- (a) fast path -------------------------------------------------------
mknull fast0 1024 0 64
mknull fast1 1024 0 64
queue fast0 none
queue fast1 none
sectors=$((1024 * 2048))
cgroup_make bench-other
other=$(cgroup_id bench-other)
legs="/dev/fast0 /dev/fast1"

make_dev() {
	case $1 in
	linear) dmsetup create b --table "0 $sectors linear /dev/fast0 0" ;;
	tandem-off) dmsetup create b --table "0 $sectors tandem - 1024 2 $legs 1 nosync" ;;
	tandem-qd) dmsetup create b --table "0 $sectors tandem - 1024 2 $legs 3 nosync queue_depth 4096" ;;
	tandem-on)
		dmsetup create b --table "0 $sectors tandem - 1024 2 $legs 11 nosync queue_depth 4096 rule 2 critical cgroup=$other rule 2 test ioprio=idle" ;;
	esac
}

fast_devs="linear tandem-off tandem-qd tandem-on"
# rotate <n> <word>...: the words, starting at the (n mod count)-th.
rotate() {
	_n=$1
	shift
	_skip=$((_n % $#))
	_all="$*"
	shift $_skip
	echo "$* $_all" | cut -d' ' -f1-$(echo "$_all" | wc -w)
}

rep=1
while [ $rep -le "$reps" ]; do
	for dev in $(rotate $rep $fast_devs); do
		make_dev $dev
		fio --name=bench --filename=/dev/mapper/b --direct=1 --ioengine=libaio \
			--bs=4k --rw=randread --iodepth=32 --norandommap --randrepeat=1 \
			--time_based --runtime="$runtime" --ramp_time=1 --size=1024m \
			--output-format=json --output="$(result_file "fastpath-$dev-rep$rep.json")"
		if [ $dev = tandem-on ]; then
			# Every bio went the fast path: nothing ever waited.
			assert_eq 0 "$(tandem_class_field b production waited)" "bios that waited with queue_depth 4096"
		fi
		dmsetup remove b
	done
	log "fast path: repetition $rep of $reps done"
	rep=$((rep + 1))
done
for q in fast0 fast1; do
	echo 0 >/sys/kernel/config/nullb/$q/power
	rmdir /sys/kernel/config/nullb/$q
done

# ---- (b) protection --------------------------------------------------------
mknull slow0 1024 2000000 4
mknull slow1 1024 2000000 4
dmsetup create p --table "0 $sectors tandem - 1024 2 /dev/slow0 /dev/slow1 9 nosync rule 2 critical ioprio=be:0 rule 2 test ioprio=be:7"

# setup <config>: the legs' scheduler, tandem's queue_depth, and the
# flood's fio options in FLOOD.
setup() {
	case $1 in
	on | off)
		queue slow0 mq-deadline 256
		queue slow1 mq-deadline 256
		FLOOD="--prioclass=2 --prio=7" ;;
	bfq)
		queue slow0 bfq 256
		queue slow1 bfq 256
		FLOOD="--prioclass=3" ;;
	esac
	case $1 in
	on) dmsetup message p 0 queue_depth 4 ;;
	*) dmsetup message p 0 queue_depth 0 ;;
	esac
}

# run_protect <config> solo|flood <rep>
run_protect() {
	_flood=""
	[ "$2" = flood ] && _flood="--name=flood $FLOOD --iodepth=64"
	# shellcheck disable=SC2086 # _flood is a list of options
	fio --filename=/dev/mapper/p --direct=1 --ioengine=libaio --rw=randread \
		--bs=4k --size=1024m --norandommap --time_based --ramp_time=1 \
		--runtime="$runtime" --lat_percentiles=1 --output-format=json \
		--output="$(result_file "protect-$1-$2-rep$3.json")" \
		--name=crit --prioclass=2 --prio=0 --iodepth=1 $_flood
}

rep=1
while [ $rep -le "$reps" ]; do
	for cfg in $(rotate $rep on off bfq); do
		setup $cfg
		dmsetup message p 0 stats reset
		run_protect $cfg solo $rep
		run_protect $cfg flood $rep
		if [ $cfg = on ]; then
			[ "$(tandem_class_field p test bios)" -gt 0 ] || die "the flood was not in class test"
		fi
	done
	log "protection: repetition $rep of $reps done"
	rep=$((rep + 1))
done
dmsetup remove p
uname -r >"$(result_file kernel.txt)"
