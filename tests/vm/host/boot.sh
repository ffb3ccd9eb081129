# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are read by lab
# Boot one VM and watch it until it powers off or must be stopped.
# Sourced by lab; needs common.sh and verdict.sh (KERNEL_PROBLEM_RE).
#
# Inputs (globals): VMLINUX INITRAMFS MEM SMP DISKS[] TIMEOUT KILL_AFTER
# VERBOSE LAB_INPUT_BYTES (size of the scenario tar on the lab disk). Results (globals): BOOT_END = exited | timeout | killed | kernel,
# QEMU_RC, T_BOOT / T_SCENARIO (seconds, as text).

# Kernel command line. quiet keeps the emulated boot short; init raises the
# console log level once the scenario starts. Any oops or WARN panics, and
# panic=-1 with -no-reboot turns a panic into an immediate QEMU exit.
LAB_CMDLINE="console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 hung_task_panic=1 i8042.noaux=1"

# qemu_args OUT MODE : fill QEMU_ARGS for a run (MODE=run) or an interactive
# shell (MODE=shell, console on this terminal).
qemu_args() {
	local out=$1 mode=$2 i
	QEMU_ARGS=(qemu-system-x86_64
		-accel tcg -cpu max -smp "$SMP" -m "$MEM"
		-nodefaults -no-user-config -display none -no-reboot
		-kernel "$VMLINUX" -initrd "$INITRAMFS"
		-append "$LAB_CMDLINE lab.mode=$mode lab.disks=${#DISKS[@]} lab.input=$LAB_INPUT_BYTES")
	if [ "$mode" = shell ]; then
		QEMU_ARGS+=(-serial mon:stdio)
	else
		QEMU_ARGS+=(-serial "file:$out/console.log")
	fi
	# User disks first, in order, so they become vda, vdb, ...; each has a
	# serial the init checks. cache=writeback: a killed QEMU loses only what
	# the guest had not yet written out, like a power cut.
	for i in "${!DISKS[@]}"; do
		QEMU_ARGS+=(-drive "file=${DISKS[$i]},format=raw,if=none,id=disk$i,cache=writeback,discard=unmap"
			-device "virtio-blk-pci,drive=disk$i,serial=disk$i")
	done
	QEMU_ARGS+=(-drive "file=$out/lab.img,format=raw,if=none,id=lab"
		-device "virtio-blk-pci,drive=lab,serial=lab")
}

# now_ms : wall clock in milliseconds.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# secs MS : milliseconds as seconds with one decimal.
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# boot_vm OUT : boot, wait, stop QEMU hard on timeout, --kill-after or a
# kernel problem that does not panic by itself (soft lockup, hung task).
boot_vm() {
	local out=$1 t0 now started="" problem_at="" tick=0 tail_pid=""
	qemu_args "$out" run
	printf '%q ' "${QEMU_ARGS[@]}" >"$out/qemu.cmd"
	echo >>"$out/qemu.cmd"
	: >"$out/console.log"
	BOOT_END=exited
	QEMU_RC=0
	T_BOOT=""
	T_SCENARIO=""

	t0=$(now_ms)
	"${QEMU_ARGS[@]}" </dev/null >"$out/qemu.log" 2>&1 &
	QEMU_PID=$!
	if [ "$VERBOSE" = 1 ]; then
		tail -n +1 -F --pid="$QEMU_PID" "$out/console.log" >&2 2>/dev/null &
		tail_pid=$!
	fi

	while kill -0 "$QEMU_PID" 2>/dev/null; do
		sleep 0.2
		now=$(now_ms)
		tick=$((tick + 1))
		if [ -z "$started" ] && grep -aq '^TANDEM-LAB-START' "$out/console.log"; then
			started=$now
		fi
		if [ -n "$KILL_AFTER" ] && [ -n "$started" ] &&
			[ $((now - started)) -ge $((KILL_AFTER * 1000)) ]; then
			BOOT_END=killed
		elif [ $((now - t0)) -ge $((TIMEOUT * 1000)) ]; then
			BOOT_END=timeout
		elif [ -z "$problem_at" ] && [ $((tick % 5)) -eq 0 ] &&
			tr -d '\r' <"$out/console.log" | grep -aqE "$KERNEL_PROBLEM_RE"; then
			problem_at=$now # give the kernel a moment to print the whole report
		elif [ -n "$problem_at" ] && [ $((now - problem_at)) -ge 5000 ]; then
			BOOT_END=kernel
		fi
		if [ "$BOOT_END" != exited ]; then
			kill -KILL "$QEMU_PID" 2>/dev/null || true
			break
		fi
	done
	# (stderr: no "Killed" job notice from bash when we stopped it)
	wait "$QEMU_PID" 2>/dev/null || QEMU_RC=$?
	[ -z "$tail_pid" ] || wait "$tail_pid" 2>/dev/null || true

	now=$(now_ms)
	if [ -n "$started" ]; then
		T_BOOT=$(secs $((started - t0)))
		T_SCENARIO=$(secs $((now - started)))
	fi
	T_TOTAL=$(secs $((now - t0)))
}

# shell_vm : an interactive VM on this terminal (no timeout, no verdict).
shell_vm() {
	local out=$1
	qemu_args "$out" shell
	msg "interactive VM; Ctrl-A x quits QEMU"
	"${QEMU_ARGS[@]}"
}
