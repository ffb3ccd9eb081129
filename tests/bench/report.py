#!/usr/bin/env python3
"""Summarise a benchmark run.

datapath and bitmap: median IOPS and p99 latency per device and job over
the repetitions, as ratios against dm-linear measured in the same boot,
with the spread (max-min over median) beside each.

sched: the fast-path cost of the class scheduler (IOPS ratios against
tandem with the scheduler off and against dm-linear), and how well a
critical job is protected from a flood (p99 with the flood over p99 alone,
per repetition, median) by tandem's scheduler, without it, and by BFQ on
the legs; plus the total throughput under the flood."""
import json
import pathlib
import re
import statistics
import sys

NAME = re.compile(r"bench-([\w-]+)-(rand\w+)-qd(\d+)-rep(\d+)\.json$")
# Rows in this order when present; the baseline is dm-linear, else tandem
# without metadata.
DEVICES = ["raw", "linear", "mirror", "tandem", "tandem-nometa",
           "tandem-bitmap-128", "tandem-bitmap-1024", "tandem-bitmap-16384",
           "tandem-bitmap-131072", "md-bitmap", "mirror-disklog"]


def load(results_dir):
    runs = {}
    for path in pathlib.Path(results_dir).glob("bench-*.json"):
        m = NAME.search(path.name)
        if not m:
            continue
        dev, rw, qd, _ = m.groups()
        job = json.loads(path.read_text())["jobs"][0]
        side = job["read"] if rw == "randread" else job["write"]
        p99_ns = side["clat_ns"]["percentile"].get("99.000000", 0)
        runs.setdefault((rw, int(qd), dev), []).append((side["iops"], p99_ns / 1000))
    return runs


def spread(values):
    med = statistics.median(values)
    return (max(values) - min(values)) / med * 100 if med else 0.0


SCHED_FAST = re.compile(r"fastpath-([\w-]+)-rep(\d+)\.json$")
SCHED_PROTECT = re.compile(r"protect-(\w+)-(solo|flood)-rep(\d+)\.json$")
FAST_DEVICES = ["linear", "tandem-off", "tandem-qd", "tandem-on"]
PROTECT_CONFIGS = [("on", "tandem, scheduler on (queue_depth 4)"),
                   ("off", "tandem, scheduler off"),
                   ("bfq", "BFQ on the legs, flood at ioprio idle")]


def read_jobs(path):
    """{jobname: (read IOPS, clat p99 us, lat p99 us)} of one fio JSON file."""
    jobs = {}
    for job in json.loads(path.read_text())["jobs"]:
        side = job["read"]
        clat = side["clat_ns"].get("percentile", {}).get("99.000000", 0) / 1000
        lat = side["lat_ns"].get("percentile", {}).get("99.000000", 0) / 1000
        jobs[job["jobname"]] = (side["iops"], clat, lat)
    return jobs


def sched_report(results_dir):
    root = pathlib.Path(results_dir)
    fast, by_rep = {}, {}
    for path in root.glob("fastpath-*.json"):
        m = SCHED_FAST.search(path.name)
        if m:
            iops = read_jobs(path)["bench"][0]
            fast.setdefault(m.group(1), []).append(iops)
            by_rep.setdefault(int(m.group(2)), {})[m.group(1)] = iops
    kernel = root / "kernel.txt"
    if kernel.exists():
        print(f"kernel {kernel.read_text().strip()}")
    print("(a) fast path: 4k random reads, iodepth 32, null_blk legs")
    print(f"{'device':<14}{'IOPS':>10}{'spread':>8}{'x linear':>10}{'x off':>8}  runs")
    med = {d: statistics.median(v) for d, v in fast.items()}
    for dev in FAST_DEVICES:
        if dev not in fast:
            continue
        lin = f"{med[dev] / med['linear']:.3f}" if "linear" in med else "-"
        off = f"{med[dev] / med['tandem-off']:.3f}" if "tandem-off" in med else "-"
        print(f"{dev:<14}{med[dev]:>10.0f}{spread(fast[dev]):>7.0f}%{lin:>10}{off:>8}  {len(fast[dev])}")
    if {"tandem-on", "tandem-off", "linear"} <= med.keys():
        print(f"scheduler on/off {med['tandem-on'] / med['tandem-off']:.3f}, "
              f"on/linear {med['tandem-on'] / med['linear']:.3f} "
              "(on: queue_depth 4096, a cgroup and an ioprio rule)")
        paired = [r for r in by_rep.values() if {"tandem-on", "tandem-off", "linear"} <= r.keys()]
        if paired:
            on_off = statistics.median(r["tandem-on"] / r["tandem-off"] for r in paired)
            on_lin = statistics.median(r["tandem-on"] / r["linear"] for r in paired)
            print(f"median of the per-repetition ratios: on/off {on_off:.3f}, on/linear {on_lin:.3f}")
    print()

    runs = {}
    for path in root.glob("protect-*.json"):
        m = SCHED_PROTECT.search(path.name)
        if m:
            runs.setdefault((m.group(1), int(m.group(3))), {})[m.group(2)] = read_jobs(path)
    print("(b) protection: critical 4k random reads at iodepth 1, alone and beside")
    print("    a flood of 4k random reads at iodepth 64; legs 2 ms per I/O, 4 tags")
    print(f"{'config':<40}{'solo p99':>9}{'flood p99':>10}{'ratio':>7}"
          f"{'lat ratio':>10}{'crit IOPS':>10}{'flood IOPS':>11}{'total':>8}  runs")
    total = {}
    for cfg, label in PROTECT_CONFIGS:
        reps = [r for (c, _), r in runs.items() if c == cfg and {"solo", "flood"} <= r.keys()]
        if not reps:
            continue
        solo = statistics.median(r["solo"]["crit"][1] for r in reps)
        flood = statistics.median(r["flood"]["crit"][1] for r in reps)
        ratio = statistics.median(r["flood"]["crit"][1] / r["solo"]["crit"][1] for r in reps)
        lat_ratio = statistics.median(r["flood"]["crit"][2] / r["solo"]["crit"][2] for r in reps)
        crit_iops = statistics.median(r["flood"]["crit"][0] for r in reps)
        flood_iops = statistics.median(r["flood"]["flood"][0] for r in reps)
        total[cfg] = statistics.median(r["flood"]["crit"][0] + r["flood"]["flood"][0] for r in reps)
        print(f"{label:<40}{solo / 1000:>7.1f}ms{flood / 1000:>8.1f}ms{ratio:>7.2f}"
              f"{lat_ratio:>10.2f}{crit_iops:>10.0f}{flood_iops:>11.0f}{total[cfg]:>8.0f}  {len(reps)}")
    print("    p99 is fio's completion latency (clat); 'lat ratio' uses the total "
          "latency, submission included")
    if "on" in total and "off" in total:
        print(f"total throughput under the flood, scheduler on/off: {total['on'] / total['off']:.3f}")


def main(results_dir):
    if any(pathlib.Path(results_dir).glob("fastpath-*.json")):
        sched_report(results_dir)
        return
    runs = load(results_dir)
    if not runs:
        sys.exit(f"no benchmark results in {results_dir}")
    print(f"{'job':<16}{'device':<22}{'IOPS':>10}{'spread':>8}{'xbase':>9}"
          f"{'p99 us':>10}{'xbase':>9}  runs")
    for rw, qd in sorted({(k[0], k[1]) for k in runs}):
        base = runs.get((rw, qd, "linear")) or runs.get((rw, qd, "tandem-nometa"))
        base_iops = statistics.median(r[0] for r in base) if base else None
        base_p99 = statistics.median(r[1] for r in base) if base else None
        for dev in DEVICES:
            r = runs.get((rw, qd, dev))
            if not r:
                continue
            iops = statistics.median(x[0] for x in r)
            p99 = statistics.median(x[1] for x in r)
            iops_ratio = f"{iops / base_iops:.2f}" if base_iops else "-"
            p99_ratio = f"{p99 / base_p99:.2f}" if base_p99 else "-"
            print(f"{rw + ' qd' + str(qd):<16}{dev:<22}{iops:>10.0f}"
                  f"{spread([x[0] for x in r]):>7.0f}%{iops_ratio:>9}"
                  f"{p99:>10.1f}{p99_ratio:>9}  {len(r)}")
        print()
    outage = pathlib.Path(results_dir) / "resync-outage.txt"
    if outage.exists():
        f = dict(kv.split("=") for kv in outage.read_text().split())
        print(f"resync after a 1% outage ({f['outage_regions']} of {f['regions']} regions): "
              f"{f['partial_kib']} KiB in {int(f['partial_cs']) / 100:.2f} s; "
              f"full resync {f['full_kib']} KiB in {int(f['full_cs']) / 100:.2f} s; "
              f"bytes {int(f['partial_kib']) / int(f['full_kib']) * 100:.2f}% of a full resync")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/lab-results/6.1/datapath-bench")
