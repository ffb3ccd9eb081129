# shellcheck shell=bash
# kernel_release <6.1|6.12|full release>: the newest installed Debian
# kernel release of that series with headers, e.g. 6.1 -> 6.1.0-56-amd64.
# Sourced by the scripts that build or boot for a given kernel.
kernel_release() {
	local name=$1 best
	if [ -d "/usr/src/linux-headers-$name" ]; then
		echo "$name"
		return 0
	fi
	best=$(find /usr/src -maxdepth 1 -name "linux-headers-$name.*-amd64" -printf '%f\n' |
		sed 's/^linux-headers-//' | sort -V | tail -n1)
	if [ -z "$best" ]; then
		echo "no kernel headers for $name in /usr/src (scripts/install-deps.sh installs them)" >&2
		return 1
	fi
	echo "$best"
}
