# Suspend with bios queued: with queue_depth 2 and a class limited to
# 50 IO/s, a throttled fio writer (with verify) and an unthrottled one keep
# bios waiting in the class queues; suspend, suspend --noflush and a table
# reload (dmsetup table | dmsetup load; suspend; resume) all complete,
# leaving nothing queued or in flight while suspended; the reloaded table
# keeps the classes, the limit and the rule; both writers' verify passes,
# the data reads back again afterwards and the legs are identical.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg q0 128)
d1=$(make_loop_leg q1 128)
tandem_create su 1024 "$d0" "$d1" -- \
	queue_depth 2 class slow 100 50 0 rule 2 slow ioprio=idle
CLASSES="critical production test slow"
table=$(dmsetup table su)
expect_in "$table" "queue_depth 2 class slow 100 50 0 rule 2 slow ioprio=idle" "table"

# After a suspend returns nothing may wait in a class queue or be in
# flight, in tandem or below it.
assert_drained() {
	assert_eq "0 0 0 0" "$(tandem_class_fields su queued $CLASSES)" "bios queued while suspended ($1)"
	assert_eq 0 "$(tandem_in_flight su)" "bios in flight while suspended ($1)"
	for leg in q0 q1; do
		blk=$(dmsetup info -c --noheadings -o blkdevname $leg | tr -d ' ')
		assert_eq "0 0" "$(tr -s ' ' </sys/block/$blk/inflight | sed 's/^ //')" \
			"in-flight reads and writes on $leg while suspended ($1)"
	done
	log "ok: $1: nothing queued or in flight"
}

slow_queued() { [ "$(tandem_class_field su slow queued)" -gt 0 ]; }

# suspend_queued <what> [dmsetup suspend options]: suspend while slow bios
# wait for tokens; it must finish (the wait is interruptible: a stuck
# suspend fails here instead of hanging the VM).
suspend_queued() {
	_what=$1
	shift
	wait_until 20 slow_queued
	_q=$(tandem_class_fields su queued $CLASSES)
	timeout 30 dmsetup suspend "$@" su ||
		die "$_what: suspend did not complete with bios queued (queued: $_q)"
	log "ok: $_what completed with bios queued ($CLASSES: $_q)"
}

verify_writer_start /dev/mapper/su
# 8 MiB in 4k-64k writes at 50 IO/s, then read back at 50 IO/s.
fio_verify_write /dev/mapper/su --offset=64m --size=8m --prioclass=3 &
slow=$!

suspend_queued suspend
assert_drained suspend
[ "$(tandem_class_field su slow waited)" -gt 0 ] || die "no slow bio waited in its queue"
sleep 1
dmsetup resume su
[ "$(tandem_class_field su slow throttled)" -gt 0 ] || die "no slow bio was throttled"

suspend_queued "suspend --noflush" --noflush
assert_drained "suspend --noflush"
dmsetup resume su

# A reload while bios are queued: the old table is suspended (drained),
# the new one takes over with the same classes and rules.
wait_until 20 slow_queued
dmsetup table su | dmsetup load su
suspend_queued "suspend for the reload"
assert_drained "suspend for the reload"
dmsetup resume su
assert_eq "$table" "$(dmsetup table su)" "table after the reload"
assert_eq "2 50 1" "$(tandem_queue_depth su) $(tandem_class_field su slow iops_limit) $(tandem_nr_rules su)" \
	"queue_depth, slow's iops limit and rules after the reload"
wait_until 20 slow_queued
log "ok: the reloaded table throttles the slow class again"

wait $slow || die "the throttled writer's verify failed"
log "ok: the throttled writer wrote and verified 8 MiB across suspends and a reload"
verify_writer_stop || die "the unthrottled writer saw an error or a verify failure"
log "ok: $(verify_writer_rounds) write+verify rounds of the unthrottled writer"

idle() {
	[ "$(tandem_in_flight su)" = 0 ] &&
		[ "$(tandem_class_fields su queued $CLASSES)" = "0 0 0 0" ]
}
wait_until 5 idle
# Read the throttled writer's data back once more, unthrottled.
dmsetup message su 0 class slow limit iops 0
fio_verify_write /dev/mapper/su --offset=64m --size=8m --prioclass=3 --verify_only ||
	die "the throttled writer's data does not read back"
log "ok: the throttled writer's data reads back"
assert_same_data "$d0" "$d1" "$TANDEM_SECTORS"
dmsetup remove su
