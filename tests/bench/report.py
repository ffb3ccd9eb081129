#!/usr/bin/env python3
"""Summarise the data-path benchmark: median IOPS and p99 latency per
device and job over the repetitions, as ratios against dm-linear measured
in the same boot, with the spread (max-min over median) beside each."""
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


def main(results_dir):
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
