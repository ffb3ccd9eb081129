# shellcheck shell=bash
# Build the module under test (dm-tandem.ko) for the kernel that will boot.
# Sourced by lab; needs common.sh.
#
# The sources (Kbuild, kernel/, include/) are copied to build/kmod/<kver>/
# and built there, so the two kernels build concurrently without sharing
# object files. A hash of the sources skips the build when nothing changed.

# build_kmod KVER : set KMOD_FILES to the built .ko files (empty when the
# repository has no Kbuild yet). Returns non-zero when the build fails.
build_kmod() {
	local kver=$1 headers="/usr/src/linux-headers-$1"
	local dir="$BUILD_DIR/kmod/$kver" hash src=()
	KMOD_FILES=()

	if [ ! -f "$REPO_DIR/Kbuild" ]; then
		warn "no Kbuild in $REPO_DIR: dm-tandem.ko not built; scenarios that load it will fail"
		return 0
	fi
	if [ ! -f "$headers/Makefile" ]; then
		err "kernel headers missing: $headers (apt-get install linux-headers-$kver)"
		return 1
	fi
	require_host_tools make gcc || return 1

	src=(Kbuild)
	[ -d "$REPO_DIR/kernel" ] && src+=(kernel)
	[ -d "$REPO_DIR/include" ] && src+=(include)
	hash=$( cd "$REPO_DIR" &&
		find "${src[@]}" -type f -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum | hash_stdin )

	if [ "$(cat "$dir/.src-hash" 2>/dev/null)" != "$hash" ] ||
		! compgen -G "$dir/*.ko" >/dev/null; then
		msg "building dm-tandem.ko for $kver"
		if ! "$REPO_DIR/scripts/build-module.sh" "$headers" "$dir" >/dev/null; then
			err "dm-tandem.ko build failed for $kver (full log: $dir/build.log)"
			return 1
		fi
		echo "$hash" >"$dir/.src-hash"
	fi

	mapfile -t KMOD_FILES < <(find "$dir" -name '*.ko' | sort)
	if [ ${#KMOD_FILES[@]} -eq 0 ]; then
		err "the module build for $kver produced no .ko (see $dir/build.log)"
		return 1
	fi
}
