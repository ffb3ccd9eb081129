# The VM side of tests/vm/crash/power-cut.sh (run that, not this).
# Disks: /dev/vda, /dev/vdb (legs), /dev/vdc (metadata).  PHASE:
#   write   create the device, write block i (content "gen i") at position
#           i * 7919 mod 16384 (all distinct) and print "acked i" once the
#           write returned, until the power is cut
#   check   recreate the device on the same disks: only dirty regions are
#           resynced, the legs end identical, every block <= ACKED reads back
. /lab/tandem.sh
load_modules dm-tandem

# shellcheck disable=SC2086 # one word per disk
set -- $LAB_DISKS
[ $# -eq 3 ] || die "needs three --disk images, got: '$LAB_DISKS'"
leg0=$1 leg1=$2 meta=$3
sectors=131072				# 64 MiB
table="0 $sectors tandem $meta 16 2 $leg0 $leg1 1 nosync"	# 8 KiB regions
blocks=16384

position() {
	echo $(($1 * 7919 % blocks))
}

case "${PHASE:-}" in
write)
	dmsetup create cr --table "$table"
	assert_eq ok "$(tandem_sync_field cr metadata)" "metadata state"
	i=0
	while :; do
		printf 'gen %08d\n' "$i" |
			dd of=/dev/mapper/cr bs=4096 seek="$(position $i)" \
				conv=sync,notrunc,fsync oflag=direct 2>/dev/null ||
			die "write $i failed"
		echo "acked $i"
		i=$((i + 1))
	done
	;;
check)
	# Paused, so the regions to resync can be counted before the copy.
	dmsetup create cr --table "${table% 1 nosync} 3 nosync sync_rate 0"
	regions=$(tandem_nr_regions cr)
	# Intents reach each leg's bitmap in its own write: a cut between them
	# leaves a region marked on one leg only, whose data no write had
	# touched yet; that region is copied to the leg it is marked on.
	lack0=$(tandem_out_of_sync cr 0)
	lack1=$(tandem_out_of_sync cr 1)
	dirty=$((lack0 + lack1))
	log "after the power cut: leg 0 lacks $lack0, leg 1 lacks $lack1 of $regions regions"
	[ "$dirty" -le $((regions / 4)) ] ||
		die "$dirty of $regions regions to resync: the bitmap did not limit the resync"
	dmsetup message cr 0 sync_rate 65536
	tandem_wait_idle cr 120
	copied=$(tandem_sync_field cr regions_copied)
	assert_eq "$dirty" "$copied" "regions resynced"
	echo "power-cut: resynced $copied of $regions regions"
	assert_same_data "$leg0" "$leg1" $sectors

	dd if=/dev/mapper/cr of=/tmp/volume bs=1M iflag=direct 2>/dev/null
	i=0
	while [ "$i" -le "$ACKED" ]; do
		got=$(dd if=/tmp/volume bs=4096 skip="$(position $i)" count=1 2>/dev/null | head -n 1)
		[ "$got" = "$(printf 'gen %08d' "$i")" ] ||
			die "block $i at $(position $i) reads '$got' after the power cut"
		i=$((i + 1))
	done
	log "ok: all $((ACKED + 1)) acknowledged blocks read back"
	dmsetup remove cr
	;;
*)
	die "unknown PHASE '${PHASE:-}'"
	;;
esac
