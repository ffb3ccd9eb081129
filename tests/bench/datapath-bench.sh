# Data-path overhead, run in one boot on the same null_blk legs:
# raw leg, dm-linear, dm-mirror (core log) and tandem (2 legs), 4k random
# read and write at iodepth 1 and 32, repeated; fio JSON goes to /results.
. /lab/tandem.sh
load_modules dm-tandem dm-mirror null_blk

reps=${BENCH_REPS:-5}
runtime=${BENCH_RUNTIME:-4}
size_mb=1024
sectors=$((size_mb * 2048))

# Two fast null_blk legs without backing memory: pure data-path cost.
modprobe -r null_blk 2>/dev/null || true
modprobe null_blk nr_devices=2 gb=1 irqmode=0 queue_mode=2 submit_queues=2 \
	bs=4096 memory_backed=0
for q in nullb0 nullb1; do
	echo none >/sys/block/$q/queue/scheduler 2>/dev/null || true
done

make_dev() {
	case $1 in
	raw) echo /dev/nullb0 ;;
	linear)
		dmsetup create b_linear --table "0 $sectors linear /dev/nullb0 0"
		echo /dev/mapper/b_linear ;;
	mirror)
		dmsetup create b_mirror --table \
			"0 $sectors mirror core 2 1024 nosync 2 /dev/nullb0 0 /dev/nullb1 0 1 handle_errors"
		echo /dev/mapper/b_mirror ;;
	tandem)
		dmsetup create b_tandem --table \
			"0 $sectors tandem - 1024 2 /dev/nullb0 /dev/nullb1 4 nosync read_weights 50 50"
		echo /dev/mapper/b_tandem ;;
	esac
}

drop_dev() {
	[ "$1" = raw ] || dmsetup remove "b_$1"
}

# Each repetition starts at a different device, so no device always runs
# first (or last) in a round.
order() {
	_skip=$(($1 % 4))
	set -- raw linear mirror tandem
	shift $_skip
	echo "$@ raw linear mirror tandem" | cut -d' ' -f1-4
}

rep=1
while [ $rep -le $reps ]; do
	for dev in $(order $rep); do
		path=$(make_dev $dev)
		for rw in randread randwrite; do
			for qd in 1 32; do
				fio --name=bench --filename="$path" --direct=1 \
					--ioengine=libaio --bs=4k --rw=$rw --iodepth=$qd \
					--norandommap --randrepeat=1 --time_based \
					--runtime=$runtime --ramp_time=1 --size=${size_mb}m \
					--output-format=json \
					--output="$(result_file "bench-$dev-$rw-qd$qd-rep$rep.json")"
			done
		done
		drop_dev $dev
	done
	log "repetition $rep of $reps done"
	rep=$((rep + 1))
done
