# shellcheck shell=bash
# Extract and cache the uncompressed vmlinux inside /boot/vmlinuz-<kver>.
# Sourced by lab; needs common.sh.
#
# Why: under TCG the bzImage spends seconds running its own decompressor
# emulated. The vmlinux inside carries the PVH ELF note, so QEMU's -kernel
# boots it directly, about twice as fast.

# vmlinux_path KVER : print the cached vmlinux, extracting it on first use.
# Falls back to the compressed image (slower boot, still correct) when no
# bootable vmlinux can be found inside.
vmlinux_path() {
	local kver=$1 image="/boot/vmlinuz-$1"
	local dir="$CACHE_DIR/$kver" out="$CACHE_DIR/$kver/vmlinux"
	if [ -s "$out" ] && [ "$out" -nt "$image" ]; then
		echo "$out"
		return 0
	fi
	[ -r "$image" ] || { err "cannot read $image"; return 1; }
	mkdir -p "$dir"
	if extract_vmlinux "$image" "$out.tmp.$$"; then
		mv -f "$out.tmp.$$" "$out"
		echo "$out"
	else
		rm -f "$out.tmp.$$"
		warn "no PVH-bootable vmlinux inside $image; booting the bzImage (slower)"
		echo "$image"
	fi
}

# extract_vmlinux IMAGE OUT : try every xz and zstd stream start in IMAGE
# (as the kernel's scripts/extract-vmlinux does) until one decompresses to
# an ELF file with the PVH entry note.
extract_vmlinux() {
	local image=$1 out=$2 magic off tool
	# xz stream magic FD 37 7A 58 5A 00, zstd frame magic 28 B5 2F FD.
	for magic in '\xfd\x37\x7a\x58\x5a\x00:xz' '\x28\xb5\x2f\xfd:zstd'; do
		tool=${magic##*:}
		command -v "$tool" >/dev/null 2>&1 || continue
		while read -r off; do
			# Both tools complain about the bytes after the stream; the
			# output is still whole, so judge the result, not the status.
			case "$tool" in
			xz) tail -c "+$((off + 1))" "$image" | xz -dcq --single-stream >"$out" 2>/dev/null || true ;;
			zstd) tail -c "+$((off + 1))" "$image" | zstd -dcq >"$out" 2>/dev/null || true ;;
			esac
			if is_pvh_elf "$out"; then
				return 0
			fi
		done < <(LC_ALL=C grep -obUaP "${magic%:*}" "$image" | cut -d: -f1)
	done
	return 1
}

# is_pvh_elf FILE : an ELF file with the Xen note XEN_ELFNOTE_PHYS32_ENTRY
# (type 0x12), which is what lets QEMU boot it without a bootloader.
is_pvh_elf() {
	local f=$1
	[ "$(head -c4 "$f" 2>/dev/null | od -An -tx1 | tr -d ' ')" = "7f454c46" ] || return 1
	if command -v readelf >/dev/null 2>&1; then
		readelf -n "$f" 2>/dev/null | grep -A0 'Xen' | grep -q '(0x00000012)'
	fi
}
