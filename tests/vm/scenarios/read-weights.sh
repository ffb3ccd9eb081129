# Reads are shared between legs by the read weights, within +-5% of the
# reads issued, for the table's weights, after a weights message, and for
# three legs; writes still reach every leg.
. /lab/tandem.sh
load_modules dm-tandem

n0=$(make_null_leg w0 256)
n1=$(make_null_leg w1 256)
n2=$(make_null_leg w2 256)

# run_reads <dev> <count>: that many 4k direct random reads
run_reads() {
	fio --name=reads --filename=/dev/mapper/$1 --direct=1 --ioengine=libaio \
		--rw=randread --bs=4k --iodepth=8 --number_ios=$2 \
		--size=$((TANDEM_SECTORS * 512)) --output-format=terse >/dev/null
}

# check_shares <dev> <issued> <w>...: each leg's reads within 5% of the
# reads the legs saw in all, which must be at least the reads issued.
check_shares() {
	dev=$1 issued=$2
	shift 2
	n=$(tandem_nr_legs $dev)
	total=0
	leg=0
	while [ $leg -lt $n ]; do
		total=$((total + $(tandem_leg_counter $dev $leg reads)))
		leg=$((leg + 1))
	done
	[ $total -ge $issued ] || die "$dev: legs saw $total reads, $issued issued"
	leg=0
	for w in "$@"; do
		reads=$(tandem_leg_counter $dev $leg reads)
		assert_within "$reads" $((total * w / 100)) $((total * 5 / 100)) \
			"$dev leg $leg reads at weight $w"
		leg=$((leg + 1))
	done
}

tandem_create steer 1024 $n0 $n1 -- read_weights 70 30
assert_eq 70 "$(tandem_weight steer 0)" "weight of leg 0 from the table"
run_reads steer 4000
check_shares steer 4000 70 30

dmsetup message steer 0 weights 20 80
dmsetup message steer 0 stats reset
assert_eq 0 "$(tandem_leg_counter steer 0 reads)" "reads after stats reset"
run_reads steer 4000
check_shares steer 4000 20 80

# Default weights: every read from the source.
dmsetup message steer 0 weights 100 0
dmsetup message steer 0 stats reset
run_reads steer 1000
check_shares steer 1000 100 0
dmsetup remove steer

tandem_create steer3 1024 $n0 $n1 $n2 -- read_weights 50 30 20
run_reads steer3 5000
check_shares steer3 5000 50 30 20
# A failed leg's share goes to the others in proportion to their weights.
dmsetup message steer3 0 fail_leg 0
dmsetup message steer3 0 stats reset
run_reads steer3 5000
check_shares steer3 5000 0 60 40
dmsetup remove steer3
