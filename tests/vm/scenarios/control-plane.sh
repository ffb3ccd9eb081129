# tandemctl and tandemd against the live target.  Every tandemctl command's
# effect is checked in dmsetup's own view of the device, a request the
# kernel refuses fails with exit 1 and the kernel's reason, an invalid one
# with exit 2 and nothing changed; a leg that missed writes is reinstated
# and resynced, under a sync rate set with tandemctl; tandemd reports leg
# state changes and the resync from the device's dm events, long before
# its next poll.
. /lab/tandem.sh
load_modules dm-tandem
require_cmd tandemctl tandemd

d0=$(make_loop_leg cp0 128)
d1=$(make_loop_leg cp1 128)
tandem_create cp 1024 "$d0" "$d1"

state_word() {
	case "$1" in
	A) echo alive ;;
	a) echo syncing ;;
	D) echo dead ;;
	*) echo "unknown ($1)" ;;
	esac
}

# check_status_view DEV : `tandemctl status` shows, leg by leg, what
# `dmsetup status` says, and the resync's action, rate and progress.  Only
# while no resync is copying (idle or paused), so the two views agree.
# The view is left in $out.
check_status_view() {
	local dev=$1 leg want got regions action
	tctl 0 status "$dev" --raw
	assert_eq "$(tandem_status "$dev")" "$out" "tandemctl status --raw against dmsetup status"
	tctl 0 status "$dev"
	expect_in "$out" "$dev: 2 legs, status version $(tandem_field "$dev" 1)" "status header"
	regions=$(tandem_nr_regions "$dev")
	for leg in 0 1; do
		want="$(state_word "$(tandem_leg_state "$dev" $leg)") $(tandem_weight "$dev" $leg)%"
		want="$want $(tandem_leg_counter "$dev" $leg reads) $(tandem_leg_counter "$dev" $leg writes)"
		want="$want $(tandem_leg_counter "$dev" $leg read_errors) $(tandem_leg_counter "$dev" $leg write_errors)"
		want="$want $(tandem_out_of_sync "$dev" $leg)/$regions"
		got=$(echo "$out" | awk -v l=$leg '$1 == l && NF == 9 { print $3, $4, $5, $6, $7, $8, $9 }')
		assert_eq "$want" "$got" "tandemctl status, leg $leg (state weight reads writes errors out_of_sync)"
	done
	expect_in "$out" "read retries: $(tandem_read_retries "$dev")" "read retries"
	action=$(tandem_sync_field "$dev" action)
	[ "$action" != resync ] || die "check_status_view $dev while a resync copies"
	expect_in "$out" "sync: $action" "sync action"
	expect_in "$out" ", $(tandem_sync_field "$dev" rate) KiB/s" "sync rate"
	expect_in "$out" "copied: $(tandem_sync_field "$dev" regions_copied) regions ($(tandem_sync_field "$dev" kib_copied) KiB)" \
		"resync progress"
}

# events_above DEV N : the device raised a dm event since its count was N.
events_above() {
	[ "$(dm_event_nr "$1")" -gt "$2" ]
}

# copied_is DEV N : the resync has counted N copied regions (the count
# follows a region's copy a moment after the region is in sync).
copied_is() {
	[ "$(tandem_sync_field "$1" regions_copied)" = "$2" ]
}

# --- status and table --------------------------------------------------------
log "status and table of a fresh device"
check_status_view cp
tctl 0 status cp
assert_eq "source alive 100%" "$(echo "$out" | awk '$1 == "0" { print $2, $3, $4 }')" \
	"leg 0 of a fresh device"
assert_eq "target alive 0%" "$(echo "$out" | awk '$1 == "1" { print $2, $3, $4 }')" \
	"leg 1 of a fresh device"
assert_eq 256 "$(tandem_nr_regions cp)" "regions of 512 KiB in 128 MiB"
expect_in "$out" "   0/256" "out-of-sync regions of a fresh nosync device"
expect_in "$out" "sync: idle, 65536 KiB/s" "sync line of a fresh device"
expect_in "$out" "copied: 0 regions (0 KiB)" "nothing copied on a fresh nosync device"

tctl 0 table cp --raw
assert_eq "$(dmsetup table cp | cut -d' ' -f4-)" "$out" "tandemctl table --raw against dmsetup table"
tctl 0 table cp
expect_in "$out" "region size:  1024 sectors (512 KiB)" "table view"
expect_in "$out" "leg 0:        $(majmin "$d0") (source)" "table view"
expect_in "$out" "leg 1:        $(majmin "$d1") (target)" "table view"
expect_in "$out" "initial sync: skipped (nosync)" "table view"
expect_in "$out" "read weights: default" "table view"
expect_in "$out" "sync rate:    65536 KiB/s (default)" "table view"

# --- sync-rate -----------------------------------------------------------------
log "sync-rate"
tctl 0 sync-rate cp 1024
expect_in "$out" "cp: sync rate set to 1024 KiB/s" "sync-rate reply"
assert_eq 1024 "$(tandem_sync_field cp rate)" "dmsetup sync rate"
expect_in "$(dmsetup table cp)" " 3 nosync sync_rate 1024" "dmsetup table with a sync rate"
tctl 0 table cp
expect_in "$out" "sync rate:    1024 KiB/s" "table view after sync-rate"
check_status_view cp
expect_in "$out" "sync: idle, 1024 KiB/s" "status view after sync-rate"
tctl 0 sync-rate cp 0
expect_in "$out" "cp: sync rate set to 0 KiB/s (resync paused)" "sync-rate 0 reply"
assert_eq "0 idle" "$(tandem_sync_field cp rate) $(tandem_sync_field cp action)" \
	"rate 0 with nothing to copy: idle, not paused"
tctl 0 sync-rate cp 16777216
assert_eq 16777216 "$(tandem_sync_field cp rate)" "dmsetup sync rate at the maximum"
tctl 0 sync-rate cp 65536
assert_eq 65536 "$(tandem_sync_field cp rate)" "dmsetup sync rate back to the default"
case "$(dmsetup table cp)" in
*sync_rate*) die "the default sync rate is printed in the table: $(dmsetup table cp)" ;;
esac

log "invalid sync rates change nothing"
before=$(tandem_status cp)
ev=$(dm_event_nr cp)
tctl 2 sync-rate cp 16777217
expect_in "$err" "sync rate 16777217 KiB/s is out of range; it must be 0..16777216 KiB/s" \
	"sync rate over the maximum"
tctl 2 sync-rate cp -5
expect_in "$err" "'-5' is negative" "negative sync rate"
tctl 2 sync-rate cp 64M
expect_in "$err" "rate: expected a whole number of KiB/s, got '64M'" "sync rate with a suffix"
tctl 2 sync-rate cp
expect_in "$err" "missing <KiB/s>" "sync-rate without a rate"
tctl 2 sync-rate cp 1 2
expect_in "$err" "too many arguments" "sync-rate with two rates"
assert_eq "$before" "$(tandem_status cp)" "dmsetup status after invalid sync rates"
assert_eq "$ev" "$(dm_event_nr cp)" "dm events after invalid sync rates"

# --- weights -----------------------------------------------------------------
log "weights"
tctl 0 weights cp 70 30
expect_in "$out" "cp: read weights set to 70 30" "weights reply"
assert_eq 70 "$(tandem_weight cp 0)" "dmsetup weight of leg 0"
assert_eq 30 "$(tandem_weight cp 1)" "dmsetup weight of leg 1"
check_status_view cp
tctl 0 table cp
expect_in "$out" "read weights: 70 30" "table view after weights"

log "invalid weights change nothing"
before=$(tandem_status cp)
ev=$(dm_event_nr cp)
tctl 2 weights cp 70 20
expect_in "$err" "weights sum to 90; they must sum to 100" "weights not summing to 100"
tctl 2 weights cp 50 30 20
expect_in "$err" "cp has 2 legs; give one weight per leg (3 given)" "one weight too many"
tctl 2 weights cp 101 0
expect_in "$err" "weight of leg 0 is 101" "weight over 100"
tctl 2 weights cp 70 -30
expect_in "$err" "negative" "negative weight"
tctl 2 weights cp 70 thirty
expect_in "$err" "expected a whole number, got 'thirty'" "weight that is not a number"
tctl 2 weights cp 100
expect_in "$err" "expected 2 to 4 weights" "a single weight"
assert_eq "$before" "$(tandem_status cp)" "dmsetup status after invalid weights"
assert_eq "$ev" "$(dm_event_nr cp)" "dm events after invalid weights"

# --- fail-leg and reinstate-leg ----------------------------------------------
log "fail-leg and reinstate-leg"
ev=$(dm_event_nr cp)
tctl 0 fail-leg cp 1
expect_in "$out" "cp: leg 1 failed" "fail-leg reply"
assert_eq AD "$(tandem_field cp 3)" "leg states after fail-leg 1"
[ "$(dm_event_nr cp)" -gt "$ev" ] || die "fail-leg raised no dm event"
check_status_view cp

# Nothing was written while it was out: back in sync at once.
tctl 0 reinstate-leg cp 1
expect_in "$out" "cp: leg 1 reinstated" "reinstate-leg reply"
assert_eq AA "$(tandem_field cp 3)" "leg states after reinstate-leg 1"
assert_eq 0 "$(tandem_out_of_sync cp 1)" "regions leg 1 lacks after missing nothing"
check_status_view cp
expect_in "$out" "sync: idle, 65536 KiB/s" "status view after a reinstate that copies nothing"

log "requests the kernel refuses: exit 1 with its reason"
tctl 1 reinstate-leg cp 1
expect_in "$err" "rejected by the target: Leg is already healthy" "reinstating a healthy leg"
assert_eq AA "$(tandem_field cp 3)" "leg states after a refused reinstate"

tctl 0 fail-leg cp 1
tctl 1 fail-leg cp 0
expect_in "$err" "rejected by the target: Refusing to fail the last healthy leg with every region in sync" \
	"failing the last healthy leg"
tctl 1 fail-leg cp 1
expect_in "$err" "rejected by the target: Leg is already failed" "failing a failed leg"
assert_eq AD "$(tandem_field cp 3)" "leg states after refused fail-leg"

log "usage errors: exit 2, nothing sent"
before=$(tandem_status cp)
tctl 2 fail-leg cp 2
expect_in "$err" "cp has 2 legs (0..1); there is no leg 2" "leg beyond the device"
tctl 2 reinstate-leg cp 4
expect_in "$err" "leg index must be 0..3, got 4" "leg beyond any device"
tctl 2 fail-leg cp
expect_in "$err" "missing <leg>" "fail-leg without a leg"
tctl 2 sync-rate cp 99999999999999999999
expect_in "$err" "rate: expected a whole number of KiB/s" "sync rate beyond 64 bits"
assert_eq "$before" "$(tandem_status cp)" "dmsetup status after usage errors"

# --- stats -------------------------------------------------------------------
log "stats follow I/O and reset to 0"
tctl 0 stats cp --reset
expect_in "$out" "cp: statistics reset" "stats --reset reply"
dd if=/dev/mapper/cp of=/dev/null bs=4k count=100 iflag=direct 2>/dev/null
dd if=/dev/urandom of=/dev/mapper/cp bs=4k count=50 oflag=direct 2>/dev/null
tctl 0 stats cp
expect_in "$out" "leg 0 state A weight 70 reads 100 writes 50 read_errors 0 write_errors 0" \
	"stats after 100 reads and 50 writes (leg 1 failed)"
expect_in "$out" "leg 1 state D weight 30 reads 0 writes 0 read_errors 0 write_errors 0" \
	"stats of the failed leg"
expect_in "$out" "read_retries 0" "stats read_retries"
assert_eq 100 "$(tandem_leg_counter cp 0 reads)" "dmsetup reads of leg 0"
assert_eq 50 "$(tandem_leg_counter cp 0 writes)" "dmsetup writes of leg 0"
# 200 KiB from offset 0: all in region 0, which failed leg 1 now lacks.
assert_eq 1 "$(tandem_out_of_sync cp 1)" "regions leg 1 missed"
check_status_view cp
expect_in "$out" "   1  target dead" "status view of the failed leg"
expect_in "$out" "1/256" "out-of-sync regions of the failed leg"
expect_in "$out" "sync: idle, 65536 KiB/s; leg 1 (failed) lacks 1/256 regions" \
	"sync line with a failed leg behind"
case "$(dmsetup table cp)" in
*nosync*) die "nosync in the table while leg 1 is out of sync: $(dmsetup table cp)" ;;
esac
tctl 0 table cp
expect_in "$out" "initial sync: legs 1.. copied from leg 0 when loaded" "table view without nosync"

tctl 0 stats cp --reset
for leg in 0 1; do
	for c in reads writes read_errors write_errors; do
		assert_eq 0 "$(tandem_leg_counter cp $leg $c)" "dmsetup $c of leg $leg after stats --reset"
	done
done
assert_eq 0 "$(tandem_read_retries cp)" "dmsetup read_retries after stats --reset"
tctl 0 stats cp
expect_in "$out" "leg 0 state A weight 70 reads 0 writes 0 read_errors 0 write_errors 0" \
	"stats after --reset"

# --- reinstating a leg that missed writes: resync --------------------------------
log "a leg that missed writes is reinstated and resynced; paused first to look at it"
tctl 0 sync-rate cp 0
ev=$(dm_event_nr cp)
tctl 0 reinstate-leg cp 1
expect_in "$out" "cp: leg 1 reinstated" "reinstating a leg that missed writes"
wait_until 5 events_above cp "$ev"
assert_eq Aa "$(tandem_field cp 3)" "leg states while leg 1 waits for its resync"
assert_eq paused "$(tandem_sync_field cp action)" "sync action with rate 0 and a region to copy"
assert_eq 1 "$(tandem_out_of_sync cp 1)" "regions leg 1 still lacks"
check_status_view cp
expect_in "$out" "   1  target syncing" "status view of the resyncing leg"
expect_in "$out" "sync: paused 1/256 regions to copy for leg 1, 0 KiB/s (resume with 'tandemctl sync-rate cp <KiB/s>')" \
	"sync line while paused"

log "a resyncing leg serves no read, is healthy, and is the only one that may fail"
tctl 0 stats cp --reset
dd if=/dev/mapper/cp of=/dev/null bs=4k count=100 iflag=direct 2>/dev/null
assert_eq 100 "$(tandem_leg_counter cp 0 reads)" "reads served by leg 0 while leg 1 resyncs"
assert_eq 0 "$(tandem_leg_counter cp 1 reads)" "reads sent to leg 1 before its resync"
tctl 1 reinstate-leg cp 1
expect_in "$err" "rejected by the target: Leg is already healthy" "reinstating a resyncing leg"
tctl 1 fail-leg cp 0
expect_in "$err" "rejected by the target: Refusing to fail the last healthy leg with every region in sync" \
	"failing the only in-sync leg while the other resyncs"
assert_eq Aa "$(tandem_field cp 3)" "leg states after the refused requests"

log "resume: the missed region is copied and leg 1 is in sync"
tctl 0 sync-rate cp 65536
tandem_wait_idle cp 60
assert_eq AA "$(tandem_field cp 3)" "leg states after the resync"
assert_eq 0 "$(tandem_out_of_sync cp 1)" "regions leg 1 lacks after the resync"
wait_until 5 copied_is cp 1
assert_eq 512 "$(tandem_sync_field cp kib_copied)" "KiB copied: one region"
assert_same_data "$d0" "$d1" 262144
check_status_view cp
expect_in "$out" "   1  target alive" "status view of leg 1 in sync"
expect_in "$out" "sync: idle, 65536 KiB/s" "sync line after the resync"
expect_in "$out" "copied: 1 regions (512 KiB)" "resync progress after the resync"
expect_in "$(dmsetup table cp)" " nosync" "nosync back in the table once every leg is in sync"
tctl 0 table cp
expect_in "$out" "initial sync: skipped (nosync)" "table view once in sync"

# --- a device created without nosync: the initial copy --------------------------
log "a device without nosync copies leg 1 from leg 0, at the rate tandemctl sets"
s0=$(make_loop_leg cs0 16)
s1=$(make_loop_leg cs1 16)
dd if=/dev/urandom of="$s0" bs=1M count=16 oflag=direct 2>/dev/null
dmsetup create cs --table "0 32768 tandem - 1024 2 $s0 $s1 2 sync_rate 0"
assert_eq Aa "$(tandem_field cs 3)" "leg states before the initial copy"
assert_eq "32 32 paused" \
	"$(tandem_nr_regions cs) $(tandem_out_of_sync cs 1) $(tandem_sync_field cs action)" \
	"regions, regions leg 1 lacks, sync action before the initial copy"
check_status_view cs
expect_in "$out" "sync: paused 32/32 regions to copy for leg 1, 0 KiB/s" "sync line before the initial copy"
tctl 0 table cs --raw
assert_eq "- 1024 2 $(majmin "$s0") $(majmin "$s1") 2 sync_rate 0" "$out" "table of a device being synced"
tctl 0 table cs
expect_in "$out" "initial sync: legs 1.. copied from leg 0 when loaded" "table view of a device being synced"
expect_in "$out" "sync rate:    0 KiB/s (resync paused)" "table view of a paused device"
tctl 0 sync-rate cs 65536
tandem_wait_idle cs 60
assert_eq AA "$(tandem_field cs 3)" "leg states after the initial copy"
wait_until 5 copied_is cs 32
assert_eq 16384 "$(tandem_sync_field cs kib_copied)" "KiB copied by the initial copy"
assert_same_data "$s0" "$s1" 32768
check_status_view cs
expect_in "$out" "copied: 32 regions (16384 KiB)" "progress after the initial copy"
tctl 0 table cs --raw
assert_eq "- 1024 2 $(majmin "$s0") $(majmin "$s1") 1 nosync" "$out" "table once the legs are in sync"
dmsetup remove cs

# --- devices that are not there or not tandem --------------------------------
log "a nonexistent device: exit 1, no such device"
tctl 1 status nosuch
assert_eq "tandemctl: status nosuch: no such device" "$err" "status of a nonexistent device"
tctl 1 table nosuch
expect_in "$err" "nosuch: no such device" "table of a nonexistent device"
tctl 1 weights nosuch 50 50
expect_in "$err" "nosuch: no such device" "weights of a nonexistent device"
tctl 1 fail-leg nosuch 1
expect_in "$err" "nosuch: no such device" "fail-leg of a nonexistent device"
tctl 1 stats nosuch
expect_in "$err" "nosuch: no such device" "stats of a nonexistent device"
tctl 1 status cp0
expect_in "$err" "target is 'linear', not tandem" "status of a linear device"

# --- tandemd -----------------------------------------------------------------
# A fresh device: cp's leg 1 can no longer be reinstated.  Polls are a
# minute apart, so only a dm event explains a prompt report.
e0=$(make_loop_leg cd0 64)
e1=$(make_loop_leg cd1 64)
TANDEM_SECTORS=131072 tandem_create cd 1024 "$e0" "$e1"
conf=/tmp/tandemd.yaml
cat >"$conf" <<EOF
log_level: debug
poll_interval_ms: 60000
devices:
  - name: cd
EOF

# tandemd_run RC ARGS... : run tandemd in the foreground, require exit
# status RC; its stdout and stderr are left in $out.
tandemd_run() {
	local want=$1 rc=0
	shift
	tandemd "$@" >/tmp/tandemd.out 2>&1 || rc=$?
	out=$(cat /tmp/tandemd.out)
	[ "$rc" = "$want" ] || die "tandemd $*: exit status $rc, expected $want (output: '$out')"
	log "ok: tandemd $*: exit $rc"
}

log "tandemd --check-config and --once"
tandemd_run 0 --config "$conf" --check-config
expect_in "$out" "- name: cd  # $conf:4:11" "--check-config output"
expect_in "$out" "poll_interval_ms: 60000" "--check-config output"
tandemd_run 0 --config "$conf" --once
expect_in "$out" "cd: status v$(tandem_field cd 1): 2 legs, states AA, read weights 100 0, sync idle, 65536 KiB/s" "--once log"
dmsetup message cd 0 fail_leg 1
tandemd_run 0 --config "$conf" --once --log-level info
expect_in "$out" "cd: status v$(tandem_field cd 1): 2 legs, states AD, read weights 100 0, sync idle, 65536 KiB/s" \
	"--once log, leg 1 failed"
dmsetup message cd 0 reinstate_leg 1
printf 'devices:\n  - name: cd\n  - name: nosuch\n' >/tmp/missing.yaml
tandemd_run 1 --config /tmp/missing.yaml --once
expect_in "$out" "nosuch: status unavailable: status nosuch: no such device" "--once, missing device"
printf 'devices:\n  - name: cd\n    poll_interval: 5\n' >/tmp/bad.yaml
tandemd_run 1 --config /tmp/bad.yaml --check-config
expect_in "$out" "/tmp/bad.yaml:3:5" "--check-config of an invalid file"

dlog=/tmp/tandemd.log
# log_has TEXT [COUNT] : the daemon's log holds TEXT on COUNT lines (default 1) or more.
log_has() {
	[ "$(grep -cF "$1" "$dlog")" -ge "${2:-1}" ]
}
now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}
# reported_within SEC TEXT [COUNT] : the daemon logs TEXT (for the COUNTth
# time) within SEC seconds of the last `t0=$(now_ms)`.
reported_within() {
	wait_until "$1" log_has "$2" "${3:-1}"
	log "ok: tandemd logged '$2' $(($(now_ms) - t0)) ms after the change"
}

log "tandemd in the background"
tandemd --config "$conf" >"$dlog" 2>&1 &
dpid=$!
wait_until 10 log_has "cd: status v$(tandem_field cd 1): 2 legs, states AA, read weights 100 0, sync idle, 65536 KiB/s"
sleep 1 # let the event waiter block in the kernel

t0=$(now_ms)
dmsetup message cd 0 fail_leg 1
reported_within 5 "cd: leg 1 failed (A -> D)"
log_has "cd: dm event" || die "tandemd did not read the failure because of a dm event"

t0=$(now_ms)
dmsetup message cd 0 reinstate_leg 1
reported_within 5 "cd: leg 1 is back in service (D -> A)"

log "SIGHUP keeps the event waiter"
kill -HUP "$dpid"
wait_until 5 log_has "configuration reloaded from $conf; watching cd (every 60000 ms)"
sleep 1

log "a write error fails leg 1: tandemd reports it from the dm event"
swap_to_error cd1
t0=$(now_ms)
dd if=/dev/urandom of=/dev/mapper/cd bs=4k count=8 oflag=direct 2>/dev/null ||
	die "writes failed with one leg left"
assert_eq AD "$(tandem_field cd 3)" "leg states after a write error on leg 1"
reported_within 5 "cd: leg 1 failed (A -> D)" 2
reported_within 5 "cd: leg 1: 0 new read error(s), 1 new write error(s)"

log "reinstating leg 1: tandemd reports the resync and the leg's way back, once each"
swap_back cd1
missed=$(tandem_out_of_sync cd 1)
[ "$missed" -gt 0 ] || die "leg 1 of cd missed no region"
dmsetup message cd 0 sync_rate 0
t0=$(now_ms)
tctl 0 reinstate-leg cd 1
reported_within 5 "cd: leg 1 is back in service, resyncing $missed/128 regions (D -> a)"
reported_within 5 "cd: resync needed but paused (sync rate 0): $missed/128 regions to copy for leg 1"
t0=$(now_ms)
tctl 0 sync-rate cd 65536
tandem_wait_idle cd 60
# The sync_rate message raises no dm event; the end of the resync does.
reported_within 5 "cd: leg 1 is in sync (a -> A)"
reported_within 5 "cd: sync rate changed from 0 to 65536 KiB/s"
reported_within 5 "cd: resync finished: "
assert_same_data "$e0" "$e1" 131072
sleep 1
for line in "leg 1 is back in service, resyncing" "resync needed but paused" "leg 1 is in sync" \
	"resync finished"; do
	assert_eq 1 "$(grep -cF "cd: $line" "$dlog")" "times tandemd logged '$line'"
done
# Out again, so the device recreated below brings it back.
dmsetup message cd 0 fail_leg 1
wait_until 5 log_has "cd: leg 1 failed (A -> D)" 3

log "removing the watched device neither hangs nor goes unnoticed"
timeout 30 dmsetup remove cd || die "dmsetup remove cd failed or hung while tandemd waits on it"
wait_until 5 log_has "cd: status unavailable: status cd: no such device"

log "the device comes back: tandemd notices without waiting for its next poll"
t0=$(now_ms)
TANDEM_SECTORS=131072 tandem_create cd 1024 "$e0" "$e1"
reported_within 5 "cd: status available again"
wait_until 5 log_has "cd: leg 1 is back in service (D -> A)" 2
sleep 1 # the event waiter blocks in the kernel again

log "SIGTERM: tandemd exits 0, its waiter taken out of the kernel"
t0=$(now_ms)
kill -TERM "$dpid"
(
	sleep 20
	kill -KILL "$dpid" 2>/dev/null
) &
watchdog=$!
rc=0
wait "$dpid" || rc=$?
kill "$watchdog" 2>/dev/null || true
cp "$dlog" "$(result_file tandemd.log)"
assert_eq 0 "$rc" "tandemd exit status after SIGTERM"
log "ok: tandemd exited $(($(now_ms) - t0)) ms after SIGTERM"
log_has "received SIGTERM, shutting down" || die "tandemd did not log the SIGTERM"
errors=$(grep "error:" "$dlog" | grep -vF "cd: status unavailable: status cd: no such device" || true)
[ -z "$errors" ] || die "tandemd logged an unexpected error: $errors"

dmsetup remove cd
dmsetup remove cp
