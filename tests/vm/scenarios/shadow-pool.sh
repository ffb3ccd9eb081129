# The async pool bounds the payload copies: with a 64 KiB pool and a slow
# shadow, a write flood drops clones (every sampled bio is either cloned
# or dropped) while production writes and verifies without an error, and
# the pool empties afterwards. With the shadow stalled (its dm device
# suspended), production writes still complete, exactly a pool's worth of
# clones wait and the rest are dropped; a suspend of the tandem device
# waits for those clones and completes once the shadow lets them through.
# shadow pool resizes the pool, down to 0 (every clone dropped).
. /lab/shadow.sh
load_modules dm-tandem

a=$(make_null_leg p0 128)
b=$(make_null_leg p1 128)
s=$(make_null_leg psh 128 2000000)	# 2 ms per I/O
tandem_create pl 1024 "$a" "$b" -- shadow "$s" shadow_pool 64
dev=/dev/mapper/pl
assert_eq "64 0" "$(shadow_fields pl pool_kib pool_used_kib)" "pool size and use at creation"
case $(dmsetup table pl) in
*" 5 nosync shadow $(majmin "$s") shadow_pool 64") ;;
*) die "table with a 64 KiB pool: $(dmsetup table pl)" ;;
esac

log "write flood on a slow shadow through a 64 KiB pool"
( fio_verify_write $dev --size=32m; echo $? >/tmp/flood.rc ) &
flood=$!
max=0
while [ ! -e /tmp/flood.rc ]; do
	used=$(shadow_field pl pool_used_kib)
	[ "$used" -gt $max ] && max=$used
	sleep 0.5
done
wait $flood
assert_eq 0 "$(cat /tmp/flood.rc)" "exit status of production fio verify with a full pool"
# A bio takes its pages before checking the budget and gives them back
# if over it, so the figure may briefly count one bio (64 KiB) too many.
[ $max -le 128 ] || die "pool_used_kib reached $max with a 64 KiB pool"
log "ok: production verified; pool use seen up to $max KiB"
wait_until 30 [ "$(shadow_field pl pool_used_kib)" = 0 ]
shadow_drain pl
set -- $(shadow_fields pl read.prod_count write.prod_count read.shadow_count write.shadow_count \
	dropped read.prod_errors write.prod_errors read.shadow_errors write.shadow_errors pool_used_kib)
[ "$5" -gt 0 ] || die "no clone dropped: $*"
[ "$4" -gt 0 ] || die "no write cloned: $*"
assert_eq "0 0 0 0 0" "$6 $7 $8 $9 ${10}" "production errors, shadow errors, pool in use"
assert_eq $(($1 + $2)) $(($3 + $4 + $5)) "production bios against clones + dropped"
log "ok: $(($1 + $2)) production bios: $(($3 + $4)) cloned, $5 dropped"

log "a stalled shadow holds a pool's worth of clones"
dmsetup suspend psh
shadow_msg pl stats reset
make_pattern /tmp/w 24
# 24 writes of 4 KiB: the first 16 clones fill the pool and wait, 8 drop.
( write_blocks $dev 100 /tmp/w && touch /tmp/writes.done ) &
wait_until 30 [ -e /tmp/writes.done ]
assert_eq "24 0 64 8" "$(shadow_fields pl write.prod_count write.shadow_count pool_used_kib dropped)" \
	"production writes, clones completed, pool in use, dropped with the shadow stalled"
for d in "$a" "$b"; do
	assert_eq "$(file_md5 /tmp/w)" "$(blocks_md5 "$d" 100 24)" "production writes on $d"
done
( dmsetup suspend pl; echo $? >/tmp/suspend.rc ) &
susp=$!
sleep 2
[ ! -e /tmp/suspend.rc ] || die "tandem suspended with 16 clones still waiting on the shadow"
log "ok: the suspend waits for the clones"
dmsetup resume psh
wait_until 30 [ -e /tmp/suspend.rc ]
wait $susp
assert_eq 0 "$(cat /tmp/suspend.rc)" "exit status of dmsetup suspend"
dmsetup info pl | grep -q SUSPENDED || die "tandem is not suspended: $(dmsetup info pl)"
assert_eq "16 0 0 8" "$(shadow_fields pl write.shadow_count write.shadow_errors pool_used_kib dropped)" \
	"clones completed, clone errors, pool in use, dropped once suspended"
dmsetup resume pl
assert_eq "$(file_md5 /tmp/w 0 16)" "$(blocks_md5 "$s" 100 16)" "the 16 clones on the shadow"
log "ok: suspend completed once the clones drained"

log "shadow pool resizes the pool"
shadow_msg pl shadow pool 128
assert_eq 128 "$(shadow_field pl pool_kib)" "pool after shadow pool 128"
case $(dmsetup table pl) in
*" shadow_pool 128") ;;
*) die "table after shadow pool 128: $(dmsetup table pl)" ;;
esac
dmsetup suspend psh
shadow_msg pl stats reset
( write_blocks $dev 200 /tmp/w && touch /tmp/writes2.done ) &
wait_until 30 [ -e /tmp/writes2.done ]
assert_eq "24 96 0" "$(shadow_fields pl write.prod_count pool_used_kib dropped)" \
	"writes, pool in use, dropped with a 128 KiB pool and the shadow stalled"
dmsetup resume psh
shadow_drain pl
shadow_msg pl shadow pool 0
shadow_msg pl stats reset
write_blocks $dev 300 /tmp/w 10
dd if=$dev of=/dev/null bs=4k skip=300 count=5 iflag=direct 2>/dev/null
shadow_drain pl
assert_eq "10 5 0 0 15 0" \
	"$(shadow_fields pl write.prod_count read.prod_count write.shadow_count read.shadow_count dropped compared)" \
	"writes, reads, clones, dropped, compared with a 0 KiB pool"
# The default size is left out of the table again.
shadow_msg pl shadow pool 8192
case $(dmsetup table pl) in
*" 3 nosync shadow $(majmin "$s")") ;;
*) die "table after shadow pool 8192: $(dmsetup table pl)" ;;
esac
dmsetup remove pl
