# tandemd's life around a device that must never notice it: a reload with
# a broken configuration is refused with the file, line and reason, and the
# daemon keeps steering; killed with SIGKILL under a verified read workload,
# it takes no I/O with it; restarted, it adopts the device as the kernel
# has it (the same read weights, and it says so) and changes nothing; and
# stopped with SIGTERM, it leaves the device running as it was.
. /lab/daemon.sh
load_modules dm-tandem
require_cmd tandemd

make_null_leg lsrc 64 >/dev/null
make_null_leg ltgt 64 >/dev/null

conf=$TANDEMD_DIR/life.yaml
cat >"$conf" <<EOF
poll_interval_ms: 500
health_interval_ms: 500
weights_interval_ms: 500
devices:
  - name: life
    metadata: "-"
    nosync: true
    read_weights: [70, 30]
    legs:
      - device: /dev/mapper/lsrc
      - device: /dev/mapper/ltgt
EOF
cp "$conf" "$TANDEMD_DIR/life.yaml.good"

log "tandemd creates the device; its weights move from the configured 70 30 to the formula's and settle"
tandemd_start d1 "$conf"
tandemd_wait d1 15 "life: created (uuid TANDEM-life, 2 legs, "
pattern_write /dev/mapper/life 16
reader_start /dev/mapper/life 16
tandemd_wait d1 30 "life: read weights 70 30 -> "
wait_until 20 weights_steady life 3
log "ok: read weights settled at $(tandem_weights life)"

log "SIGHUP with a broken configuration: refused, and the daemon goes on"
sed 's/^poll_interval_ms: 500$/poll_interval_ms: fast/' "$TANDEMD_DIR/life.yaml.good" >"$conf"
grep -q 'poll_interval_ms: fast' "$conf" || die "the configuration was not broken"
tandemd_signal d1 HUP
tandemd_wait d1 10 "received SIGHUP, reloading the configuration"
tandemd_wait d1 10 "$conf:1:19: poll_interval_ms: "
line=$(tandemd_line d1 "$conf:1:19: poll_interval_ms: ")
expect_in "$line" "keeping the previous configuration" "the refused reload's log line"
expect_in "$line" "error:" "the refused reload's log line"
sleep 1
tandemd_alive d1 || die "tandemd exited after a broken reload"
log "ok: still running; it still corrects weights changed behind its back"
other="50 50"
[ "$(tandem_weights life)" != "$other" ] || other="45 55"
dmsetup message life 0 weights $other
tandemd_wait d1 10 "life: the kernel's read weights $other differ from the decided "
wait_until 10 eval '! weights_is life $other'
cp "$TANDEMD_DIR/life.yaml.good" "$conf"

log "SIGKILL under the verified reads"
passes=$(reader_passes)
table=$(dmsetup table life)
weights=$(tandem_weights life)
tandemd_stop d1 KILL
assert_eq 137 "$TANDEMD_RC" "exit status of a killed tandemd"
wait_until 60 reader_passes_above $((passes + 1))
reader_alive || die "the verified reads failed when tandemd was killed"
assert_eq "$weights" "$(tandem_weights life)" "read weights with no daemon"
assert_eq AA "$(tandem_field life 3)" "leg states with no daemon"
log "ok: $(($(reader_passes) - passes)) verified passes since the kill"

log "restarted, tandemd adopts the device as it is"
tandemd_start d2 "$conf"
tandemd_wait d2 15 "life: exists; adopted as it is: 2 legs, states AA, read weights $weights"
tandemd_wait d2 10 "life: weighing reads from weights $weights"
assert_eq "$table" "$(dmsetup table life)" "the table after the adoption"
assert_eq "$weights" "$(tandem_weights life)" "read weights after the adoption"
# A few weight intervals with the same health: nothing to change.
sleep 3
assert_eq "$weights" "$(tandem_weights life)" "read weights 3 s after the adoption"
tandemd_logged d2 "life: read weights $weights -> " &&
	die "the restarted daemon changed the weights: $(tandemd_line d2 "life: read weights $weights -> ")"
tandemd_logged d2 "life: created" && die "the restarted daemon created the device again"

log "SIGTERM: tandemd exits 0 and the device keeps running"
tandemd_stop d2 TERM
assert_eq 0 "$TANDEMD_RC" "tandemd exit status after SIGTERM"
tandemd_logged d2 "received SIGTERM, shutting down" || die "tandemd did not log the SIGTERM"
expect_in "$(dmsetup info life)" "ACTIVE" "the device's state after tandemd stopped"
assert_eq "$table" "$(dmsetup table life)" "the table after tandemd stopped"
passes=$(reader_passes)
wait_until 60 reader_passes_above $((passes + 1))
reader_stop
assert_eq "$weights" "$(tandem_weights life)" "read weights after tandemd stopped"

for d in d1 d2; do
	errors=$(tandemd_errors "$d" "poll_interval_ms: ")
	[ -z "$errors" ] || die "tandemd $d logged errors: $errors"
done
dmsetup remove life
