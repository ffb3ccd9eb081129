# tandemd steers reads away from a leg that is slowing down, before it
# fails: the source leg sits on dm-delay, and as its latency grows step by
# step the target's read weight rises above its 40% share while both legs
# are still alive. When the source then fails under a verified read
# workload, the target gets every read within a poll interval (plus a
# margin for the emulated machine) and fio sees no error. Once the source
# is back and resynced, its weight comes back gradually, not in one jump.
# Weighting defaults (factors 0.6/0.4, deadband, rate cap, trend), with the
# failback timings shortened so the scenario stays short.
. /lab/daemon.sh
load_modules dm-tandem dm-delay
require_cmd tandemd

src=$(make_null_leg src 64)
tgt=$(make_null_leg tgt 64)
leg_delay src 0
TANDEM_SECTORS=131072 tandem_create steer 1024 "$src" "$tgt" -- read_weights 60 40

conf=$TANDEMD_DIR/steer.yaml
cat >"$conf" <<EOF
poll_interval_ms: 500
health_interval_ms: 500
weights_interval_ms: 500
devices:
  - name: steer
weighting:
  recover_seconds: 3
  failback_seconds: 12
EOF

# now_s : seconds since boot, with centiseconds, the clock weights_watch uses.
now_s() {
	cut -d' ' -f1 /proc/uptime
}

log "a verified pattern, read back continuously while tandemd watches"
pattern_write /dev/mapper/steer 16
tandemd_start d1 "$conf" --timeline "$TANDEMD_DIR/timeline.csv"
tandemd_wait d1 15 "steer: weighing reads from weights 60 40"
weights_watch_start steer "$TANDEMD_DIR/weights.txt"
reader_start /dev/mapper/steer 16
sleep 3
assert_eq "60 40" "$(tandem_weights steer)" "read weights while both legs are fast"

# shifted_while_alive : one status line shows the target above its 40%
# share with both legs alive and the source without a single error.
shifted_while_alive() {
	tandem_status steer | awk '$3 == "AA" && $5 > 40 && $8 == 0 && $9 == 0 { ok = 1 } END { exit !ok }'
}

log "the source slows down step by step"
shifted=""
for ms in 8 20 40 80 160; do
	leg_delay src "$ms"
	log "source leg: +$ms ms an I/O; read weights $(tandem_weights steer)"
	n=0
	while [ $n -lt 30 ]; do
		if shifted_while_alive; then
			shifted=$ms
			break 2
		fi
		sleep 0.3
		n=$((n + 1))
	done
done
[ -n "$shifted" ] || die "the target's read weight never rose above 40 while the source slowed: $(tandem_status steer)"
log "ok: at +$shifted ms the read weights are $(tandem_weights steer), legs $(tandem_field steer 3), no error on the source"
line=$(tandemd_line d1 "steer: read weights 60 40 -> ")
[ -n "$line" ] || die "tandemd did not log the first shift from 60 40"
log "ok: $line"
reader_alive || die "the verified reads failed while the source was slow"

log "the source fails under the verified reads"
t0=$(now_s)
swap_to_error src
wait_until 10 weights_is steer 0 100
t1=$(now_s)
log "ok: read weights 0 100 $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s after the source failed"
# One poll interval (0.5 s) plus a margin for the emulated machine.
echo "$t0 $t1" | awk '{ exit !($2 - $1 <= 5.5) }' ||
	die "the failover took $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s, more than a poll interval and a 5 s margin"
assert_eq D "$(tandem_leg_state steer 0)" "state of the failed source"
tandemd_wait d1 10 "-> 0 100: leg 0 failed over: not readable"
wait_until 20 leg_reads_above steer 1 $(($(tandem_leg_counter steer 1 reads) + 500))
reader_alive || die "the verified reads failed when the source did"

log "writes the failed source misses, then it comes back"
dd if=/dev/urandom of=/dev/mapper/steer bs=1M seek=32 count=4 oflag=direct 2>/dev/null ||
	die "writes failed with the target alone"
missed=$(tandem_out_of_sync steer 0)
[ "$missed" -gt 0 ] || die "the failed source missed no region"
swap_back src
dmsetup message steer 0 reinstate_leg 0
tandem_wait_idle steer 60
resynced=$(now_s)
assert_eq AA "$(tandem_field steer 3)" "leg states after the resync"
assert_eq 0 "$(tandem_out_of_sync steer 0)" "regions the source lacks after the resync"
log "ok: the source is back in sync ($missed regions copied)"

log "its read weight comes back gradually"
wait_until 60 weight_at_least steer 0 50
final=$(tandem_weight steer 0)
reader_stop
weights_watch_stop
log "read weights now $(tandem_weights steer)"

# Once failed over, while failed or resyncing, the source had no weight.
bad=$(awk -v t="$t1" '$1 >= t && $2 != "AA" && $3 != 0' "$TANDEMD_DIR/weights.txt")
[ -z "$bad" ] || die "the source had a read weight while out of service: $bad"
# Between the resync and the final share, at least one value in between.
steps=$(awk -v t="$resynced" -v f="$final" '$1 >= t && $3 > 0 && $3 < f { print $3 }' \
	"$TANDEMD_DIR/weights.txt" | uniq | tr '\n' ' ' | sed 's/ $//')
[ -n "$steps" ] || die "the source's weight jumped from 0 to $final with nothing in between"
log "ok: source weight after the resync: 0, then $steps, then $final"
tandemd_logged d1 "steer: read weights 0 100 -> " || die "tandemd did not log the failback"
tandemd_line d1 "failing back: ramp" | grep -q . || die "no failback ramp in the log"

tandemd_stop d1
assert_eq 0 "$TANDEMD_RC" "tandemd exit status after SIGTERM"

log "the timeline holds what tandemd saw and decided"
timeline=$TANDEMD_DIR/timeline.csv
assert_eq "time_s,device,leg0_weight,leg0_health,leg0_state,leg0_reads,leg1_weight,leg1_health,leg1_state,leg1_reads" \
	"$(head -n 1 "$timeline")" "the timeline's header"
# timeline_rows AWK-CONDITION : rows of steer that meet it (fields: 3 weight,
# 4 health, 5 state, 6 reads of leg 0; 7..10 of leg 1).
timeline_rows() {
	awk -F, "NR > 1 && \$2 == \"steer\" && ($1)" "$timeline" | wc -l
}
[ "$(timeline_rows '$5 == "A" && $9 == "A" && $7 > 40')" -gt 0 ] ||
	die "no timeline row has the target above 40 with both legs alive"
[ "$(timeline_rows '$5 == "D" && $3 == 0 && $7 == 100')" -gt 0 ] ||
	die "no timeline row has the failed source at 0 and the target at 100"
[ "$(timeline_rows '$5 == "A" && $3 > 0 && $3 < 50 && $1 > '"$resynced")" -gt 0 ] ||
	die "no timeline row has the source failing back after the resync"
[ "$(timeline_rows '$4 != "" && $4 < 90 && $5 == "A"')" -gt 0 ] ||
	die "no timeline row has the slow source's health below 90"
last_reads=$(awk -F, 'END { print $6 }' "$timeline")
[ "$last_reads" -gt 1000 ] || die "the timeline's last row counts $last_reads reads on the source"
log "ok: $(($(wc -l <"$timeline") - 1)) timeline rows"
errors=$(tandemd_errors d1)
[ -z "$errors" ] || die "tandemd logged errors: $errors"
dmsetup remove steer
