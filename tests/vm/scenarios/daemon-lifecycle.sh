# tandemd's life around a device that must never notice it: a reload with
# a broken configuration is refused with the file, line and reason, and the
# daemon keeps steering; killed with SIGKILL under a verified read workload,
# it takes no I/O with it; restarted, it adopts the device as the kernel
# has it (the same read weights, and it says so) and changes nothing;
# stopped with SIGTERM, it leaves the device running as it was; and when the
# device was renamed while no daemon ran, the next one finds it by its uuid
# and renames it back, data and table untouched, and tandemctl finds it by
# its uuid too.
. /lab/daemon.sh
load_modules dm-tandem
require_cmd tandemd tandemctl

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

log "renamed with no daemon running: tandemctl finds it by its uuid, under its new name"
dm_uuid() {
	dmsetup info -c --noheadings -o uuid "$1"
}
assert_eq TANDEM-life "$(dm_uuid life)" "the device's uuid"
dmsetup rename life life-moved
dmsetup info life >/dev/null 2>&1 && die "the device is still named life after dmsetup rename"
tctl 0 status uuid:TANDEM-life
expect_in "$out" "life-moved: 2 legs" "tandemctl status uuid:TANDEM-life while renamed"
tctl 0 list
assert_eq "life-moved  TANDEM-life  legs AA  weights $weights  in sync" "$out" "tandemctl list while renamed"

log "restarted, tandemd finds it by its uuid and renames it back"
tandemd_start d3 "$conf"
tandemd_wait d3 15 "life: found by uuid TANDEM-life as life-moved; renamed to life"
tandemd_wait d3 15 "life: exists; adopted as it is: 2 legs, states AA, read weights $weights"
dmsetup info life-moved >/dev/null 2>&1 && die "a device is still named life-moved"
assert_eq TANDEM-life "$(dm_uuid life)" "the uuid after the rename back"
assert_eq "$table" "$(dmsetup table life)" "the table after the rename back"
[ -b /dev/mapper/life ] || die "no /dev/mapper/life after the rename back"
reader_start /dev/mapper/life 16
wait_until 60 reader_passes_above 1
reader_stop
tandemd_logged d3 "life: created" && die "the daemon created the device rather than renaming it"
assert_eq 1 "$(grep -cF "found by uuid" "$(tandemd_log d3)")" "log lines about the rename"

log "tandemctl list and uuid:TANDEM-life find it under its name again"
tctl 0 list
case "$out" in
"life  TANDEM-life  legs AA  weights "*"  in sync") ;;
*) die "tandemctl list: expected one line for life, got: $out" ;;
esac
tctl 0 list --json
expect_in "$out" '"name": "life"' "tandemctl list --json"
expect_in "$out" '"uuid": "TANDEM-life"' "tandemctl list --json"
tctl 0 status uuid:TANDEM-life
expect_in "$out" "life: 2 legs" "tandemctl status uuid:TANDEM-life"
tctl 1 status uuid:TANDEM-nothing
expect_in "$err" "no device has uuid TANDEM-nothing" "tandemctl status with an unknown uuid"
tandemd_stop d3 TERM
assert_eq 0 "$TANDEMD_RC" "tandemd exit status after SIGTERM"

for d in d1 d2 d3; do
	errors=$(tandemd_errors "$d" "poll_interval_ms: ")
	[ -z "$errors" ] || die "tandemd $d logged errors: $errors"
done
dmsetup remove life
