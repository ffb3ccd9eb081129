# shellcheck shell=dash
# Helpers for scenarios that run tandemd against live devices (POSIX sh, in
# the VM). Sources shadow.sh, and so tandem.sh.
#
# A daemon is known by a short NAME of the scenario's choosing (one per
# life: a restarted daemon takes a new name, so its log holds only what it
# said itself). Its output goes to $TANDEMD_DIR/NAME.log, its pid to
# $TANDEMD_DIR/NAME.pid. When the scenario ends, pass or fail, every log
# and every file the scenario put in $TANDEMD_DIR (timelines, configs) is
# copied to /results/tandemd/; on a failure the last lines of each log are
# printed as well, so the console shows what the daemon was doing.
. /lab/shadow.sh

TANDEMD_DIR=/tmp/tandemd
mkdir -p "$TANDEMD_DIR"

_daemon_on_exit() {
	local rc=$? f
	set +e
	mkdir -p "$LAB_RESULTS/tandemd"
	cp "$TANDEMD_DIR"/* "$LAB_RESULTS/tandemd/" 2>/dev/null
	if [ "$rc" -ne 0 ]; then
		for f in "$TANDEMD_DIR"/*.log; do
			[ -e "$f" ] || continue
			echo "----- last lines of $f -----" >&2
			tail -n 25 "$f" >&2
		done
		echo "$LAB_NAME: exit status $rc (last step: ${_lab_step:-none})" >&2
	fi
}
trap _daemon_on_exit EXIT

# --- the daemon's life ----------------------------------------------------------

# tandemd_start NAME CONFIG [ARG]... : tandemd --config CONFIG ARGs in the
# background. With TANDEMD_NETNS set, inside that network namespace (the
# peer node's daemon).
tandemd_start() {
	local name=$1 conf=$2 log
	shift 2
	log=$TANDEMD_DIR/$name.log
	[ ! -e "$TANDEMD_DIR/$name.pid" ] || die "a tandemd named $name was started already"
	if [ -n "${TANDEMD_NETNS:-}" ]; then
		# ip netns exec execs the command: $! is tandemd itself.
		/usr/sbin/ip netns exec "$TANDEMD_NETNS" tandemd --config "$conf" "$@" >"$log" 2>&1 &
	else
		tandemd --config "$conf" "$@" >"$log" 2>&1 &
	fi
	echo $! >"$TANDEMD_DIR/$name.pid"
	log "tandemd $name started (pid $!): --config $conf $*"
}

# tandemd_pid NAME
tandemd_pid() {
	cat "$TANDEMD_DIR/$1.pid" 2>/dev/null || die "no tandemd named $1 was started"
}

# tandemd_log NAME : the path of its log.
tandemd_log() {
	echo "$TANDEMD_DIR/$1.log"
}

# tandemd_alive NAME : it is still running.
tandemd_alive() {
	kill -0 "$(tandemd_pid "$1")" 2>/dev/null
}

# tandemd_signal NAME SIGNAL : e.g. tandemd_signal d1 HUP
tandemd_signal() {
	kill -"$2" "$(tandemd_pid "$1")" || die "cannot send SIG$2 to tandemd $1"
}

# tandemd_stop NAME [SIGNAL] [SECONDS] : send SIGNAL (TERM by default) and
# wait up to SECONDS (20) for the daemon to exit; its exit status is left
# in $TANDEMD_RC (128 + n after signal n).
tandemd_stop() {
	local name=$1 sig=${2:-TERM} sec=${3:-20} pid watchdog
	pid=$(tandemd_pid "$name")
	kill -"$sig" "$pid" || die "cannot send SIG$sig to tandemd $name"
	(
		sleep "$sec"
		kill -KILL "$pid" 2>/dev/null && echo "tandemd $name still running $sec s after SIG$sig" >"$TANDEMD_DIR/$name.hung"
	) &
	watchdog=$!
	TANDEMD_RC=0
	wait "$pid" || TANDEMD_RC=$?
	kill "$watchdog" 2>/dev/null || true
	wait "$watchdog" 2>/dev/null || true
	[ ! -e "$TANDEMD_DIR/$name.hung" ] || die "$(cat "$TANDEMD_DIR/$name.hung")"
	log "tandemd $name exited with status $TANDEMD_RC after SIG$sig"
}

# --- its log ---------------------------------------------------------------------

# tandemd_logged NAME TEXT [COUNT] : the log holds TEXT on COUNT lines (1)
# or more.
tandemd_logged() {
	[ "$(grep -cF -- "$2" "$(tandemd_log "$1")")" -ge "${3:-1}" ]
}

# _tandemd_logged_or_died NAME TEXT COUNT : as tandemd_logged; dies at once
# when the daemon has exited without logging it.
_tandemd_logged_or_died() {
	tandemd_logged "$1" "$2" "$3" && return 0
	tandemd_alive "$1" || tandemd_logged "$1" "$2" "$3" ||
		die "tandemd $1 exited before logging '$2'"
	return 1
}

# tandemd_wait NAME SECONDS TEXT [COUNT] : wait until the log holds TEXT (on
# COUNT lines); the line is echoed.
tandemd_wait() {
	local name=$1 sec=$2 text=$3 count=${4:-1}
	wait_until "$sec" _tandemd_logged_or_died "$name" "$text" "$count"
	log "ok: tandemd $name: $(grep -F -- "$text" "$(tandemd_log "$name")" | sed -n "${count}p")"
}

# tandemd_line NAME TEXT : the last line of the log holding TEXT ("" if none).
tandemd_line() {
	grep -F -- "$2" "$(tandemd_log "$1")" | tail -n 1
}

# tandemd_errors NAME [PATTERN]... : the log's error lines that match none
# of the (extended regular expression) PATTERNs, e.g. the failures a
# scenario causes on purpose.
tandemd_errors() {
	local log pat lines
	log=$(tandemd_log "$1")
	shift
	lines=$(grep -E 'error:' "$log" || true)
	for pat in "$@"; do
		lines=$(echo "$lines" | grep -vE -- "$pat" || true)
	done
	echo "$lines" | grep . || true
}

# --- read weights ------------------------------------------------------------------

# tandem_weights NAME : the read weights in the status, "w0 w1 ...".
tandem_weights() {
	tandem_status "$1" | awk '{ for (i = 0; i < $2; i++) printf "%s%s", (i ? " " : ""), $(4 + i); print "" }'
}

# weight_at_least NAME LEG N, weight_at_most NAME LEG N : predicates for
# wait_until on the status's weight of LEG.
weight_at_least() {
	[ "$(tandem_weight "$1" "$2")" -ge "$3" ]
}
weight_at_most() {
	[ "$(tandem_weight "$1" "$2")" -le "$3" ]
}

# weights_steady NAME SECONDS : the weights did not change over SECONDS.
weights_steady() {
	local w
	w=$(tandem_weights "$1")
	sleep "$2"
	[ "$(tandem_weights "$1")" = "$w" ]
}

# leg_reads_above NAME LEG N : the leg has served more than N reads.
leg_reads_above() {
	[ "$(tandem_leg_counter "$1" "$2" reads)" -gt "$3" ]
}

# weights_is NAME W... : the weights are exactly these.
weights_is() {
	local dev=$1
	shift
	[ "$(tandem_weights "$dev")" = "$*" ]
}

# weights_watch_start NAME FILE : record "<uptime_s> <states> <w0> <w1>..."
# every 0.3 s in FILE until weights_watch_stop, so a scenario can look for
# values that lasted shorter than its own checks.
weights_watch_start() {
	rm -f /tmp/weights_watch.stop
	(
		while [ ! -e /tmp/weights_watch.stop ]; do
			st=$(tandem_status "$1" 2>/dev/null) &&
				echo "$(cut -d' ' -f1 /proc/uptime) $(echo "$st" |
					awk '{ printf "%s", $3; for (i = 0; i < $2; i++) printf " %s", $(4 + i); print "" }')"
			sleep 0.3
		done
	) >"$2" &
	WEIGHTS_WATCH=$!
}

weights_watch_stop() {
	touch /tmp/weights_watch.stop
	wait "$WEIGHTS_WATCH" || true
}

# --- slow legs ---------------------------------------------------------------------

# leg_delay NAME MS : every I/O to the leg now takes MS more milliseconds
# (dm-delay under the leg, in steps of the kernel's tick: 4 ms at HZ=250);
# swap_back undoes it.
leg_delay() {
	load_modules dm-delay
	swap_table "$1" delay "$(leg_dev "$1")" 0 "$2"
}

# --- a verified read workload --------------------------------------------------------

# _pattern_job DEV MIB : the fio job that lays the pattern and reads it back.
_pattern_job() {
	echo "--name=pattern --filename=$1 --direct=1 --ioengine=libaio --bs=4k" \
		"--rw=randwrite --size=${2}m --iodepth=8 --randrepeat=1" \
		"--verify=crc32c --verify_fatal=1"
}

# pattern_write DEV MIB : write a checksummed pattern over the first MIB MiB
# of DEV (every 4 KiB block carries its own crc32c header).
pattern_write() {
	# shellcheck disable=SC2046
	fio $(_pattern_job "$1" "$2") --do_verify=0 --output="$TANDEMD_DIR/pattern-write.txt" ||
		die "fio could not write the pattern on $1: $(tail -n 5 "$TANDEMD_DIR/pattern-write.txt")"
}

# reader_start DEV MIB : read the pattern back and verify every block, pass
# after pass, in the background until reader_stop. A pass that fails (an
# I/O error, a block that does not match) ends the reader.
reader_start() {
	rm -f /tmp/reader.stop /tmp/reader.passes
	(
		pass=0
		while [ ! -e /tmp/reader.stop ]; do
			# shellcheck disable=SC2046
			command fio --eta=never $(_pattern_job "$1" "$2") --verify_only \
				--output="$TANDEMD_DIR/reader-pass.txt" || exit 1
			pass=$((pass + 1))
			echo "$pass" >/tmp/reader.passes
		done
	) &
	READER=$!
}

# reader_passes : verified passes so far.
reader_passes() {
	cat /tmp/reader.passes 2>/dev/null || echo 0
}

# reader_passes_above N : more than N passes verified (for wait_until).
reader_passes_above() {
	[ "$(reader_passes)" -gt "$1" ]
}

# reader_alive : the reader has not failed (nor been stopped).
reader_alive() {
	kill -0 "$READER" 2>/dev/null
}

# reader_stop : stop after the current pass; dies if any pass failed.
reader_stop() {
	touch /tmp/reader.stop
	wait "$READER" ||
		die "fio's verified read failed after $(reader_passes) good passes: $(grep -iE 'err|verify' "$TANDEMD_DIR/reader-pass.txt" | head -n 5)"
	log "ok: $(reader_passes) passes of verified reads, no error"
}
