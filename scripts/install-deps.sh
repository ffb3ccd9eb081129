#!/bin/bash
# Install every Debian package dm-tandem needs to build, test and run its lab.
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
	# C++ control plane
	build-essential cmake git pkg-config clang-format
	libdevmapper-dev libboost-program-options-dev libyaml-cpp-dev
	libgtest-dev googletest
	# kernel module, for both Debian kernels
	linux-headers-amd64 linux-headers-6.12-amd64 dkms kmod
	# the QEMU lab
	qemu-system-x86 linux-image-amd64 linux-image-6.12-amd64
	busybox-static dmsetup fio cpio python3 util-linux xz-utils zstd mdadm
	# tandemd: HTTP probes, peers, /health and /metrics; the timeline plot
	libcpp-httplib-dev nlohmann-json3-dev python3-matplotlib
)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root" >&2
	exit 1
fi

missing=()
for p in "${packages[@]}"; do
	case "$p" in \#*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
