# The dm-tandem walk-through: tandemd creates a mirrored volume over two
# emulated disks from its configuration, a verified workload reads it
# continuously, the source disk slows down (reads move to the target
# before anything fails), then fails (every read on the target at once, no
# error seen), then comes back (only what it missed is copied, and reads
# return to it gradually). tandemd records what it saw and decided in a
# timeline, which scripts/demo.sh draws on the host.
. /lab/daemon.sh
load_modules dm-tandem dm-delay

say() {
	printf '\n==== %s\n' "$*"
}

# mark LABEL : when something was done, on the timeline's clock (seconds
# since boot), for the plot.
mark() {
	echo "$(cut -d' ' -f1 /proc/uptime) $*" >>"$TANDEMD_DIR/marks.txt"
}

# show_weights SECONDS : the read weights and leg states, once a second.
show_weights() {
	local n=0
	while [ "$n" -lt "$1" ]; do
		echo "    weights $(tandem_weights demo)   legs $(tandem_field demo 3)   (leg 0 source, leg 1 target)"
		sleep 1
		n=$((n + 1))
	done
}

# show_decisions : tandemd's decisions since the last call, indented.
_decisions_seen=0
show_decisions() {
	local log
	log=$(tandemd_log demo)
	grep -E 'demo: (read weights [0-9 ]+ -> |leg |resync)' "$log" | tail -n +$((_decisions_seen + 1)) |
		sed 's/^tandemd: /    tandemd: /'
	_decisions_seen=$(grep -cE 'demo: (read weights [0-9 ]+ -> |leg |resync)' "$log")
}

say "Two 64 MiB disks: the source on dm-delay (so it can be slowed), the target plain"
src=$(make_null_leg source 64)
tgt=$(make_null_leg target 64)
leg_delay source 0
echo "    source: $src    target: $tgt"

say "tandemd's configuration: the volume, created from its legs, and how reads are weighed"
conf=$TANDEMD_DIR/demo.yaml
cat >"$conf" <<EOF
poll_interval_ms: 500
health_interval_ms: 500
weights_interval_ms: 500
devices:
  - name: demo
    metadata: "-"           # bitmap in core only
    nosync: true            # blank disks: nothing to copy
    read_weights: [60, 40]
    legs:
      - device: $src
      - device: $tgt
weighting:                  # defaults but for a quicker failback
  leg_factors: [0.6, 0.4]   # equal health: 60% of reads on the source
  recover_seconds: 3        # healthy this long before failing back ...
  failback_seconds: 12      # ... then ramp its weight up over 12 s
EOF
sed 's/^/    /' "$conf"
tandemd_start demo "$conf" --timeline "$TANDEMD_DIR/timeline.csv"
tandemd_wait demo 15 "demo: created" >/dev/null
echo "    $(tandemd_line demo "demo: created" | sed 's/^tandemd: //')"
echo "    dmsetup table: $(dmsetup table demo)"

say "Write 16 MiB with checksums (fio verify=crc32c), then read it back and verify it, continuously"
pattern_write /dev/mapper/demo 16
reader_start /dev/mapper/demo 16
mark "verified reads"
show_weights 4

say "The source disk slows down: +8, +20, +40 ms an I/O. tandemd sees its latency grow and moves reads to the target"
for ms in 8 20 40; do
	leg_delay source "$ms"
	mark "source +$ms ms"
	echo "    source: +$ms ms an I/O"
	show_weights 5
done
show_decisions

say "The source disk fails: every I/O to it is an error"
mark "source fails"
swap_to_error source
wait_until 15 weights_is demo 0 100
show_weights 3
show_decisions
dmesg | grep 'device-mapper: tandem' | tail -n 1 | sed 's/^/    kernel: /'
reader_alive || die "fio saw an error"
echo "    fio: still reading and verifying, no error"

say "While the source is out, 4 MiB are written: only the target has them"
dd if=/dev/urandom of=/dev/mapper/demo bs=1M seek=32 count=4 oflag=direct 2>/dev/null
echo "    the source lacks $(tandem_out_of_sync demo 0) of $(tandem_nr_regions demo) regions"

say "The source disk is back: reinstated, resynced, and its reads return gradually"
swap_back source
mark "source back"
dmsetup message demo 0 reinstate_leg 0
tandem_wait_idle demo 60
echo "    resync copied $(tandem_sync_field demo regions_copied) regions ($(tandem_sync_field demo kib_copied) KiB); legs $(tandem_field demo 3)"
n=0
while [ "$n" -lt 40 ] && ! weight_at_least demo 0 50; do
	show_weights 1
	n=$((n + 1))
done
show_weights 2
show_decisions

say "Stop the workload and tandemd: the volume keeps running, and nothing was lost"
reader_stop
tandemd_stop demo TERM
echo "    tandemd exited ($TANDEMD_RC); dmsetup info: $(dmsetup info -c --noheadings -o name,attr demo)"
assert_same_data "$src" "$tgt" 131072
echo "    source and target disks are identical"
dmsetup remove demo
say "Demo finished: the timeline of weights, health and reads is drawn on the host"
