# shellcheck shell=dash
# Helpers for lab scenarios. Sourced by the VM's init before the scenario,
# which runs under busybox `sh -e`: POSIX sh (plus `local`), no bash-isms.
#
# Environment set by the lab:
#   LAB_NAME     scenario name (file name without .sh)
#   LAB_KERNEL   kernel release (uname -r)
#   LAB_DISKS    the --disk images, in order: "/dev/vda /dev/vdb ..."
#   LAB_RESULTS  /results: everything here is copied to the host's out dir
#   plus every --env NAME=VALUE given to `lab run`.
#
# Emulated legs: every leg is a dm-linear device named after the leg, over a
# loop file on tmpfs (make_loop_leg) or a null_blk device (make_null_leg).
# A fault is a table swap underneath the leg (swap_to_error, swap_table),
# undone by swap_back. State per leg lives in $LAB_LEGS.

LAB_NAME=${LAB_NAME:-scenario}
LAB_RESULTS=${LAB_RESULTS:-/results}
LAB_LEGS=/tmp/lab-legs
_lab_step=""

# log MESSAGE... : a progress line on the console; also remembered as the
# step reported if the scenario fails later.
log() {
	_lab_step="$*"
	echo "$LAB_NAME: $*"
}

# die MESSAGE... : fail the scenario with MESSAGE as the verdict's reason.
die() {
	echo "$LAB_NAME: FAIL: $*" >&2
	exit 1
}

# A command failing under `sh -e` says nothing about where it was: report
# the last log step. (A scenario that sets its own EXIT trap replaces this.)
_lab_on_exit() {
	local rc=$?
	[ "$rc" -eq 0 ] || echo "$LAB_NAME: exit status $rc (last step: ${_lab_step:-none})" >&2
}
trap _lab_on_exit EXIT

# fio's progress line rewrites itself with \r and floods the serial console;
# scenarios get fio without it (an explicit --eta=... still wins).
fio() {
	command fio --eta=never "$@"
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || die "$3: expected '$1', got '$2'"
}

# assert_ne UNEXPECTED ACTUAL WHAT
assert_ne() {
	[ "$1" != "$2" ] || die "$3: got '$2', expected anything else"
}

# require_cmd CMD... : fail clearly when a tool is not in the initramfs.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "command '$c' is not in the initramfs (see tests/vm/mkinitramfs.sh)"
	done
}

# load_modules MODULE... : modprobe each (with its dependencies).
load_modules() {
	local m
	for m in "$@"; do
		grep -q "^$(echo "$m" | tr - _) " /proc/modules && continue
		# stdout too goes to stderr: callers run inside $(...)
		modprobe "$m" >&2 && continue
		case "$m" in
		dm-tandem | dm_tandem)
			die "cannot load $m: it is not in the initramfs (the host skips it when the repo has no Kbuild; see the lab's output)" ;;
		*)
			die "cannot load module $m (not in the initramfs? see LAB_MODULES in tests/vm/mkinitramfs.sh; dmesg may say more)" ;;
		esac
	done
}

# wait_until SECONDS CMD... : poll CMD every 0.2 s until it succeeds; fail
# after SECONDS.
wait_until() {
	local limit=$(($1 * 5)) n=0
	shift
	until "$@"; do
		n=$((n + 1))
		[ "$n" -le "$limit" ] || die "timed out waiting for: $*"
		sleep 0.2
	done
}

# result_file NAME : path of a file that will be copied to the host.
result_file() {
	mkdir -p "$LAB_RESULTS"
	echo "$LAB_RESULTS/$1"
}

# sectors_of DEV : size in 512-byte sectors.
sectors_of() {
	blockdev --getsz "$1"
}

# majmin DEV : "major:minor", the way dm tables name devices.
majmin() {
	local mm
	mm=$(stat -L -c '%t:%T' "$1") || die "no such device: $1"
	echo "$((0x${mm%%:*})):$((0x${mm#*:}))"
}

# dev_checksum DEV : sha256 of the whole device, read with O_DIRECT so the
# page cache cannot hide what is really on it.
dev_checksum() {
	dd if="$1" bs=1M iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1
}

# dm_status_field NAME N : the Nth word of the target's own status, i.e.
# after "<start> <length> <target>" (N=1 is the first target field, as the
# target docs number them). First table line only.
dm_status_field() {
	local st
	st=$(dmsetup status "$1") || die "dmsetup status $1 failed"
	echo "$st" | head -n 1 | awk -v n="$2" '{ print $(n + 3) }'
}

# --- emulated legs --------------------------------------------------------------

# _lab_linear NAME DEV : a dm-linear named NAME over all of DEV; remembers the
# table for swap_back. Prints /dev/mapper/NAME.
_lab_linear() {
	local name=$1 dev=$2 size
	size=$(sectors_of "$dev") || die "cannot size $dev"
	echo "$dev" >"$LAB_LEGS/$name.dev"
	echo "$size" >"$LAB_LEGS/$name.size"
	echo "0 $size linear $dev 0" >"$LAB_LEGS/$name.table"
	dmsetup create "$name" --table "0 $size linear $dev 0" >&2 ||
		die "dmsetup create $name failed"
	echo "/dev/mapper/$name"
}

# make_loop_leg NAME MIB : a MIB-sized file on tmpfs, a loop device over it
# and a dm-linear NAME over that. Prints /dev/mapper/NAME.
# The files are sparse, but a full tmpfs turns writes into I/O errors that
# look like a bug in whatever sits on top: so all loop legs together must
# fit in /tmp (3/4 of the VM's memory; lab run --mem raises it).
make_loop_leg() {
	local name=$1 mib=$2 file loopdev total room f
	load_modules loop dm-mod
	mkdir -p "$LAB_LEGS"
	total=$mib
	for f in "$LAB_LEGS"/*.mib; do
		[ -e "$f" ] && total=$((total + $(cat "$f")))
	done
	room=$(df -m /tmp | awk 'NR == 2 { print $2 }')
	[ "$total" -le "$room" ] ||
		die "loop legs would need $total MiB, /tmp holds $room MiB: use smaller legs or lab run --mem"
	file="$LAB_LEGS/$name.img"
	dd if=/dev/zero of="$file" bs=1M count=0 seek="$mib" 2>/dev/null ||
		die "cannot create $file"
	loopdev=$(losetup -f) || die "no free loop device"
	losetup "$loopdev" "$file" || die "losetup $loopdev $file failed"
	echo "loop $file" >"$LAB_LEGS/$name.kind"
	echo "$mib" >"$LAB_LEGS/$name.mib"
	_lab_linear "$name" "$loopdev"
}

# make_null_leg NAME MIB [COMPLETION_NSEC|-] [ATTR=VALUE]... : a memory-backed
# null_blk device (configfs) wrapped in a dm-linear NAME. With COMPLETION_NSEC
# every I/O completes from a timer after that long (irqmode=2): a
# latency-bound leg. ATTRs are other configfs attributes, e.g.
# hw_queue_depth=4 submit_queues=1. Prints /dev/mapper/NAME.
make_null_leg() {
	local name=$1 mib=$2 nsec=${3:--} cfg kv attr dev n=0
	shift 2
	if [ $# -gt 0 ]; then shift; fi
	load_modules configfs null_blk dm-mod
	mkdir -p "$LAB_LEGS"
	cfg=/sys/kernel/config/nullb/$name
	mkdir "$cfg" || die "cannot create $cfg"
	echo "$mib" >"$cfg/size"
	echo 1 >"$cfg/memory_backed"
	if [ "$nsec" != - ]; then
		echo 2 >"$cfg/irqmode"
		echo "$nsec" >"$cfg/completion_nsec"
	fi
	for kv in "$@"; do
		attr=${kv%%=*}
		[ -e "$cfg/$attr" ] || die "null_blk has no configfs attribute '$attr'"
		echo "${kv#*=}" >"$cfg/$attr" || die "null_blk rejected $kv"
	done
	echo 1 >"$cfg/power" || die "cannot power on null_blk $name"
	# Newer kernels name the disk after the configfs directory.
	if [ -e "/sys/block/$name" ]; then
		dev=/dev/$name
	else
		dev=/dev/nullb$(cat "$cfg/index")
	fi
	while [ ! -b "$dev" ]; do
		n=$((n + 1))
		[ "$n" -le 50 ] || die "null_blk device $dev did not appear"
		sleep 0.1
	done
	echo "null $cfg" >"$LAB_LEGS/$name.kind"
	_lab_linear "$name" "$dev"
}

# null_badblocks NAME +START-END | -START-END : add (remove) bad sectors on
# the null_blk under leg NAME; I/O touching them fails with an error.
null_badblocks() {
	echo "$2" >"/sys/kernel/config/nullb/$1/badblocks" ||
		die "cannot set badblocks $2 on $1"
}

# leg_dev NAME : the device under the leg's dm-linear (loop or null_blk),
# for building your own tables: swap_table NAME flakey "$(leg_dev NAME)" 0 ...
leg_dev() {
	cat "$LAB_LEGS/$1.dev"
}

# leg_queue NAME ATTR VALUE : set a queue attribute of the device under the
# leg, e.g. leg_queue leg0 scheduler mq-deadline; leg_queue leg0
# nr_requests 256 (a deep queue in the elevator: with "none" a submitter
# blocks once the device's tags run out).
leg_queue() {
	local q
	q=/sys/block/$(basename "$(readlink -f "$(leg_dev "$1")")")/queue
	[ -e "$q/$2" ] || die "no queue attribute $q/$2"
	echo "$3" >"$q/$2" || die "cannot set $q/$2 to $3 (now: $(cat "$q/$2"))"
}

# swap_table NAME TARGET [ARGS]... : replace the leg's table with
# "0 <size> TARGET ARGS" (the leg keeps its size), e.g.
#   swap_table leg1 delay "$(leg_dev leg1)" 0 100
#   swap_table leg1 flakey "$(leg_dev leg1)" 0 0 60 1 error_writes
swap_table() {
	local name=$1 size
	shift
	size=$(cat "$LAB_LEGS/$name.size") || die "$name is not a lab leg"
	dmsetup load "$name" --table "0 $size $*" || die "cannot load '$*' into $name"
	# resume swaps the loaded table in (suspending the device around it)
	dmsetup resume "$name" || die "cannot resume $name"
}

# swap_to_error NAME : every I/O to the leg now fails.
swap_to_error() {
	swap_table "$1" error
}

# swap_back NAME : the leg's original dm-linear table again.
swap_back() {
	local table
	table=$(cat "$LAB_LEGS/$1.table") || die "$1 is not a lab leg"
	dmsetup load "$1" --table "$table" || die "cannot reload $1"
	dmsetup resume "$1" || die "cannot resume $1"
}

# remove_leg NAME : tear the leg down (dm device, loop or null_blk, file).
remove_leg() {
	local kind path
	read -r kind path <"$LAB_LEGS/$1.kind" || die "$1 is not a lab leg"
	dmsetup remove "$1" || die "cannot remove $1"
	case "$kind" in
	loop)
		losetup -d "$(leg_dev "$1")" || die "cannot detach $(leg_dev "$1")"
		rm -f "$path" ;;
	null)
		echo 0 >"$path/power"
		rmdir "$path" || die "cannot remove $path" ;;
	esac
	rm -f "$LAB_LEGS/$1".*
}

# --- cgroups --------------------------------------------------------------------

# cgroup_io_enable : cgroup2 at /sys/fs/cgroup (init mounts it) with the io
# controller enabled for the root's children, so their bios carry their
# own io cgroup.
cgroup_io_enable() {
	[ -e /sys/fs/cgroup/cgroup.controllers ] ||
		mount -t cgroup2 cgroup2 /sys/fs/cgroup || die "cannot mount cgroup2"
	grep -qw io /sys/fs/cgroup/cgroup.subtree_control ||
		echo +io >/sys/fs/cgroup/cgroup.subtree_control ||
		die "cannot enable the io controller"
}

# cgroup_make PATH : create /sys/fs/cgroup/PATH (relative), enabling the io
# controller in its parent for it. A cgroup that enables a controller for
# its children may hold no process itself: move processes out first.
cgroup_make() {
	local parent
	cgroup_io_enable
	parent=$(dirname "/sys/fs/cgroup/$1")
	grep -qw io "$parent/cgroup.subtree_control" ||
		echo +io >"$parent/cgroup.subtree_control" ||
		die "cannot enable the io controller in $parent (does it hold processes?)"
	mkdir -p "/sys/fs/cgroup/$1" || die "cannot create cgroup $1"
}

# cgroup_id PATH : the cgroup's id (the inode number of its directory).
cgroup_id() {
	stat -c %i "/sys/fs/cgroup/$1" || die "no cgroup $1"
}

# in_cgroup PATH CMD [ARGS]... : run CMD in cgroup PATH (its own process, so
# the caller stays where it is; $$ in a subshell is the parent's pid).
# Shell functions are not available to CMD: call fio with --eta=never.
in_cgroup() {
	local cg=/sys/fs/cgroup/$1
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# --- network --------------------------------------------------------------------

# busybox's sh runs its own applets before it looks in $PATH, and the `ip`
# and `tc` applets know neither network namespaces nor veth: these run
# iproute2's (copied into the initramfs when the host has it).
ip() {
	/usr/sbin/ip "$@"
}
tc() {
	/usr/sbin/tc "$@"
}

# net_loopback_up : 127.0.0.1 reachable (the init brings up no interface).
net_loopback_up() {
	ip link set lo up || die "cannot bring up lo"
}

# netns_make NAME HOST_ADDR PEER_ADDR : a network namespace NAME (a second
# node) joined to this one by a veth pair: "vh-NAME" here with HOST_ADDR/24,
# "eth0" in NAME with PEER_ADDR/24, both up, loopback up on both sides.
netns_make() {
	local ns=$1 host=$2 peer=$3
	load_modules veth
	net_loopback_up
	ip netns add "$ns" || die "cannot create network namespace $ns"
	ip link add "vh-$ns" type veth peer name eth0 netns "$ns" ||
		die "cannot create the veth pair into $ns"
	ip addr add "$host/24" dev "vh-$ns" || die "cannot address vh-$ns"
	ip link set "vh-$ns" up || die "cannot bring up vh-$ns"
	ip netns exec "$ns" /usr/sbin/ip addr add "$peer/24" dev eth0 || die "cannot address eth0 in $ns"
	ip netns exec "$ns" /usr/sbin/ip link set eth0 up || die "cannot bring up eth0 in $ns"
	ip netns exec "$ns" /usr/sbin/ip link set lo up || die "cannot bring up lo in $ns"
}

# in_netns NAME CMD [ARGS]... : run CMD inside network namespace NAME (a
# program: shell functions are not available there).
in_netns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# http_serve DIR HOST:PORT [NETNS] : busybox httpd serving the files of DIR
# on HOST:PORT (inside NETNS if given), in the background; waits until it
# answers. An application endpoint for HTTP probes: a file there answers
# 200, a removed one 404.
http_serve() {
	local dir=$1 addr=$2 ns=${3:-}
	mkdir -p "$dir" || die "cannot create $dir"
	net_loopback_up
	if [ -n "$ns" ]; then
		ip netns exec "$ns" busybox httpd -p "$addr" -h "$dir" ||
			die "cannot start httpd on $addr in $ns"
	else
		busybox httpd -p "$addr" -h "$dir" || die "cannot start httpd on $addr"
	fi
	wait_until 10 _lab_http_listening "$addr" "$ns"
}

# _lab_http_listening HOST:PORT NETNS : something answers HTTP there (any
# status, a 404 included).
_lab_http_listening() {
	local get="timeout 5 wget -S -q -O /dev/null http://$1/"
	if [ -n "$2" ]; then
		# shellcheck disable=SC2086
		ip netns exec "$2" busybox $get 2>&1 | grep -q 'HTTP/'
	else
		# shellcheck disable=SC2086
		$get 2>&1 | grep -q 'HTTP/'
	fi
}

# busybox wget's own -T timeout crashes it: these bound it with timeout(1).

# http_get URL : the body of a GET, on stdout; fails on an error status.
http_get() {
	timeout 10 wget -q -O - "$1"
}

# http_status URL [HEADER] : the status code of a GET ("" when nothing
# answered), e.g. http_status http://127.0.0.1:9470/health.
http_status() {
	if [ -n "${2:-}" ]; then
		timeout 10 wget -S -q --header "$2" -O /dev/null "$1" 2>&1
	else
		timeout 10 wget -S -q -O /dev/null "$1" 2>&1
	fi | awk '$1 ~ /^HTTP\// { code = $2 } END { print code }'
}
