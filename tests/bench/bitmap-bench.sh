# Write overhead of keeping a persistent write-intent bitmap, in one boot
# on the same null_blk legs: tandem with "-" metadata, tandem with a
# metadata device at several region sizes, md raid1 with an internal
# bitmap, dm-mirror with a disk log; 4k random writes at iodepth 1 and 32,
# repeated.  Then the resync after a 1% outage against a full resync.
. /lab/tandem.sh
load_modules dm-tandem dm-mirror raid1 null_blk

reps=${BENCH_REPS:-5}
runtime=${BENCH_RUNTIME:-4}
sectors=$((512 * 2048))		# 512 MiB

# Legs and log/metadata: null_blk devices, memory backed because md reads
# its superblock back (the same for every contender).
modprobe -r null_blk 2>/dev/null || true
modprobe null_blk nr_devices=0
mknull() {
	d=/sys/kernel/config/nullb/$1
	mkdir "$d"
	echo 512 >"$d/size"
	echo 2 >"$d/queue_mode"
	echo 0 >"$d/irqmode"
	echo "$2" >"$d/memory_backed"
	echo 1 >"$d/power"
}
mknull leg0 1
mknull leg1 1
mknull meta 1
l0=/dev/leg0 l1=/dev/leg1 meta=/dev/meta
for q in leg0 leg1 meta; do
	echo none >/sys/block/$q/queue/scheduler 2>/dev/null || true
done

# Touch every page once, so no contender pays null_blk's first allocation.
for dev in $l0 $l1 $meta; do
	dd if=/dev/zero of=$dev bs=1M count=512 oflag=direct 2>/dev/null
done

clear_meta() {
	dd if=/dev/zero of=$meta bs=1M count=16 oflag=direct 2>/dev/null
}

# make_dev <kind>: create the device, print its path
make_dev() {
	case $1 in
	tandem-nometa)
		dmsetup create b --table "0 $sectors tandem - 1024 2 $l0 $l1 1 nosync"
		echo /dev/mapper/b ;;
	tandem-bitmap-*)
		clear_meta
		dmsetup create b --table "0 $sectors tandem $meta ${1#tandem-bitmap-} 2 $l0 $l1 1 nosync"
		echo /dev/mapper/b ;;
	md-bitmap)
		mdadm --create /dev/md0 --run --quiet --level=1 --raid-devices=2 \
			--assume-clean --bitmap=internal --bitmap-chunk=512K \
			--metadata=1.2 $l0 $l1 >/dev/null 2>&1 || mdadm_failed=1
		echo /dev/md0 ;;
	mirror-disklog)
		clear_meta
		dmsetup create b --table \
			"0 $sectors mirror disk 2 $meta 1024 2 $l0 0 $l1 0 1 handle_errors"
		echo /dev/mapper/b ;;
	esac
}

drop_dev() {
	case $1 in
	md-bitmap)
		mdadm --stop /dev/md0 >/dev/null 2>&1
		mdadm --zero-superblock $l0 $l1 >/dev/null 2>&1 || true ;;
	*) dmsetup remove b ;;
	esac
}

kinds="tandem-nometa tandem-bitmap-128 tandem-bitmap-1024 tandem-bitmap-16384 tandem-bitmap-131072 md-bitmap mirror-disklog"
# Each repetition starts at a different contender.
order() {
	_skip=$(($1 % 7))
	# shellcheck disable=SC2086
	set -- $kinds
	shift $_skip
	echo "$@ $kinds" | cut -d' ' -f1-7
}

rep=1
while [ $rep -le $reps ]; do
	for kind in $(order $rep); do
		path=$(make_dev $kind)
		[ -b "$path" ] || die "$kind: $path was not created"
		for qd in 1 32; do
			fio --name=bench --filename="$path" --direct=1 --ioengine=libaio \
				--bs=4k --rw=randwrite --iodepth=$qd --norandommap \
				--randrepeat=1 --time_based --runtime=$runtime --ramp_time=1 \
				--size=512m --output-format=json \
				--output="$(result_file "bench-$kind-randwrite-qd$qd-rep$rep.json")"
		done
		drop_dev $kind
	done
	log "repetition $rep of $reps done"
	rep=$((rep + 1))
done

# Resync after a 1% outage, against a full resync, on 256 MiB loop legs.
d0=$(make_loop_leg r0 256)
d1=$(make_loop_leg r1 256)
rs=524288
dmsetup create rs --table "0 $rs tandem - 1024 2 $d0 $d1 1 nosync"
regions=$(tandem_nr_regions rs)
dmsetup message rs 0 fail_leg 1
outage=$((regions / 100))
i=0
while [ $i -lt $outage ]; do
	dd if=/dev/urandom of=/dev/mapper/rs bs=4k count=1 seek=$((i * 100 * 128)) \
		oflag=direct conv=notrunc 2>/dev/null
	i=$((i + 1))
done
# Centiseconds since boot (busybox date has no %N).
now_cs() {
	cut -d' ' -f1 /proc/uptime | tr -d .
}
t0=$(now_cs)
dmsetup message rs 0 reinstate_leg 1
tandem_wait_idle rs 600
t1=$(now_cs)
partial_kib=$(tandem_sync_field rs kib_copied)
dmsetup remove rs
dmsetup create rs --table "0 $rs tandem - 1024 2 $d0 $d1 0"
t2=$(now_cs)
tandem_wait_idle rs 600
t3=$(now_cs)
full_kib=$(tandem_sync_field rs kib_copied)
dmsetup remove rs
echo "outage_regions=$outage regions=$regions partial_kib=$partial_kib full_kib=$full_kib partial_cs=$((t1 - t0)) full_cs=$((t3 - t2))" \
	>"$(result_file resync-outage.txt)"
cat "$(result_file resync-outage.txt)"
