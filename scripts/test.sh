#!/bin/bash
# Run every dm-tandem test on this machine, installing what is needed:
#   unit tests (GoogleTest via CTest), C++ formatting, warning-free module
#   builds for Debian's 6.1 and 6.12 kernels, DKMS packaging for both, and
#   the VM lab (its own persistent-disk self-test, power cuts under a
#   tandem device, then every scenario) on both kernels.
#
#   scripts/test.sh                 # as root
#   LAB_KERNELS=6.1 scripts/test.sh
#   LAB_SCENARIOS="tests/vm/scenarios/fail-leg.sh" scripts/test.sh
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/kernels.sh
. scripts/kernels.sh

lab_kernels=${LAB_KERNELS:-6.1 6.12}
lab_jobs=${LAB_JOBS:-2}
passed=0
failed=0
failed_names=()

# stage <name> <command...>: run one stage, record its verdict.
stage() {
	local name=$1 start
	shift
	start=$(date +%s)
	echo
	echo "=== $name"
	if "$@"; then
		echo "=== $name: PASS ($(($(date +%s) - start)) s)"
		passed=$((passed + 1))
	else
		echo "=== $name: FAIL ($(($(date +%s) - start)) s)"
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
}

build_userspace() {
	cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
		cmake --build "$repo/build" -j"$(nproc)"
}

unit_tests() {
	ctest --test-dir "$repo/build" --output-on-failure -j"$(nproc)"
}

check_format() {
	local files
	mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 'ctl/*.h' 'tests/*.h' 2>/dev/null ||
		find ctl tests -name '*.cpp' -o -name '*.hpp')
	[ ${#files[@]} -gt 0 ] || return 0
	clang-format --dry-run --Werror "${files[@]}"
}

build_module() {
	scripts/build-module.sh "$(kernel_release "$1")" >/dev/null
}

# DKMS: add, build and install for both kernels, check the installed
# modules are ours, then unregister again so nothing is left behind.
dkms_roundtrip() {
	local k61 k612 ok=0
	k61=$(kernel_release 6.1) && k612=$(kernel_release 6.12) || return 1
	scripts/dkms-install.sh "$k61" "$k612" >"$repo/build/dkms.log" 2>&1 || ok=1
	if [ $ok -eq 0 ]; then
		for k in "$k61" "$k612"; do
			local ko
			ko=$(find "/lib/modules/$k/updates/dkms" -name 'dm-tandem.ko*' 2>/dev/null | head -n1)
			if [ -z "$ko" ] || ! modinfo -F name "$ko" | grep -qx dm_tandem; then
				echo "dkms: no dm-tandem module installed for $k" >&2
				ok=1
			else
				echo "dkms: installed $ko"
			fi
		done
	else
		tail -n 40 "$repo/build/dkms.log" >&2
	fi
	scripts/dkms-install.sh --remove >>"$repo/build/dkms.log" 2>&1 || ok=1
	return $ok
}

lab_suite() {
	local scenarios
	# shellcheck disable=SC2206
	scenarios=(${LAB_SCENARIOS:-tests/vm/scenarios/*.sh})
	tests/vm/lab suite --kernel "$1" -j "$lab_jobs" "${scenarios[@]}"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "test.sh: run as root (installs packages, builds DKMS modules)" >&2
	exit 1
fi
bash scripts/install-deps.sh || exit 1

stage "build" build_userspace
stage "unit tests" unit_tests
stage "format" check_format
stage "module 6.1" build_module 6.1
stage "module 6.12" build_module 6.12
stage "dkms" dkms_roundtrip
stage "lab disks outlive a boot" tests/vm/selftest-persist.sh --kernel 6.1
stage "power cuts" tests/vm/crash/power-cut.sh --kernel 6.1 5 8 12
for k in $lab_kernels; do
	stage "lab $k" lab_suite "$k"
done

echo
if [ $failed -gt 0 ]; then
	echo "failed stages: ${failed_names[*]}"
fi
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
