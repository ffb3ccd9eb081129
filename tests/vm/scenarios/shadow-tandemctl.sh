# tandemctl gives a tandem device a snapshot shadow and takes it away:
# `shadow create` makes the COW file, its loop device and <dev>-shadow and
# reloads the table with it; production writes are cloned into the COW
# store; `shadow <dev> status` shows both sides; an idle-priority write
# confined by a route=shadow rule lands on the shadow only; `shadow reset`
# throws the shadow's changes away; `shadow remove` leaves no table
# feature, device, loop or file behind, and puts everything back when
# the shadow cannot be removed. Bad invocations exit 2 and change nothing.
. /lab/shadow.sh
load_modules dm-tandem dm-snapshot loop
require_cmd tandemctl ionice

a=$(make_loop_leg st0 64)
b=$(make_loop_leg st1 64)
TANDEM_SECTORS=131072 tandem_create tdev 1024 "$a" "$b"
dev=/dev/mapper/tdev
shadow=/dev/mapper/tdev-shadow
cow=/tmp/cow.img
plain_table=$(dmsetup table tdev)

# status_tail <n>: field NF-n of tdev's status; the shadow's 39 fields end
# it (dropped at 33, write's prod_count at 19 and shadow_count at 16).
status_tail() {
	dmsetup status tdev | awk -v n="$1" '{ print $(NF - n) }'
}

# table_shadow: the shadow feature's device in tdev's table, or "".
table_shadow() {
	dmsetup table tdev | awk '{ for (i = 1; i < NF; i++) if ($i == "shadow") print $(i + 1) }'
}

# nothing_made: no shadow in the table, no tdev-shadow, no COW file.
nothing_made() {
	assert_eq "$plain_table" "$(dmsetup table tdev)" "table of tdev ($1)"
	! dmsetup info tdev-shadow >/dev/null 2>&1 || die "tdev-shadow exists ($1)"
	[ ! -e $cow ] || die "$cow exists ($1)"
}

log "bad invocations exit 2 and change nothing"
tctl 2 shadow create tdev
expect_in "$err" "create needs --cow-size" "create without a size"
tctl 2 shadow create tdev --cow-size 1K --cow-file $cow
expect_in "$err" "1K is too small; a COW file needs at least 1M" "a tiny COW"
tctl 2 shadow create tdev --cow-size 32Q --cow-file $cow
expect_in "$err" "expected a size such as 512M or 2G" "a bad size suffix"
tctl 2 shadow create tdev --cow-size 32M --cow-file cow.img
expect_in "$err" "expected an absolute path, got 'cow.img'" "a relative COW file"
tctl 2 shadow create tdev --cow-size 32M --mode fast
expect_in "$err" "shadow mode must be async, sync or gate, got 'fast'" "a bad mode"
tctl 2 shadow tdev sample 1000001
expect_in "$err" "shadow sample 1000001 is out of range" "a sample over the limit"
tctl 2 shadow tdev pool 4194305
tctl 2 shadow tdev restart
expect_in "$err" "expected on, off, sample, pool, mode or status after the device" "an unknown action"
tctl 2 shadow tdev on
expect_in "$err" "tdev has no shadow" "cloning on without a shadow"
tctl 2 shadow remove tdev
expect_in "$err" "shadow remove: tdev has no shadow" "remove without a shadow"
tctl 2 shadow reset tdev
expect_in "$err" "has no shadow made by 'tandemctl shadow create'" "reset without a shadow"
tctl 0 shadow tdev status
assert_eq "tdev: shadow: none" "$out" "shadow status without a shadow"
nothing_made "after the bad invocations"

log "a COW file that cannot be made leaves nothing behind"
tctl 1 shadow create tdev --cow-size 32M --cow-file /proc/tandem/cow.img
expect_in "$err" "/proc/tandem" "the failing COW file is named"
nothing_made "after a failed create"

log "create"
tctl 0 shadow create tdev --cow-size 32M --cow-file $cow
log "$out"
loop=$(echo "$out" | sed -n 's|.* over \(/dev/loop[0-9]*\) .*|\1|p')
[ -n "$loop" ] || die "create did not name its loop device: $out"
expect_in "$out" "tdev: shadow tdev-shadow ($(majmin $shadow)) attached, mode async, cloning every bio" \
	"create's report"
assert_eq "TANDEM-SHADOW-tdev" "$(dmsetup info -c --noheadings -o uuid tdev-shadow)" "uuid of tdev-shadow"
assert_eq "0 131072 snapshot $(majmin "$a") $(majmin "$loop") N 8" "$(dmsetup table tdev-shadow)" \
	"table of tdev-shadow"
assert_eq "$(majmin $shadow)" "$(table_shadow)" "shadow feature of tdev"
assert_eq "$(majmin $shadow) async 1" "$(shadow_fields tdev dev mode sample)" "shadow in the status"
assert_eq $((32 << 20)) "$(stat -c %s $cow)" "COW file size"
[ "$(du -k $cow | cut -f1)" -lt 1024 ] || die "the COW file is not sparse: $(du -k $cow)"
assert_eq "$cow" "$(cat /sys/block/"${loop#/dev/}"/loop/backing_file)" "backing file of $loop"
tctl 2 shadow create tdev --cow-size 32M --cow-file /tmp/other.img
expect_in "$err" "tdev has a shadow already ($(majmin $shadow))" "a second create"
[ ! -e /tmp/other.img ] || die "a refused create made its COW file"

log "production writes are cloned into the COW store"
fio --name=w --filename=$dev --direct=1 --ioengine=libaio --rw=randwrite --bs=4k \
	--bsrange=4k-64k --iodepth=16 --size=16m --refill_buffers --randrepeat=0 \
	--output-format=terse >/dev/null || die "fio through tdev failed"
shadow_drain tdev
assert_blocks_match "$a" 0 4096 "after fio" "$b" $shadow
# The clones are in the COW store: with cloning off, production moves on
# and the shadow keeps what it was written.
make_pattern /tmp/cloned 256
write_blocks $dev 0 /tmp/cloned
shadow_drain tdev
tctl 0 shadow tdev off
make_pattern /tmp/p256 256
write_blocks $dev 0 /tmp/p256
assert_eq "$(file_md5 /tmp/p256)" "$(blocks_md5 "$a" 0 256)" "leg 0 after a write with cloning off"
assert_eq "$(file_md5 /tmp/cloned)" "$(blocks_md5 $shadow 0 256)" \
	"shadow blocks cloned before cloning went off"
tctl 0 shadow tdev on
assert_eq 1 "$(shadow_field tdev sample)" "sample after shadow on"

log "shadow status shows both sides"
tctl 0 shadow tdev status
echo "$out"
expect_in "$out" "tdev: shadow $(majmin $shadow), mode async, cloning every bio" "status summary"
# shellcheck disable=SC2046
set -- $(echo "$out" | awk '$1 == "write" { print $2, $3, $6, $7 }')
[ "$1" -gt 0 ] || die "no production writes in shadow status: $out"
assert_eq "$(status_tail 19) 0 $(status_tail 16) 0" "$*" \
	"write counts and errors, production and shadow, against the status line"
assert_eq "$(status_tail 33)" "$(echo "$out" | sed -n 's/^dropped \([0-9]*\),.*/\1/p')" "dropped"
log "ok: $1 production writes, $3 on the shadow"
tctl 0 status tdev
expect_in "$out" "shadow: $(majmin $shadow), mode async" "tandemctl status"

log "settings"
tctl 0 shadow tdev sample 5
tctl 0 shadow tdev mode sync
tctl 0 shadow tdev pool 4096
assert_eq "sync 5 4096" "$(shadow_fields tdev mode sample pool_kib)" "mode, sample, pool"

log "an idle-priority write confined by a rule lands on the shadow only"
tctl 0 rule tdev add test --ioprio idle --route shadow
B=10000
leg_block=$(blocks_md5 "$a" $B 1)
assert_eq "$leg_block" "$(blocks_md5 $shadow $B 1)" "block $B on the shadow before the test write"
make_pattern /tmp/p1 1
ionice -c3 dd if=/tmp/p1 of=$dev bs=4k seek=$B count=1 oflag=direct 2>/dev/null ||
	die "the confined write failed"
assert_eq "$(file_md5 /tmp/p1)" "$(blocks_md5 $shadow $B 1)" "block $B on the shadow"
assert_eq "$leg_block" "$(blocks_md5 "$a" $B 1)" "block $B on leg 0"
assert_eq "$leg_block" "$(blocks_md5 "$b" $B 1)" "block $B on leg 1"
[ "$(shadow_field tdev confined)" -ge 1 ] || die "nothing confined"

log "reset throws the shadow's changes away"
tctl 0 shadow reset tdev
expect_in "$out" "shadow reset: tdev-shadow made again over $cow (32 MiB)" "reset's report"
assert_eq "$leg_block" "$(blocks_md5 $shadow $B 1)" "block $B on the shadow after the reset"
assert_eq "$(majmin $shadow)" "$(table_shadow)" "shadow feature after the reset"
assert_eq "sync 5 4096" "$(shadow_fields tdev mode sample pool_kib)" "settings kept by the reset"
assert_eq $((32 << 20)) "$(stat -c %s $cow)" "COW file size after the reset"
cow_dev=$(dmsetup table tdev-shadow | awk '{ print $5 }')
assert_blocks_match "$a" 0 4096 "after the reset" $shadow

log "remove puts everything back when the shadow is busy"
exec 3<$shadow
tctl 1 shadow remove tdev
log "refused: $err"
expect_in "$err" "(undone: nothing changed)" "a busy shadow"
exec 3<&-
assert_eq "$(majmin $shadow)" "$(table_shadow)" "shadow feature after the failed remove"
[ -e $cow ] || die "the failed remove deleted the COW file"

log "remove"
tctl 0 shadow remove tdev
expect_in "$out" "tdev: tdev-shadow removed" "remove's report"
expect_in "$out" "note: rule 0 routes bios to the shadow" "the confining rule is pointed out"
assert_eq "" "$(table_shadow)" "shadow feature after the remove"
assert_eq - "$(shadow_field tdev dev)" "shadow in the status after the remove"
! dmsetup info tdev-shadow >/dev/null 2>&1 || die "tdev-shadow is still there"
[ ! -e $cow ] || die "$cow is still there"
wait_until 10 [ ! -s "/sys/dev/block/$cow_dev/loop/backing_file" ]
log "ok: the loop device $cow_dev went away with the shadow"
if ionice -c3 dd if=/tmp/p1 of=$dev bs=4k seek=$B count=1 oflag=direct 2>/dev/null; then
	die "a confined write succeeded without a shadow"
fi
assert_eq "$leg_block" "$(blocks_md5 "$a" $B 1)" "block $B on leg 0 after a confined write without a shadow"
tctl 2 shadow remove tdev

log "the default COW file"
tctl 0 shadow create tdev --cow-size 8M
[ -f /var/lib/tandem/tdev-cow.img ] || die "no /var/lib/tandem/tdev-cow.img"
tctl 0 shadow remove tdev
[ ! -e /var/lib/tandem/tdev-cow.img ] || die "the default COW file is still there"
tctl 0 rule tdev clear
dmsetup remove tdev
