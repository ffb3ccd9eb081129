# Helpers for scenarios that drive the tandem target (POSIX sh, in the VM).
# Sourced after lib.sh.  Status field layout: docs/target.md, "Status".

TANDEM_SECTORS=${TANDEM_SECTORS:-262144}	# 128 MiB

# tandem_create <name> <region_sectors> <leg>... [-- <feature words>...]
# Creates a tandem device over the legs with "nosync" plus any features.
tandem_create() {
	_name=$1 _region=$2
	shift 2
	_legs="" _n=0
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_legs="$_legs $1"
		_n=$((_n + 1))
		shift
	done
	[ "${1:-}" = "--" ] && shift
	_nf=$((1 + $#))
	dmsetup create "$_name" --table \
		"0 $TANDEM_SECTORS tandem - $_region $_n$_legs $_nf nosync $*"
}

# tandem_status <name>: the target's part of the status line.
tandem_status() {
	dmsetup status "$1" | cut -d' ' -f4-
}

# tandem_field <name> <n>: the n-th (1-based) field of tandem_status.
tandem_field() {
	tandem_status "$1" | awk -v n="$2" '{ print $n }'
}

tandem_nr_legs() {
	tandem_field "$1" 2
}

# tandem_leg_state <name> <leg>: A or D
tandem_leg_state() {
	tandem_field "$1" 3 | cut -c$(($2 + 1))
}

tandem_weight() {
	tandem_field "$1" $((4 + $2))
}

# tandem_leg_counter <name> <leg> reads|writes|read_errors|write_errors
tandem_leg_counter() {
	_n=$(tandem_nr_legs "$1")
	case $3 in
	reads) _off=0 ;;
	writes) _off=1 ;;
	read_errors) _off=2 ;;
	write_errors) _off=3 ;;
	*) die "unknown leg counter $3" ;;
	esac
	tandem_field "$1" $((4 + _n + 4 * $2 + _off))
}

tandem_read_retries() {
	_n=$(tandem_nr_legs "$1")
	tandem_field "$1" $((4 + _n + 4 * _n))
}

# Status version 2 fields, after read_retries.
_tandem_sync_base() {
	_n=$(tandem_nr_legs "$1")
	echo $((5 + _n + 4 * _n))
}

tandem_nr_regions() {
	tandem_field "$1" "$(_tandem_sync_base "$1")"
}

# tandem_out_of_sync <name> <leg>: regions the leg lacks
tandem_out_of_sync() {
	tandem_field "$1" $(($(_tandem_sync_base "$1") + 1 + $2))
}

# tandem_sync_field <name> action|rate|regions_copied|kib_copied
tandem_sync_field() {
	_n=$(tandem_nr_legs "$1")
	case $2 in
	action) _off=1 ;;
	rate) _off=2 ;;
	regions_copied) _off=3 ;;
	kib_copied) _off=4 ;;
	metadata) _off=5 ;;
	resync_mode) _off=6 ;;
	blocks_compared) _off=7 ;;
	blocks_copied) _off=8 ;;
	check) _off=9 ;;
	check_regions_done) _off=10 ;;
	check_mismatches) _off=11 ;;
	*) die "unknown sync field $2" ;;
	esac
	tandem_field "$1" $(($(_tandem_sync_base "$1") + _n + _off))
}

# tandem_wait_for <name> <sync field> <value> <seconds> <what>: poll the
# status until the field has the value.
tandem_wait_for() {
	_t=$4
	while [ "$(tandem_sync_field "$1" "$2")" != "$3" ]; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || die "$1: $5 not finished: $(tandem_status "$1")"
		sleep 1
	done
}

# tandem_wait_check <name> [seconds]: wait until a verify/repair pass ends.
tandem_wait_check() {
	tandem_wait_for "$1" check idle "${2:-120}" "verify/repair"
}

# tandem_wait_idle <name> [seconds]: wait until nothing is left to resync.
tandem_wait_idle() {
	tandem_wait_for "$1" action idle "${2:-120}" "resync"
}

# dm event counter of a device: grows on every dm_table_event().
dm_event_nr() {
	dmsetup info -c --noheadings -o events "$1" | tr -d ' '
}

# assert_within <value> <expected> <tolerance> <what>
assert_within() {
	_d=$(($1 - $2))
	[ $_d -lt 0 ] && _d=$((-_d))
	[ $_d -le "$3" ] || die "$4: $1 is not within $3 of $2"
	log "ok: $4: $1 (expected $2 +-$3)"
}

# Compare the first <sectors> of two devices byte for byte, as they are on
# disk: the resync writes legs beneath their page caches, so drop those.
assert_same_data() {
	_sz=$(($3 * 512))
	blockdev --flushbufs "$1"
	blockdev --flushbufs "$2"
	echo 3 >/proc/sys/vm/drop_caches
	if ! cmp -s -n "$_sz" "$1" "$2"; then
		die "$1 and $2 differ"
	fi
	log "ok: $1 and $2 hold the same $3 sectors"
}

# fio job writing then verifying a pattern through <dev>; extra args appended.
fio_verify_write() {
	_dev=$1
	shift
	fio --name=verify --filename="$_dev" --direct=1 --ioengine=libaio \
		--rw=randwrite --bs=4k --bsrange=4k-64k --iodepth=16 \
		--size=$((TANDEM_SECTORS * 512)) --verify=crc32c --verify_fatal=1 \
		--do_verify=1 --randrepeat=1 --output-format=terse "$@" >/dev/null
}

# Background write+verify rounds on <dev> (32 MiB each, new seed each
# round) until verify_writer_stop; a failed round ends the writer with an
# error.  verify_writer_rounds tells how many rounds completed.
verify_writer_start() {
	rm -f /tmp/verify_writer.stop /tmp/verify_writer.rounds
	(
		round=0
		while [ ! -e /tmp/verify_writer.stop ]; do
			fio_verify_write "$1" --size=32m --randseed=$round || exit 1
			round=$((round + 1))
			echo $round >/tmp/verify_writer.rounds
		done
	) &
	VERIFY_WRITER=$!
}

verify_writer_rounds() {
	cat /tmp/verify_writer.rounds 2>/dev/null || echo 0
}

# verify_writer_stop: stop after the current round; fails if any round did.
verify_writer_stop() {
	touch /tmp/verify_writer.stop
	wait "$VERIFY_WRITER"
}

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

# expect_table_refused <reason> <table>: creating device "bad" with the
# table fails, leaves no such device, and the kernel logs
# "tandem: <reason>".
expect_table_refused() {
	if dmsetup create bad --table "$2" 2>/dev/null; then
		die "table accepted: $2"
	fi
	dmsetup info bad >/dev/null 2>&1 && die "device exists after a refused table: $2"
	dmesg | tail -n 5 | grep -qF "tandem: $1" ||
		die "no 'tandem: $1' in the kernel log for: $2"
}

# expect_message_refused <name> <reason> <message words>...: the message
# fails and the kernel logs "rejected: <reason>".
expect_message_refused() {
	_name=$1 _reason=$2
	shift 2
	# "--": some bad arguments look like options to dmsetup.
	if dmsetup message "$_name" 0 -- "$@" 2>/dev/null; then
		die "message accepted: $*"
	fi
	dmesg | tail -n 3 | grep -qF "rejected: $_reason" ||
		die "no 'rejected: $_reason' in the kernel log for message: $*"
}

# Status version 5: the class scheduler, after check_mismatches. Each
# helper reads one status line (a consistent snapshot, and dmsetup is slow
# under emulation): queue_depth is field 17 + 6 * #legs, then in_flight,
# #classes, 11 fields per class, #rules.
_TANDEM_V5='b = 17 + 6 * $2; nc = $(b + 2)'

# _tandem_v5 <name> <awk program>: run the program on the status line, with
# b (index of queue_depth) and nc (#classes) set.
_tandem_v5() {
	tandem_status "$1" | awk "{ $_TANDEM_V5; $2 }"
}

# tandem_queue_depth <name>, tandem_in_flight <name>, tandem_nr_classes
# <name>, tandem_nr_rules <name>
tandem_queue_depth() {
	_tandem_v5 "$1" 'print $b'
}

tandem_in_flight() {
	_tandem_v5 "$1" 'print $(b + 1)'
}

tandem_nr_classes() {
	_tandem_v5 "$1" 'print nc'
}

tandem_nr_rules() {
	_tandem_v5 "$1" 'print $(b + 3 + 11 * nc)'
}

# tandem_class_names <name>: the classes, in status order.
tandem_class_names() {
	_tandem_v5 "$1" 'for (i = 0; i < nc; i++) printf "%s%s", (i ? " " : ""), $(b + 3 + 11 * i); print ""'
}

# tandem_class_fields <name> <field> <class>...: the field of each class,
# space separated, from one status line. Fields: weight iops_limit
# bw_limit bios kib queued waited throttled p50_us p99_us.
tandem_class_fields() {
	case $2 in
	weight) _off=1 ;;
	iops_limit) _off=2 ;;
	bw_limit) _off=3 ;;
	bios) _off=4 ;;
	kib) _off=5 ;;
	queued) _off=6 ;;
	waited) _off=7 ;;
	throttled) _off=8 ;;
	p50_us) _off=9 ;;
	p99_us) _off=10 ;;
	*) die "unknown class field $2" ;;
	esac
	_dev=$1 _f=$2
	shift 2
	tandem_status "$_dev" | awk -v want="$*" -v off="$_off" "{ $_TANDEM_V5 }"'
		{
			n = split(want, w, " ")
			for (k = 1; k <= n; k++) {
				v = ""
				for (i = 0; i < nc; i++)
					if ($(b + 3 + 11 * i) == w[k]) v = $(b + 3 + 11 * i + off)
				if (v == "") { print "no class " w[k] > "/dev/stderr"; exit 1 }
				printf "%s%s", (k > 1 ? " " : ""), v
			}
			print ""
		}' || die "$_dev: cannot read $_f of classes $*"
}

# tandem_class_field <name> <class> <field>: one field of one class.
tandem_class_field() {
	tandem_class_fields "$1" "$3" "$2"
}

# tandem_rules <name>: the "rule list" reply, one rule a line.
tandem_rules() {
	dmsetup message "$1" 0 rule list
}

# fio_terse_field <terse line> <n>: the n-th ';'-separated field (3 job
# name, 7 read KiB/s, 8 read IOPS, 48 write KiB/s, 49 write IOPS).
fio_terse_field() {
	echo "$1" | cut -d';' -f"$2"
}

# fio_terse_pct <terse line> <percentile>: the first (read, else write)
# completion-latency percentile in microseconds, e.g. 99.000000.
fio_terse_pct() {
	echo "$1" | tr ';' '\n' | grep -m1 "^$2%=" | cut -d= -f2
}
