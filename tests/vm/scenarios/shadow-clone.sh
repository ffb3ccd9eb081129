# Production bios are cloned to the shadow: async and sync writes land on
# it with the legs' content (sync ones before the write completes); flushes
# and discards are cloned and counted on both sides; shadow_sample N clones
# 1 in N; shadow off stops cloning and shadow on restores the rate; the
# table keeps the shadow features through a reload; and a non-persistent
# dm-snapshot of leg 0 works as the shadow: cloned writes land in its COW
# store and stay there when production moves on. Once detached, shadow
# messages are refused.
. /lab/shadow.sh
load_modules dm-tandem dm-snapshot

# Loop legs: a volatile write cache (fsync sends a flush down) and discard.
a=$(make_loop_leg c0 128)
b=$(make_loop_leg c1 128)
s=$(make_loop_leg csh 128)
tandem_create cl 1024 "$a" "$b" -- shadow "$s"
dev=/dev/mapper/cl

assert_eq "$(majmin "$s") async 1 8192 0" \
	"$(shadow_fields cl dev mode sample pool_kib pool_used_kib)" \
	"shadow dev, mode, sample, pool at creation"

# fio_write <dev> <first block> <blocks> [fio args]: random writes of
# 4-64 KiB, fresh data in every buffer, over the range.
fio_write() {
	local d=$1 first=$2 n=$3
	shift 3
	fio --name=w --filename="$d" --direct=1 --ioengine=libaio --rw=randwrite \
		--bs=4k --bsrange=4k-64k --iodepth=16 --offset=$((first * 4096)) \
		--size=$((n * 4096)) --refill_buffers --randrepeat=0 \
		--output-format=terse "$@" >/dev/null || die "fio write on $d failed"
}

# fio_count <dev> <rw> <ios>: that many 4 KiB I/Os in the first 32 MiB.
fio_count() {
	fio --name=n --filename="$1" --direct=1 --ioengine=libaio --rw="$2" \
		--bs=4k --iodepth=16 --size=32m --number_ios="$3" --refill_buffers \
		--output-format=terse >/dev/null || die "fio $2 on $1 failed"
}

# same_counts <op>: production and shadow saw the same bios, without errors.
same_counts() {
	set -- "$1" $(shadow_fields cl "$1.prod_count" "$1.shadow_count" \
		"$1.prod_errors" "$1.shadow_errors" dropped)
	[ "$2" -gt 0 ] || die "no $1 bios counted on the production side"
	assert_eq "$2 0 0 0" "$3 $4 $5 $6" "$1: shadow count, errors, dropped (production count $2)"
	log "ok: $1: $2 bios on both sides"
}

log "async: writes land on the shadow once they drain"
fio_write $dev 0 2048
shadow_drain cl
same_counts write
assert_blocks_match "$s" 0 2048 "async: shadow and legs" "$a" "$b"
assert_eq 0 "$(shadow_field cl pool_used_kib)" "pool in use after the drain"

log "sync: writes are on the shadow when they complete"
shadow_msg cl shadow_mode sync
assert_eq sync "$(shadow_field cl mode)" "mode after shadow_mode sync"
shadow_msg cl stats reset
fio_write $dev 8192 2048
# no drain: a sync write completed after its clone did
same_counts write
assert_blocks_match "$s" 8192 2048 "sync: shadow and legs" "$a" "$b"

log "flush and discard are cloned"
shadow_msg cl stats reset
# three writes then one empty flush (dd's fsync)
dd if=/dev/urandom of=$dev bs=4k seek=300 count=3 oflag=direct conv=fsync 2>/dev/null
assert_eq "3 3 1 1" "$(shadow_fields cl write.prod_count write.shadow_count flush.prod_count flush.shadow_count)" \
	"writes and flushes, production and shadow, after dd conv=fsync"
make_pattern /tmp/p16 16
write_blocks $dev 512 /tmp/p16
shadow_msg cl stats reset
blkdiscard -o $((512 * 4096)) -l 65536 $dev
assert_eq "1 1 0 0" "$(shadow_fields cl discard.prod_count discard.shadow_count discard.prod_errors discard.shadow_errors)" \
	"one discard: production and shadow counts, errors"
zero16=$(dd if=/dev/zero bs=4k count=16 2>/dev/null | md5sum | cut -d' ' -f1)
for d in "$a" "$b" "$s"; do
	assert_eq "$zero16" "$(blocks_md5 "$d" 512 16)" "discarded blocks on $d"
done
assert_eq "0 0" "$(shadow_fields cl read.prod_count read.shadow_count)" \
	"reads counted while only writing"
shadow_stats cl >"$(result_file clone-stats.txt)"
grep -q '^shadow_op discard side shadow count 1 errors 0 ' "$(result_file clone-stats.txt)" ||
	die "stats lack the shadow discard: $(cat "$(result_file clone-stats.txt)")"

log "shadow_sample 10 clones 1 in 10"
shadow_msg cl shadow_mode async
shadow_msg cl shadow sample 10
assert_eq "async 10" "$(shadow_fields cl mode sample)" "mode and sample"
shadow_msg cl stats reset
fio_count $dev randwrite 3000
fio_count $dev randread 2000
shadow_drain cl
set -- $(shadow_fields cl write.prod_count write.shadow_count read.prod_count read.shadow_count compared dropped)
assert_eq "3000 2000 0" "$1 $3 $6" "production writes, reads and dropped at sample 10"
# Each CPU clones every 10th of its own bios: off by at most one per CPU.
assert_within "$2" 300 5 "writes cloned at sample 10"
assert_within "$4" 200 5 "reads cloned at sample 10"
assert_eq "$4" "$5" "reads compared (every cloned read)"

log "shadow off stops cloning, shadow on resumes at the last rate"
shadow_msg cl shadow off
assert_eq 0 "$(shadow_field cl sample)" "sample after shadow off"
shadow_msg cl stats reset
fio_count $dev randwrite 500
shadow_drain cl
assert_eq "500 0" "$(shadow_fields cl write.prod_count write.shadow_count)" \
	"production and shadow writes with the shadow off"
shadow_msg cl shadow on
assert_eq 10 "$(shadow_field cl sample)" "sample after shadow on"
shadow_msg cl shadow sample 1

log "table round trip keeps the shadow features"
case $(dmsetup table cl) in
*" 3 nosync shadow $(majmin "$s")") ;;
*) die "table with default shadow settings: $(dmsetup table cl)" ;;
esac
shadow_msg cl shadow_mode sync
shadow_msg cl shadow sample 5
shadow_msg cl shadow pool 4096
table=$(dmsetup table cl)
case $table in
*" 9 nosync shadow $(majmin "$s") shadow_mode sync shadow_sample 5 shadow_pool 4096") ;;
*) die "table after shadow messages: $table" ;;
esac
dmsetup table cl | dmsetup load cl || die "printed table does not load: $table"
dmsetup suspend cl
dmsetup resume cl
assert_eq "$table" "$(dmsetup table cl)" "table after load, suspend, resume"
assert_eq "$(majmin "$s") sync 5 4096 0 0" \
	"$(shadow_fields cl dev mode sample pool_kib write.prod_count write.shadow_count)" \
	"shadow settings and fresh counters of the reloaded table"
fio_count $dev randwrite 1000
assert_within "$(shadow_op cl write shadow_count)" 200 3 "writes cloned at sample 5 after the reload"
log "ok: $table"
dmsetup remove cl

log "a dm-snapshot of leg 0 as the shadow"
r0=$(make_loop_leg r0 64)
r1=$(make_loop_leg r1 64)
cow=$(make_loop_leg rcow 16)
dmsetup create real --table "0 131072 tandem - 1024 2 $r0 $r1 1 nosync"
real=/dev/mapper/real
make_pattern /tmp/base 1536
write_blocks $real 0 /tmp/base
dmsetup create rshadow --table "0 131072 snapshot $r0 $cow N 8" ||
	die "cannot create the snapshot"
shadow_attach real /dev/mapper/rshadow
assert_eq "$(majmin /dev/mapper/rshadow) async" "$(shadow_fields real dev mode)" \
	"shadow of the reloaded table"
assert_eq "$(file_md5 /tmp/base)" "$(blocks_md5 /dev/mapper/rshadow 0 1536)" \
	"the fresh snapshot reads production's data"

# Production rewrites blocks 0..1023 (4 MiB, 4 KiB writes, each block once).
fio --name=prod --filename=$real --direct=1 --ioengine=libaio --rw=randwrite \
	--bs=4k --iodepth=16 --size=4m --refill_buffers --randrepeat=0 \
	--output-format=terse >/dev/null || die "production fio failed"
shadow_drain real
set -- $(shadow_fields real write.prod_count write.shadow_count write.shadow_errors dropped)
assert_eq "1024 1024 0 0" "$*" "production writes, clones, clone errors, dropped"
used=$(dmsetup status rshadow | awk '{ split($4, u, "/"); print u[1] }')
[ "$used" -ge 8192 ] || die "the snapshot's COW store holds $used sectors, expected the 8192 cloned"
log "ok: COW store holds $used sectors"
cloned=$(blocks_md5 $r0 0 1024)
assert_ne "$(file_md5 /tmp/base 0 1024)" "$cloned" "leg 0 after production rewrote it"
assert_blocks_match /dev/mapper/rshadow 0 1536 "snapshot, leg 0 and tandem" $r0 $real

# Production moves on with the shadow off: the snapshot keeps the blocks
# it was written (they are in its COW store) and follows production
# everywhere else (an overlay over the live leg).
shadow_msg real shadow off
fio --name=prod2 --filename=$real --direct=1 --ioengine=libaio --rw=randwrite \
	--bs=4k --iodepth=16 --size=4m --refill_buffers --randrepeat=0 \
	--output-format=terse >/dev/null || die "second production fio failed"
make_pattern /tmp/p512 512
write_blocks $real 1024 /tmp/p512
assert_ne "$cloned" "$(blocks_md5 $r0 0 1024)" "leg 0 after the second rewrite"
assert_eq "$cloned" "$(blocks_md5 /dev/mapper/rshadow 0 1024)" \
	"snapshot blocks the shadow was written, after production rewrote them"
assert_eq "$(file_md5 /tmp/p512)" "$(blocks_md5 /dev/mapper/rshadow 1024 512)" \
	"snapshot blocks the shadow never wrote follow production"
case $(dmsetup status rshadow) in
*Invalid*) die "snapshot invalid: $(dmsetup status rshadow)" ;;
esac
shadow_detach real
assert_eq - "$(shadow_field real dev)" "shadow after detaching"
# Without a shadow device every shadow message is refused.
for m in "shadow on" "shadow sample 2" "shadow_mode sync"; do
	# shellcheck disable=SC2086
	dmsetup message real 0 $m 2>/dev/null && die "'$m' accepted without a shadow"
done
dmesg | grep -q "message 'shadow_mode' rejected: No shadow device" ||
	die "no log line for a shadow message without a shadow: $(dmesg | grep rejected | tail -n 1)"
dmsetup remove rshadow
dmsetup remove real
