# tandemd watches a device's shadow and contains a class while the shadow
# misbehaves: it creates the device from its configuration (two legs and a
# shadow on dm-delay, every production bio cloned), learns how the shadow
# behaves under a steady write workload, and when the shadow turns slow
# it says so and limits the `test` class to 100 IO/s, which the kernel's
# status shows and an idle-priority job (a `test` bio by rule) feels.
# Killed while the throttle is in force, tandemd restarted takes it over
# (kept in /run/tandemd) and holds it while the shadow is still slow.
# When the shadow is fast again, it says the shadow recovered and
# restores the class's limits (none).
. /lab/daemon.sh
load_modules dm-tandem dm-delay
require_cmd tandemd

make_null_leg gsrc 64 >/dev/null
make_null_leg gtgt 64 >/dev/null
make_null_leg gshd 64 >/dev/null
leg_delay gshd 0

conf=$TANDEMD_DIR/guard.yaml
cat >"$conf" <<EOF
poll_interval_ms: 500
devices:
  - name: guard
    metadata: "-"
    nosync: true
    legs:
      - device: /dev/mapper/gsrc
      - device: /dev/mapper/gtgt
    shadow:
      device: /dev/mapper/gshd
      mode: async
      sample: 1
rules:
  - class: test
    ioprio: idle
anomaly:
  warmup_windows: 6
  consecutive: 3
  min_bios: 20
  # On a loaded emulated host the shadow's p99 swings by a few times
  # (a stall of the emulator catches a few bios of a window) and its
  # p50 by less: only a latency many times its baseline counts, which
  # the slow shadow's p50 reaches at once.  Judged against the shadow's
  # own learnt baselines only: the clones' worker alone can put the
  # shadow's p99 a few times above production's.
  min_latency_factor: 8
  max_latency_ratio: 0
mitigation:
  throttle_class: test
  throttle_iops: 100
EOF

# now_s : seconds since boot.
now_s() {
	cut -d' ' -f1 /proc/uptime
}

log "tandemd creates the device with its shadow"
tandemd_start d1 "$conf" --log-level debug
tandemd_wait d1 15 "guard: created (uuid TANDEM-guard, 2 legs, "
tandemd_wait d1 10 "guard: rules set: test ioprio=idle"
assert_eq "$(majmin /dev/mapper/gshd)" "$(shadow_field guard dev)" "the shadow in the status"
assert_eq "async 1" "$(shadow_fields guard mode sample)" "shadow mode and sample"
assert_eq "0 0" "$(tandem_class_fields guard iops_limit test) $(tandem_class_fields guard bw_limit test)" \
	"the test class's limits before any anomaly"

log "a steady production workload; the shadow is learnt while it is fast"
command fio --eta=never --name=prod --filename=/dev/mapper/guard --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=4 --size=32m --time_based --runtime=600 \
	--rate_iops=400 --output="$TANDEMD_DIR/prod.txt" &
prod=$!
# warmup_windows polls of 500 ms, and a margin
sleep 8
tandemd_logged d1 "guard: shadow anomalous" && die "an anomaly while the shadow is as fast as ever"
assert_eq 0 "$(tandem_class_field guard test iops_limit)" "the test class's iops limit while the shadow is fast"
[ "$(shadow_op guard write shadow_count)" -gt 500 ] ||
	die "the shadow saw too few writes to learn from: $(shadow_op guard write shadow_count)"

log "the shadow turns slow: +300 ms an I/O"
leg_delay gshd 300
t0=$(now_s)
tandemd_wait d1 30 "guard: shadow anomalous: "
# Every clone is slow, not only the tail: the windows' p50 says so (the
# alert names whichever latency left its bounds first).
grep -Eq "guard: shadow window: write p50 (524288|1048576) us" "$(tandemd_log d1)" ||
	die "no window with the shadow's writes' p50 at 300 ms: $(grep -F "shadow window: write" "$(tandemd_log d1)" | tail -n 3)"
tandemd_wait d1 10 "guard: class test limited to iops 100 bw 0 KiB/s (was iops 0 bw 0 KiB/s)"
wait_until 10 eval '[ "$(tandem_class_field guard test iops_limit)" = 100 ]'
log "ok: the test class is held to $(tandem_class_field guard test iops_limit) IO/s, $(echo "$t0 $(now_s)" | awk '{ printf "%.1f", $2 - $1 }') s after the shadow slowed"

log "an idle-priority job is a test bio: it waits for the class's tokens"
before=$(tandem_class_field guard test throttled)
ionice -c 3 fio --eta=never --name=idle --filename=/dev/mapper/guard --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=8 --size=32m --number_ios=300 \
	--output="$TANDEMD_DIR/idle.txt" || die "the idle-priority job failed"
after=$(tandem_class_field guard test throttled)
[ "$after" -gt "$before" ] || die "no test bio waited for tokens under the throttle ($before -> $after)"
log "ok: $((after - before)) test bios waited for the 100 IO/s limit"
tandemd_alive d1 || die "tandemd died"
kill -0 "$prod" || die "the production workload died while the shadow was slow"

log "tandemd killed while the throttle is in force: a new one takes it over"
guard_file=/run/tandemd/guard.guard
grep -qx "throttle test saved 0 0 pushed 100 0" "$guard_file" ||
	die "$guard_file does not keep the throttle: $(cat "$guard_file" 2>&1)"
tandemd_stop d1 KILL
assert_eq 137 "$TANDEMD_RC" "exit status of a killed tandemd"
assert_eq 1 "$(grep -cF "guard: shadow anomalous: " "$(tandemd_log d1)")" "anomalies the first tandemd reported"
errors=$(tandemd_errors d1)
[ -z "$errors" ] || die "the first tandemd logged errors: $errors"
tandemd_start d2 "$conf" --log-level debug
tandemd_wait d2 15 "guard: class test is still throttled from before the restart; its limits iops 0 bw 0 KiB/s come back once the shadow is within bounds"
# The shadow is still slow: windows go by, the throttle held, nothing sent.
sleep 3
assert_eq 100 "$(tandem_class_field guard test iops_limit)" "the test class's iops limit after the restart"
! tandemd_logged d2 "guard: class test limited to" || die "the new tandemd throttled the class again"
! tandemd_logged d2 "guard: shadow recovered" || die "the new tandemd took the slow shadow for recovered"
log "ok: the new tandemd holds the throttle"

log "the shadow is fast again"
swap_back gshd
tandemd_wait d2 60 "guard: shadow recovered"
tandemd_wait d2 10 "guard: class test limits restored to iops 0 bw 0 KiB/s"
wait_until 10 eval '[ "$(tandem_class_field guard test iops_limit)" = 0 ]'
assert_eq 0 "$(tandem_class_field guard test bw_limit)" "the test class's bw limit after the recovery"
[ ! -e "$guard_file" ] || die "$guard_file outlived the throttle"
log "ok: the test class's limits are none again"
assert_eq 0 "$(grep -cF "guard: shadow anomalous: " "$(tandemd_log d2)")" "anomalies the new tandemd reported"

kill "$prod"
wait "$prod" || true
grep -q ' err= *0:' "$TANDEMD_DIR/prod.txt" || die "the production workload saw errors: $(grep -i err "$TANDEMD_DIR/prod.txt")"
assert_eq "0 0" "$(tandem_leg_counter guard 0 write_errors) $(tandem_leg_counter guard 1 write_errors)" \
	"write errors on the legs"
tandemd_stop d2
assert_eq 0 "$TANDEMD_RC" "tandemd exit status after SIGTERM"
errors=$(tandemd_errors d2)
[ -z "$errors" ] || die "tandemd logged errors: $errors"
