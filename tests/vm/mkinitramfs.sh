#!/bin/bash
# Build (or reuse) the lab's initramfs for one kernel and print its path.
#
#   mkinitramfs.sh KVER [--ko FILE]...
#
# Contents: busybox with its applet links, dmsetup, fio and a few other
# tools with their shared libraries, the kernel modules a scenario may need
# (with every dependency, decompressed, depmod'ed so modprobe works), the
# module(s) under test in /lib/modules/KVER/extra/, the project's tandemctl
# and tandemd when built, and tests/vm/init as /init.
#
# The scenario itself is not in here: it travels on the lab disk (see lab),
# so one initramfs serves every scenario. The archive is an uncompressed
# newc cpio (the kernel unpacks it faster than it decompresses anything
# under TCG), cached under build/lab-cache/KVER/ by a hash of its inputs.
set -euo pipefail

# shellcheck source=host/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/host/common.sh"

# Kernel modules the scenarios may load. Their dependencies (modules.dep)
# and soft dependencies come along automatically; builtin ones are fine.
LAB_MODULES=(
	virtio_pci virtio_blk                   # the disks (virtio_pci is builtin in 6.12)
	configfs                                # null_blk's configfs interface
	dm-mod dm-bufio dm-log dm-region-hash   # device-mapper core and helpers
	dm-flakey dm-delay dm-zero dm-log-writes # fault and latency injection
	dm-snapshot dm-thin-pool                # shadow devices
	dm-mirror dm-raid raid1                 # comparison targets
	loop null_blk brd scsi_debug sd_mod     # emulated legs
	nbd veth sch_netem                      # remote leg over a shaped link
	ext4                                    # filesystems for mkfs/fsck tests
	bfq                                     # block-layer I/O control to compare with
)
# More for one run without editing this list: LAB_EXTRA_MODULES="dm-crypt ...".
read -r -a extra_modules <<<"${LAB_EXTRA_MODULES:-}"
LAB_MODULES+=("${extra_modules[@]}")

# Dynamic tools that must be in every initramfs, and tools included when the
# host has them (busybox covers the rest: losetup, blockdev, dd, tar, ...).
REQUIRED_TOOLS=(dmsetup fio)
OPTIONAL_TOOLS=(mke2fs mkfs.ext4 e2fsck fsck.ext4 tc ip mdadm nbd-client nbd-server)
# The project's own binaries, included when they have been built.
PROJECT_BINS=("$BUILD_DIR/ctl/tandemctl" "$BUILD_DIR/ctl/tandemd")

# Look tools up in the system directories only, never in a user's shims.
SYS_PATH=/usr/sbin:/usr/bin:/sbin:/bin

usage() {
	echo "usage: $0 KVER [--ko FILE]..." >&2
	exit 2
}

[ $# -ge 1 ] || usage
KVER=$1
shift
EXTRA_KO=()
while [ $# -gt 0 ]; do
	case "$1" in
	--ko) [ $# -ge 2 ] || usage; EXTRA_KO+=("$2"); shift 2 ;;
	*) usage ;;
	esac
done

require_host_tools cpio depmod modprobe ldd xz zstd sha256sum
MODDIR="/lib/modules/$KVER"
[ -d "$MODDIR/kernel" ] || { err "no kernel modules in $MODDIR (install linux-image-$KVER)"; exit 1; }
BUSYBOX=$(PATH=$SYS_PATH command -v busybox) ||
	{ err "busybox not found (apt-get install busybox-static)"; exit 1; }
if ldd "$BUSYBOX" >/dev/null 2>&1; then
	err "$BUSYBOX is not statically linked (apt-get install busybox-static)"
	exit 1
fi

# FILES maps a path inside the initramfs to the host file it comes from.
declare -A FILES=()

# add_file DEST SRC : plan a copy; the first source for a destination wins.
add_file() { [ -n "${FILES[$1]+x}" ] || FILES[$1]=$2; }

# add_binary SRC [DEST] : a program plus every shared library ldd reports,
# each at the path the dynamic loader will look for.
add_binary() {
	local src=$1 dest=${2:-$1} line lib
	add_file "$dest" "$src"
	while read -r line; do
		case "$line" in
		*"not found"*) err "$src: missing shared library: $line"; return 1 ;;
		*"=> /"*) lib=${line#*=> }; lib=${lib%% (*} ;;
		/*) lib=${line%% (*} ;;     # the dynamic loader itself
		*) continue ;;              # linux-vdso, "statically linked", ...
		esac
		add_file "$lib" "$lib"
	done < <(ldd "$src" 2>/dev/null || true)
}

# canonical DIR/NAME for a host tool inside the merged-/usr initramfs.
usr_path() {
	case "$1" in
	/bin/*|/sbin/*|/lib/*|/lib64/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# --- plan: tools -------------------------------------------------------------
add_file /usr/bin/busybox "$BUSYBOX"
for t in "${REQUIRED_TOOLS[@]}"; do
	p=$(PATH=$SYS_PATH command -v "$t") ||
		{ err "required tool '$t' not found on the host (see scripts/install-deps.sh)"; exit 1; }
	add_binary "$p" "$(usr_path "$p")"
done
for t in "${OPTIONAL_TOOLS[@]}"; do
	p=$(PATH=$SYS_PATH command -v "$t") || continue
	add_binary "$p" "$(usr_path "$p")"
done
for p in "${PROJECT_BINS[@]}"; do
	[ -x "$p" ] && add_binary "$p" "/usr/bin/$(basename "$p")"
done

# --- plan: kernel modules ----------------------------------------------------
for m in "${LAB_MODULES[@]}"; do
	# --show-depends lists the module last, after its (soft) dependencies:
	# "insmod /lib/modules/.../x.ko.xz" or "builtin x".
	if ! deps=$(modprobe -S "$KVER" --show-depends "$m" 2>&1); then
		err "kernel module '$m' not found for $KVER: $deps"
		exit 1
	fi
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		rel=${path#"$MODDIR"/}
		# 6.12 ships .ko.xz: the copy is decompressed (see below), so
		# neither the kernel nor busybox modprobe needs to handle xz.
		case "$rel" in *.ko.xz|*.ko.zst|*.ko.gz) rel=${rel%.*} ;; esac
		add_file "/lib/modules/$KVER/$rel" "$path"
	done <<<"$deps"
done
for ko in "${EXTRA_KO[@]}"; do
	[ -f "$ko" ] || { err "module not found: $ko"; exit 1; }
	add_file "/lib/modules/$KVER/extra/$(basename "$ko")" "$ko"
done

# --- cache lookup --------------------------------------------------------------
# The key covers this script, the init, the kernel release and every input
# file's name, size and modification time.
self_dir=$(dirname "${BASH_SOURCE[0]}")
key=$( {
	echo "$KVER"
	cat "${BASH_SOURCE[0]}" "$self_dir/init"
	for dest in "${!FILES[@]}"; do
		stat -L -c "$dest %n %s %Y" "${FILES[$dest]}"
	done | LC_ALL=C sort
} | hash_stdin )
out_dir="$CACHE_DIR/$KVER"
out="$out_dir/initramfs-$key.cpio"
if [ -s "$out" ]; then
	touch "$out" # mark as recently used for the pruning below
	echo "$out"
	exit 0
fi

# --- build ---------------------------------------------------------------------
mkdir -p "$out_dir"
root=$(mktemp -d "$out_dir/stage.XXXXXX")
trap 'rm -rf "$root" "$root.symvers" "$out.tmp.$$"' EXIT
msg "building initramfs for $KVER"

# Merged /usr, like the host: ldd's /lib/... paths then land in usr/lib.
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,dev,proc,sys,run,tmp,mnt,results,lab,etc/modprobe.d}
for d in bin sbin lib lib64; do
	ln -s "usr/$d" "$root/$d"
done
ln -s /proc/mounts "$root/etc/mtab"

# busybox applets first, so the real tools copied below replace them.
for applet in $("$BUSYBOX" --list-full); do
	dest="$root/$(usr_path "/$applet")"
	[ "$applet" = bin/busybox ] || ln -sf /usr/bin/busybox "$dest"
done

for dest in "${!FILES[@]}"; do
	src=${FILES[$dest]}
	mkdir -p "$(dirname "$root$dest")"
	rm -f "$root$dest"
	case "$src" in
	*.ko.xz) xz -dc "$src" >"$root$dest" ;;
	*.ko.zst) zstd -dcq "$src" >"$root$dest" ;;
	*.ko.gz) gzip -dc "$src" >"$root$dest" ;;
	*) cp -L "$src" "$root$dest" ;;
	esac
done

# modprobe must know which modules are builtin; depmod writes the rest.
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$MODDIR/$f" ] && cp "$MODDIR/$f" "$root/lib/modules/$KVER/"
done
# -e -E: report symbols that neither the kernel proper (the vmlinux lines of
# the headers' Module.symvers) nor an included module exports, so a module
# under test that needs an unlisted helper module fails here, clearly.
# (Debian's /boot/System.map is a stub, hence Module.symvers.)
symvers="/usr/src/linux-headers-$KVER/Module.symvers"
depmod_args=(-b "$root")
if [ -r "$symvers" ]; then
	awk '$3 == "vmlinux"' "$symvers" >"$root.symvers"
	depmod_args+=(-e -E "$root.symvers")
fi
depmod_out=$(depmod "${depmod_args[@]}" "$KVER" 2>&1) ||
	{ echo "$depmod_out" >&2; err "depmod failed"; exit 1; }
rm -f "$root.symvers"
if grep -q 'unknown symbol' <<<"$depmod_out"; then
	grep 'unknown symbol' <<<"$depmod_out" | sed "s|$root||" >&2
	err "a module needs symbols from a module not in LAB_MODULES (tests/vm/mkinitramfs.sh)"
	exit 1
fi

# No default null_blk device: make_null_leg creates each one via configfs.
echo "options null_blk nr_devices=0" >"$root/etc/modprobe.d/lab.conf"
install -m 0755 "$self_dir/init" "$root/init"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"

# Keep the three most recently used archives per kernel.
find "$out_dir" -maxdepth 1 -name 'initramfs-*.cpio' -printf '%T@ %p\n' |
	sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -f
echo "$out"
