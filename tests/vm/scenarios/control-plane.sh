# tandemctl and tandemd against the live target.  Every tandemctl command's
# effect is checked in dmsetup's own view of the device, a request the
# kernel refuses fails with exit 1 and the kernel's reason, an invalid one
# with exit 2 and nothing changed; tandemd reports leg state changes from
# the device's dm events, long before its next poll.
. /lab/tandem.sh
load_modules dm-tandem
require_cmd tandemctl tandemd

d0=$(make_loop_leg cp0 128)
d1=$(make_loop_leg cp1 128)
tandem_create cp 1024 "$d0" "$d1"

# tctl RC ARGS... : run tandemctl, require exit status RC; its output is
# left in $out and $err.
tctl() {
	local want=$1 rc=0
	shift
	tandemctl "$@" >/tmp/tctl.out 2>/tmp/tctl.err || rc=$?
	out=$(cat /tmp/tctl.out)
	err=$(cat /tmp/tctl.err)
	[ "$rc" = "$want" ] ||
		die "tandemctl $*: exit status $rc, expected $want (stdout: '$out', stderr: '$err')"
	log "ok: tandemctl $*: exit $rc"
}

# expect_in TEXT PART WHAT
expect_in() {
	case "$1" in
	*"$2"*) ;;
	*) die "$3: '$2' not found in: $1" ;;
	esac
}

state_word() {
	case "$1" in
	A) echo alive ;;
	D) echo dead ;;
	*) echo "unknown ($1)" ;;
	esac
}

# check_status_view DEV : `tandemctl status` shows, leg by leg, what
# `dmsetup status` says.
check_status_view() {
	local dev=$1 leg want got
	tctl 0 status "$dev"
	expect_in "$out" "$dev: 2 legs, status version 1" "status header"
	for leg in 0 1; do
		want="$(state_word "$(tandem_leg_state "$dev" $leg)") $(tandem_weight "$dev" $leg)%"
		want="$want $(tandem_leg_counter "$dev" $leg reads) $(tandem_leg_counter "$dev" $leg writes)"
		want="$want $(tandem_leg_counter "$dev" $leg read_errors) $(tandem_leg_counter "$dev" $leg write_errors)"
		got=$(echo "$out" | awk -v l=$leg '$1 == l && NF == 8 { print $3, $4, $5, $6, $7, $8 }')
		assert_eq "$want" "$got" "tandemctl status, leg $leg (state weight reads writes errors)"
	done
	expect_in "$out" "read retries: $(tandem_read_retries "$dev")" "read retries"
	tctl 0 status "$dev" --raw
	assert_eq "$(tandem_status "$dev")" "$out" "tandemctl status --raw against dmsetup status"
}

# --- status and table --------------------------------------------------------
log "status and table of a fresh device"
check_status_view cp
tctl 0 status cp
assert_eq "source alive 100%" "$(echo "$out" | awk '$1 == "0" { print $2, $3, $4 }')" \
	"leg 0 of a fresh device"
assert_eq "target alive 0%" "$(echo "$out" | awk '$1 == "1" { print $2, $3, $4 }')" \
	"leg 1 of a fresh device"

tctl 0 table cp --raw
assert_eq "$(dmsetup table cp | cut -d' ' -f4-)" "$out" "tandemctl table --raw against dmsetup table"
tctl 0 table cp
expect_in "$out" "region size:  1024 sectors (512 KiB)" "table view"
expect_in "$out" "leg 0:        $(majmin "$d0") (source)" "table view"
expect_in "$out" "leg 1:        $(majmin "$d1") (target)" "table view"
expect_in "$out" "initial sync: skipped (nosync)" "table view"
expect_in "$out" "read weights: default" "table view"

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

tctl 0 reinstate-leg cp 1
expect_in "$out" "cp: leg 1 reinstated" "reinstate-leg reply"
assert_eq AA "$(tandem_field cp 3)" "leg states after reinstate-leg 1"
check_status_view cp

log "requests the kernel refuses: exit 1 with its reason"
tctl 1 reinstate-leg cp 1
expect_in "$err" "rejected by the target: Leg is already healthy" "reinstating a healthy leg"
assert_eq AA "$(tandem_field cp 3)" "leg states after a refused reinstate"

tctl 0 fail-leg cp 1
tctl 1 fail-leg cp 0
expect_in "$err" "rejected by the target: Refusing to fail the last healthy leg" \
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
check_status_view cp

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

log "a leg that missed writes cannot come back: the kernel's reason"
tctl 1 reinstate-leg cp 1
expect_in "$err" "rejected by the target: Leg missed writes while failed and needs a resync" \
	"reinstating a leg that missed writes"
assert_eq AD "$(tandem_field cp 3)" "leg states after the refused reinstate"

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
expect_in "$out" "cd: status v1: 2 legs, states AA, read weights 100 0" "--once log"
dmsetup message cd 0 fail_leg 1
tandemd_run 0 --config "$conf" --once --log-level info
expect_in "$out" "cd: status v1: 2 legs, states AD, read weights 100 0" "--once log, leg 1 failed"
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
wait_until 10 log_has "cd: status v1: 2 legs, states AA, read weights 100 0"
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

log "removing the watched device neither hangs nor goes unnoticed"
swap_back cd1
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
