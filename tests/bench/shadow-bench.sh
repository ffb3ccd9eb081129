#!/bin/bash
# Cost of the shadow to production, in one lab boot on the same null_blk
# legs (5 ms an I/O, so the legs bound production, not the emulated CPU):
# 4k random read and write at iodepth 16 through tandem with no
# shadow, the shadow attached but off, async with a shadow as fast as the
# legs, async with a shadow 10x slower, sync and gate (fast shadow);
# BENCH_REPS repetitions (default 3), each 1 s ramp + BENCH_RUNTIME s
# (default 4). Prints median IOPS and p99 against "off".
#
#   tests/bench/shadow-bench.sh [--kernel 6.1|6.12]
#
# On the host this boots the lab with this same file as the scenario
# (results in build/bench/<kernel>/shadow) and prints the table; inside
# the VM (/lab/lib.sh present) it runs the measurements.

# ---- host -------------------------------------------------------------------

shadow_bench_host() {
	set -eu
	repo=$(cd "$(dirname "$0")/../.." && pwd)
	kernel=6.1
	if [ "${1:-}" = "--kernel" ]; then
		kernel=${2:?--kernel needs a value}
		shift 2
	fi
	[ $# -eq 0 ] || { echo "usage: $0 [--kernel 6.1|6.12]" >&2; exit 2; }
	out=$repo/build/bench/$kernel/shadow
	rm -rf "$out"
	"$repo/tests/vm/lab" run --kernel "$kernel" --timeout 3600 --mem 2048 --out "$out" \
		--env "BENCH_REPS=${BENCH_REPS:-3}" --env "BENCH_RUNTIME=${BENCH_RUNTIME:-4}" \
		"$repo/tests/bench/shadow-bench.sh" || exit 1
	python3 - "$out" <<'EOF'
import json, pathlib, re, statistics, sys

out = pathlib.Path(sys.argv[1])
NAME = re.compile(r"bench-([\w-]+)-(rand\w+)-rep(\d+)\.json$")
CONFIGS = ["none", "off", "async", "async-slow", "sync", "gate"]
runs, shadow = {}, {}
for path in out.glob("bench-*.json"):
    m = NAME.search(path.name)
    if not m:
        continue
    cfg, rw, rep = m.groups()
    job = json.loads(path.read_text())["jobs"][0]
    side = job["read"] if rw == "randread" else job["write"]
    p99 = side["clat_ns"]["percentile"].get("99.000000", 0) / 1000
    runs.setdefault((rw, cfg), []).append((side["iops"], p99))
    f = path.with_suffix(".shadow")
    if f.exists():
        kv = dict(w.split("=") for w in f.read_text().split())
        shadow.setdefault((rw, cfg), []).append(kv)
if not runs:
    sys.exit(f"no results in {out}")
print(f"{'job':<11}{'shadow':<12}{'IOPS':>9}{'spread':>8}{'xoff':>7}"
      f"{'p99 us':>10}{'xoff':>7}{'cloned':>9}{'dropped':>9}  runs")
for rw in ("randread", "randwrite"):
    base = runs.get((rw, "off"))
    b_iops = statistics.median(r[0] for r in base) if base else None
    b_p99 = statistics.median(r[1] for r in base) if base else None
    for cfg in CONFIGS:
        r = runs.get((rw, cfg))
        if not r:
            continue
        iops = statistics.median(x[0] for x in r)
        p99 = statistics.median(x[1] for x in r)
        vals = [x[0] for x in r]
        spread = (max(vals) - min(vals)) / iops * 100 if iops else 0
        cloned = dropped = "-"
        s = shadow.get((rw, cfg))
        if s and cfg not in ("none", "off"):
            prod = sum(int(k["prod"]) for k in s)
            if prod:
                cloned = f"{sum(int(k['cloned']) for k in s) / prod * 100:.0f}%"
                dropped = f"{sum(int(k['dropped']) for k in s) / prod * 100:.0f}%"
        print(f"{rw:<11}{cfg:<12}{iops:>9.0f}{spread:>7.0f}%"
              f"{(f'{iops / b_iops:.2f}' if b_iops else '-'):>7}{p99:>10.0f}"
              f"{(f'{p99 / b_p99:.2f}' if b_p99 else '-'):>7}{cloned:>9}{dropped:>9}  {len(r)}")
    print()
slow = runs.get(("randwrite", "async-slow"))
base = runs.get(("randwrite", "off"))
if slow and base:
    ratio = statistics.median(x[0] for x in slow) / statistics.median(x[0] for x in base)
    print(f"goal: async randwrite with a 10x slower shadow >= 0.95x off: "
          f"{ratio:.2f}x ({'met' if ratio >= 0.95 else 'NOT met'})")
EOF
}

# ---- VM ---------------------------------------------------------------------

shadow_bench_vm() {
	. /lab/shadow.sh
	load_modules dm-tandem null_blk

	reps=${BENCH_REPS:-3}
	runtime=${BENCH_RUNTIME:-4}
	sectors=$((1024 * 2048))	# 1 GiB

	# null_blk without backing memory: every I/O completes from a timer
	# after <nsec>; the legs and the fast shadow take 5 ms, the slow
	# shadow 50 ms; the default queue depth (64) everywhere.  So the legs,
	# not the emulated CPU, bound production (16 in flight: 3200 IO/s at
	# most), and the slow shadow (64 in flight: 1280 IO/s) cannot keep up
	# with it: async must drop clones rather than slow production down.
	modprobe -r null_blk 2>/dev/null || true
	modprobe null_blk nr_devices=0
	mknull() {
		d=/sys/kernel/config/nullb/$1
		mkdir "$d"
		echo 1024 >"$d/size"
		echo 2 >"$d/queue_mode"
		echo 2 >"$d/irqmode"
		echo "$2" >"$d/completion_nsec"
		echo 0 >"$d/memory_backed"
		echo 1 >"$d/power"
		# newer kernels name the disk after the configfs directory
		if [ -e "/sys/block/$1" ]; then
			b=$1
		else
			b=nullb$(cat "$d/index")
		fi
		wait_until 5 [ -b "/dev/$b" ]
		echo none >"/sys/block/$b/queue/scheduler" 2>/dev/null || true
		echo "/dev/$b"
	}
	l0=$(mknull leg0 5000000)
	l1=$(mknull leg1 5000000)
	shfast=$(mknull shfast 5000000)
	shslow=$(mknull shslow 50000000)
	legs="$l0 $l1"

	# make_dev <config>: the tandem device for it
	make_dev() {
		case $1 in
		none) f="4 nosync read_weights 50 50" ;;
		off) f="8 nosync read_weights 50 50 shadow $shfast shadow_sample 0" ;;
		async) f="6 nosync read_weights 50 50 shadow $shfast" ;;
		async-slow) f="6 nosync read_weights 50 50 shadow $shslow" ;;
		sync) f="8 nosync read_weights 50 50 shadow $shfast shadow_mode sync" ;;
		gate) f="8 nosync read_weights 50 50 shadow $shfast shadow_mode gate" ;;
		esac
		dmsetup create sb --table "0 $sectors tandem - 1024 2 $legs $f" ||
			die "cannot create tandem for $1"
	}

	configs="none off async async-slow sync gate"
	# Each repetition starts at a different configuration.
	order() {
		_skip=$(($1 % 6))
		# shellcheck disable=SC2086
		set -- $configs
		shift $_skip
		echo "$* $configs" | cut -d' ' -f1-6
	}

	rep=1
	while [ $rep -le "$reps" ]; do
		for cfg in $(order $rep); do
			make_dev "$cfg"
			for rw in randread randwrite; do
				dmsetup message sb 0 stats reset
				fio --name=bench --filename=/dev/mapper/sb --direct=1 \
					--ioengine=libaio --bs=4k --rw=$rw --iodepth=16 \
					--norandommap --randrepeat=1 --time_based \
					--runtime="$runtime" --ramp_time=1 --size=1g \
					--output-format=json \
					--output="$(result_file "bench-$cfg-$rw-rep$rep.json")"
				# let async clones land before counting them
				dmsetup suspend sb && dmsetup resume sb
				op=write
				[ $rw = randwrite ] || op=read
				set -- $(shadow_fields sb $op.prod_count $op.shadow_count dropped \
					gate_failures $op.prod_errors $op.shadow_p99_us)
				echo "prod=$1 cloned=$2 dropped=$3 gate_failures=$4 prod_errors=$5 shadow_p99_us=$6" \
					>"$(result_file "bench-$cfg-$rw-rep$rep.shadow")"
				[ "$5" = 0 ] || die "$cfg $rw: $5 production errors"
			done
			dmsetup remove sb
		done
		log "repetition $rep of $reps done"
		rep=$((rep + 1))
	done
}

if [ -e /lab/lib.sh ] && [ -n "${LAB_RESULTS:-}" ]; then
	shadow_bench_vm
else
	shadow_bench_host "$@"
fi
