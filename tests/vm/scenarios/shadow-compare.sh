# Sampled reads are compared with the shadow's copy: a shadow created
# identical to the legs compares clean; blocks planted with other data on
# the shadow are counted exactly, one mismatch per production read that
# covers them, with the reads' start sectors (the first 8) in stats;
# production reads still return the legs' data; a confined test write
# shows up as a mismatch, a cloned rewrite heals it; shadow_sample thins
# the comparisons; stats reset zeroes every shadow figure.
. /lab/shadow.sh
load_modules dm-tandem

a=$(make_null_leg m0 128)
b=$(make_null_leg m1 128)
s=$(make_null_leg msh 128)
N=2048				# the compared range: blocks 0..2047, 8 MiB
make_pattern /tmp/data $N
for d in "$a" "$b" "$s"; do
	write_blocks "$d" 0 /tmp/data
done
tandem_create cm 1024 "$a" "$b" -- shadow "$s"
dev=/dev/mapper/cm
data=$(file_md5 /tmp/data)

# read_range <bs in blocks>: read the whole range, one bio per bs blocks
read_range() {
	dd if=$dev of=/dev/null bs=$(($1 * 4096)) count=$((N / $1)) iflag=direct 2>/dev/null ||
		die "reading $dev failed"
}

# expect_compare <what> <reads> <mismatches> <sectors>: after reading,
# every read compared, the mismatches and the sectors listed by stats.
expect_compare() {
	assert_eq "$2 $2 $2 0 0 $3" \
		"$(shadow_fields cm read.prod_count read.shadow_count compared dropped read.shadow_errors mismatches)" \
		"$1: production reads, shadow reads, compared, dropped, shadow errors, mismatches"
	assert_eq "$4" "$(shadow_mismatch_sectors cm)" "$1: mismatch sectors in stats"
	log "ok: $1: $2 reads compared, $3 mismatches${4:+ at sectors $4}"
}

log "identical shadow"
read_range 1
expect_compare "identical shadow, 4 KiB reads" $N 0 ""
shadow_msg cm stats reset
fio --name=r --filename=$dev --direct=1 --ioengine=libaio --rw=randread \
	--bs=4k --bsrange=4k-64k --iodepth=16 --size=$((N * 4096)) --io_size=1g --number_ios=2000 \
	--output-format=terse >/dev/null || die "fio randread failed"
# (a read crossing a region boundary is split: two bios, two compares)
set -- $(shadow_fields cm read.prod_count compared mismatches dropped)
[ "$1" -ge 2000 ] || die "fio's 2000 reads counted as $1"
assert_eq "$1 0 0" "$2 $3 $4" "identical shadow, fio: compared, mismatches, dropped"

log "five blocks differ on the shadow"
make_pattern /tmp/other 10
i=0
for blk in 10 37 100 511 2000; do
	dd if=/tmp/other of="$s" bs=4k skip=$i seek=$blk count=1 oflag=direct 2>/dev/null
	i=$((i + 1))
done
shadow_msg cm stats reset
read_range 1
expect_compare "4 KiB reads" $N 5 "80 296 800 4088 16000"
# Production reads come from the legs, whatever the shadow holds.
assert_eq "$data" "$(blocks_md5 $dev 0 $N)" "production data read through tandem"
shadow_msg cm stats reset
# 64 KiB reads: one mismatch per read covering a planted block, at the
# read's start (blocks 0, 32, 96, 496, 2000 start the reads).
read_range 16
expect_compare "64 KiB reads" $((N / 16)) 5 "0 256 768 3968 16000"

log "ten differing blocks: all counted, the first 8 listed"
i=5
for blk in 1500 1501 1750 1900 2047; do
	dd if=/tmp/other of="$s" bs=4k skip=$i seek=$blk count=1 oflag=direct 2>/dev/null
	i=$((i + 1))
done
shadow_msg cm stats reset
read_range 1
expect_compare "4 KiB reads, 10 planted" $N 10 "80 296 800 4088 12000 12008 14000 15200"
assert_eq "" "$(shadow_stats cm | grep '^shadow_mismatch_sectors' | tr -d '0-9,' | sed 's/^shadow_mismatch_sectors *//')" \
	"stats line format"

log "a confined test write is a mismatch; a cloned rewrite heals it"
shadow_msg cm rule add test ioprio=idle route=shadow
make_pattern /tmp/test 1
ionice -c3 dd if=/tmp/test of=$dev bs=4k seek=1234 count=1 oflag=direct 2>/dev/null ||
	die "confined test write failed"
assert_eq "$(file_md5 /tmp/test)" "$(blocks_md5 "$s" 1234 1)" "test write on the shadow"
shadow_msg cm rule clear
# production rewrites every planted block (and the test block) with the
# legs' data: sync mode, so the clones are in when the writes complete
shadow_msg cm shadow_mode sync
shadow_msg cm stats reset
dd if=$dev of=/dev/null bs=4k skip=1234 count=1 iflag=direct 2>/dev/null
assert_eq "1 9872" "$(shadow_field cm mismatches) $(shadow_mismatch_sectors cm)" \
	"mismatch for the block the test wrote"
for blk in 10 37 100 511 1234 1500 1501 1750 1900 2000 2047; do
	dd if=/tmp/data of=$dev bs=4k skip=$blk seek=$blk count=1 oflag=direct 2>/dev/null
done
assert_eq "$data" "$(blocks_md5 "$s" 0 $N)" "shadow after the rewrites"
shadow_msg cm stats reset
read_range 1
expect_compare "after the rewrites" $N 0 ""
shadow_msg cm shadow_mode async

log "shadow_sample 4 compares 1 read in 4"
dd if=/tmp/other of="$s" bs=4k seek=64 count=10 oflag=direct 2>/dev/null
shadow_msg cm shadow sample 4
shadow_msg cm stats reset
read_range 1
set -- $(shadow_fields cm read.prod_count read.shadow_count compared mismatches dropped)
assert_eq "$N $2 0" "$1 $3 $5" "reads, compared (every cloned read), dropped at sample 4"
assert_within "$2" $((N / 4)) 3 "reads cloned at sample 4"
[ "$4" -ge 1 ] && [ "$4" -le 4 ] || die "$4 mismatches among 1 in 4 reads over 10 differing blocks"
log "ok: $4 of the 10 differing blocks sampled"

log "stats reset zeroes the shadow figures"
shadow_msg cm stats reset
assert_eq "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" \
	"$(shadow_fields cm dropped gate_failures compared mismatches confined confined_errors \
		read.prod_count read.prod_errors read.prod_p99_us read.shadow_count read.shadow_errors read.shadow_p99_us \
		write.prod_count write.prod_errors write.prod_p99_us write.shadow_count write.shadow_errors write.shadow_p99_us \
		flush.prod_count flush.prod_errors flush.prod_p99_us flush.shadow_count flush.shadow_errors flush.shadow_p99_us \
		discard.prod_count discard.prod_errors discard.prod_p99_us discard.shadow_count discard.shadow_errors discard.shadow_p99_us \
		pool_used_kib)" "every shadow counter after stats reset"
assert_eq "" "$(shadow_mismatch_sectors cm)" "mismatch sectors after stats reset"
zeros=$(shadow_stats cm | grep -c '^shadow_op .* count 0 errors 0 p50_us 0 p99_us 0 lat_us 0\(,0\)*$')
assert_eq 8 "$zeros" "zeroed shadow_op lines in stats"
assert_eq "4 8192" "$(shadow_fields cm sample pool_kib)" "settings kept by stats reset"
dmsetup remove cm
