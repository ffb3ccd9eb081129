# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are read by lab and boot.sh
# Decide a run's verdict from what the VM left behind. Sourced by lab.
#
# Inputs: OUT/console.log (kernel and scenario output with the marker lines
# printed by tests/vm/init), OUT/dmesg.txt, OUT/qemu.log, and how the boot
# ended (BOOT_END from boot.sh: exited, timeout, killed, kernel).

# Kernel log lines that fail a run wherever they appear. Only lines with a
# printk timestamp count, so a scenario printing "BUG:" does not; the
# timestamp need not start the line (console output interleaves).
KERNEL_PROBLEMS='Oops|BUG:|kernel BUG at|Kernel panic|WARNING:|general protection|invalid opcode|Call Trace|blocked for more than|detected stall|page allocation failure'
KERNEL_PROBLEM_RE="\[ *[0-9]+\.[0-9]+\] .*($KERNEL_PROBLEMS)"
# Lines that are the kernel's, not the scenario's.
KERNEL_LINE_RE='^\[ *[0-9]+\.[0-9]+\] '

# first_kernel_problem FILE... : the first problem line, timestamp stripped.
# A bare "Call Trace:" says little; name the report it belongs to (the line
# before its "CPU: N PID: ..." header).
first_kernel_problem() {
	local f line
	for f in "$@"; do
		[ -f "$f" ] || continue
		line=$(tr -d '\r' <"$f" | PROBLEMS=$KERNEL_PROBLEMS awk '
			{
				# keep kernel lines only, from their timestamp on, without it
				i = match($0, /\[ *[0-9]+\.[0-9]+\] /)
				if (i == 0) next
				$0 = substr($0, i + RLENGTH)
			}
			/^CPU: [0-9]+ / { header = prev }
			{ prev = $0 }
			$0 ~ ENVIRON["PROBLEMS"] {
				if ($0 ~ /^Call Trace/ && header != "") print "Call Trace after: " header
				else print
				exit
			}' || true)
		if [ -n "$line" ]; then
			cut -c1-200 <<<"$line"
			return 0
		fi
	done
	return 1
}

# marker NAME FILE : the argument of the last "TANDEM-LAB-NAME ..." line.
marker() {
	{ tr -d '\r' <"$2" | grep -a "^TANDEM-LAB-$1" || true; } | tail -n1 | sed "s/^TANDEM-LAB-$1 *//"
}

# scenario_reason NAME FILE : why the scenario failed, in its own words:
# its die message, else the exit line lib.sh prints, else its last line.
scenario_reason() {
	local name=$1 out
	out=$(tr -d '\r' <"$2" | sed -n '/^TANDEM-LAB-START/,/^TANDEM-LAB-EXIT/p' |
		grep -avE "$KERNEL_LINE_RE|^TANDEM-LAB-" | sed '/^[[:space:]]*$/d')
	local r
	r=$(grep -a "^$name: FAIL: " <<<"$out" | tail -n1 | sed "s/^$name: FAIL: //" || true)
	[ -n "$r" ] || r=$(grep -a "^$name: exit status " <<<"$out" | tail -n1 | sed "s/^$name: //" || true)
	[ -n "$r" ] || r=$(tail -n1 <<<"$out")
	echo "$r" | cut -c1-200
}

# decide_verdict NAME OUT EXPECT_KILL : set VERDICT (PASS, FAIL, KILLED) and
# REASON. EXPECT_KILL=1 for --kill-after runs, where being killed is the
# expected outcome and finishing is not.
decide_verdict() {
	local name=$1 out=$2 expect_kill=$3 con="$2/console.log" problem code
	VERDICT=FAIL
	REASON=""
	touch "$con"
	if problem=$(first_kernel_problem "$con" "$out/dmesg.txt"); then
		REASON="kernel: $problem"
	elif [ "$BOOT_END" = timeout ]; then
		REASON="timeout after ${TIMEOUT}s (last output: $(grep -av '^$' "$con" | tail -n1 | tr -d '\r' | cut -c1-120))"
	elif [ "$BOOT_END" = killed ]; then
		VERDICT=KILLED
	elif [ -n "$(marker ERROR "$con")" ]; then
		REASON="lab: $(marker ERROR "$con")"
	elif ! grep -aq '^TANDEM-LAB-EXIT' "$con"; then
		if [ "$QEMU_RC" -ne 0 ] && [ -s "$out/qemu.log" ]; then
			REASON="qemu (status $QEMU_RC): $(grep -av '^$' "$out/qemu.log" | head -n1 | cut -c1-160)"
		else
			REASON="the VM stopped before the scenario finished (see console.log)"
		fi
	elif code=$(marker EXIT "$con") && [ "$code" != 0 ]; then
		REASON=$(scenario_reason "$name" "$con")
		[ -n "$REASON" ] || REASON="exit status $code"
	elif [ "$(marker RESULTS "$con")" != ok ]; then
		REASON="results not written back: $(marker RESULTS "$con")"
	elif [ "$RESULTS_OK" != 1 ]; then
		REASON="cannot extract the results from the lab disk"
	elif [ "$expect_kill" = 1 ]; then
		REASON="the scenario finished before --kill-after fired (make it run longer)"
	else
		VERDICT=PASS
	fi
}

# boot_fault_before_start CONSOLE : whether the kernel reported a problem
# before the scenario started (no TANDEM-LAB-START line before it), with
# no module of ours loaded: a fault of the emulated machine's boot, not
# of the scenario, which is worth one more boot.
boot_fault_before_start() {
	tr -d '\r' <"$1" | PROBLEMS=$KERNEL_PROBLEMS awk '
		/^TANDEM-LAB-START/ { exit 1 }
		/dm_tandem|dm-tandem/ { exit 1 }
		{
			i = match($0, /\[ *[0-9]+\.[0-9]+\] /)
			if (i == 0) next
			if (substr($0, i + RLENGTH) ~ ENVIRON["PROBLEMS"]) { found = 1; exit 0 }
		}
		END { if (!found) exit 1 }'
}

# impossible_cpu_state CONSOLE : whether the kernel reported a fault whose
# saved EFLAGS has the virtual-8086 bit (17) set.  No 64-bit kernel code
# can run with it, so the emulated CPU, not the code it ran, was at
# fault; the scenario is worth one more run.
impossible_cpu_state() {
	tr -d '\r' <"$1" | awk '
		/ EFLAGS: [0-9a-f]+/ {
			v = $0; sub(/.* EFLAGS: /, "", v); sub(/[^0-9a-f].*/, "", v)
			n = 0
			for (i = 1; i <= length(v); i++)
				n = n * 16 + index("0123456789abcdef", substr(v, i, 1)) - 1
			if (int(n / 131072) % 2 == 1) { found = 1; exit 0 }
		}
		END { exit found ? 0 : 1 }'
}
