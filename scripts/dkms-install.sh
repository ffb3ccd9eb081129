#!/bin/bash
# Register dm-tandem's source with DKMS and build + install the module for
# the given kernel versions (default: the running kernel).
#
#   scripts/dkms-install.sh [KERNEL_VERSION...]
#   scripts/dkms-install.sh --remove        # unregister every version
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$repo/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/dkms.conf")
src=/usr/src/$name-$version

registered() {
	# Not a pipe into grep -q: with pipefail, dkms's SIGPIPE would read as "no".
	[ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ] ||
		[ -d "/var/lib/dkms/$name/$version" ]
}

if [ "${1:-}" = "--remove" ]; then
	if registered; then
		dkms remove -m "$name" -v "$version" --all
	fi
	rm -rf "$src"
	exit 0
fi

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=("$(uname -r)")

# dkms builds from /usr/src/<name>-<version>: refresh it from this tree.
if registered; then
	dkms remove -m "$name" -v "$version" --all
fi
rm -rf "$src"
mkdir -p "$src"
cp -r "$repo/Kbuild" "$repo/dkms.conf" "$repo/kernel" "$repo/include" "$src/"

dkms add -m "$name" -v "$version"
for k in "${kernels[@]}"; do
	dkms build -m "$name" -v "$version" -k "$k"
	dkms install -m "$name" -v "$version" -k "$k"
done
dkms status -m "$name" -v "$version"
