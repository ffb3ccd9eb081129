# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are read by the sourcing scripts
# Shared by the host-side lab scripts: paths, messages, kernel names, tool checks.
# Sourced, never run.

# The repository root is two levels above tests/vm; everything the lab
# writes goes under the repo's (git-ignored) build/ directory, or under
# LAB_BUILD_DIR when set: a CMake build directory whose tandemctl and
# tandemd the lab then uses.
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$LAB_DIR/../.." && pwd)
BUILD_DIR=${LAB_BUILD_DIR:-$REPO_DIR/build}
CACHE_DIR="$BUILD_DIR/lab-cache"

# Messages go to stderr so that stdout carries only verdict lines.
msg() { echo "lab: $*" >&2; }
warn() { echo "lab: warning: $*" >&2; }
err() { echo "lab: error: $*" >&2; }

# require_host_tools TOOL... : fail with one clear message naming every
# missing tool and the Debian package that provides it.
require_host_tools() {
	local t missing=()
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	err "missing host tools: ${missing[*]} (see scripts/install-deps.sh)"
	return 1
}

# resolve_kernel NAME : print the full kernel release for a short name
# ("6.1", "6.12") or accept a full release as is. The newest installed
# release with both an image in /boot and headers in /usr/src wins.
resolve_kernel() {
	local name=$1 f kver best=""
	if [ -e "/boot/vmlinuz-$name" ]; then
		echo "$name"
		return 0
	fi
	for f in /boot/vmlinuz-"$name".*; do
		[ -e "$f" ] || continue
		kver=${f#/boot/vmlinuz-}
		best=$(printf '%s\n%s\n' "$best" "$kver" | sed '/^$/d' | sort -V | tail -n1)
	done
	if [ -z "$best" ]; then
		err "no kernel image /boot/vmlinuz-$name* (install linux-image-$name-amd64 or pass a full release)"
		return 1
	fi
	echo "$best"
}

# short_kernel KVER : the name used in result paths ("6.1.0-56-amd64" -> "6.1").
short_kernel() {
	local kver=$1
	case "$kver" in
	[0-9]*.[0-9]*.*) echo "$kver" | cut -d. -f1,2 ;;
	*) echo "$kver" ;;
	esac
}

# hash_stdin : a short content hash, enough to name cache entries.
hash_stdin() { sha256sum | cut -c1-16; }
