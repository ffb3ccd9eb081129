#!/usr/bin/python3
# Render tandemd's timeline (tandemd --timeline FILE, a CSV) as a PNG: per
# device, the read weight, the health and the reads per second of each leg
# over time, with the stretches where a leg was not in service shaded.
#
#   scripts/plot-timeline.py TIMELINE.csv [-o OUT.png] [--device NAME]...
#                            [--marks FILE] [--title TEXT] [--rate-window SECONDS]
#
# The CSV has a header line naming its columns: `time_s` (seconds, any
# origin), `device`, and per leg i `leg<i>_weight` (0..100),
# `leg<i>_health` (0..100, empty or nan when not known), `leg<i>_state` (A alive,
# a syncing, D dead) and `leg<i>_reads` (the kernel's cumulative read
# counter: reads/s are its differences over --rate-window seconds, 2 by
# default; a counter that goes down was reset). Other columns are ignored. --marks names a file of
# "<time_s> <label>" lines (same clock) drawn as labelled vertical lines:
# what the operator did when.
#
# The system interpreter (/usr/bin/python3) is the one python3-matplotlib
# installs into; the Agg backend needs no display.
import argparse
import csv
import math
import re
import sys

LEG_COLUMN = re.compile(r"^leg(\d+)_(weight|health|state|reads)$")
STATE_COLOURS = {"a": ("#f5b041", "syncing"), "D": ("#ec7063", "dead")}


class TimelineError(Exception):
    pass


class Series:
    """One device's samples, column by column."""

    def __init__(self, name, legs):
        self.name = name
        self.legs = legs
        self.time = []
        self.weight = {leg: [] for leg in legs}
        self.health = {leg: [] for leg in legs}
        self.state = {leg: [] for leg in legs}
        self.reads = {leg: [] for leg in legs}


def parse_number(text, where, lo=None, hi=None, empty_ok=False):
    """A number; with empty_ok, "" (or "nan") is NaN: not known."""
    text = text.strip()
    if empty_ok and text.lower() in ("", "nan"):
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise TimelineError(f"{where}: expected a number, got '{text}'") from None
    if not math.isfinite(value):
        raise TimelineError(f"{where}: expected a finite number, got '{text}'")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise TimelineError(f"{where}: {text} is outside {lo:g}..{hi:g}")
    return value


def read_timeline(path):
    """Series by device name, in the order the devices first appear."""
    try:
        handle = open(path, newline="")
    except OSError as e:
        raise TimelineError(f"{path}: cannot read: {e.strerror}") from None
    with handle:
        rows = csv.reader(handle)
        try:
            header = next(rows)
        except StopIteration:
            raise TimelineError(f"{path}: empty file; expected a header line") from None
        header = [h.strip() for h in header]
        index = {name: i for i, name in enumerate(header)}
        for required in ("time_s", "device"):
            if required not in index:
                raise TimelineError(
                    f"{path}:1: no '{required}' column; the header is: {','.join(header)}")
        legs = {}
        for i, name in enumerate(header):
            m = LEG_COLUMN.match(name)
            if m:
                legs.setdefault(int(m.group(1)), {})[m.group(2)] = i
        if not legs:
            raise TimelineError(
                f"{path}:1: no leg<i>_weight/_health/_state/_reads columns; "
                f"the header is: {','.join(header)}")
        for leg, cols in sorted(legs.items()):
            if "weight" not in cols:
                raise TimelineError(f"{path}:1: leg {leg} has no leg{leg}_weight column")

        devices = {}
        for row in rows:
            line = rows.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise TimelineError(
                    f"{path}:{line}: {len(row)} columns, the header has {len(header)}")

            def cell(i):
                return row[i].strip()

            name = cell(index["device"])
            if not name:
                raise TimelineError(f"{path}:{line}: device: empty")
            series = devices.get(name)
            if series is None:
                series = devices[name] = Series(name, sorted(legs))
            t = parse_number(cell(index["time_s"]), f"{path}:{line}: time_s")
            if series.time and t < series.time[-1]:
                raise TimelineError(
                    f"{path}:{line}: time_s {t:g} is before the previous sample of "
                    f"{name} ({series.time[-1]:g})")
            series.time.append(t)
            for leg, cols in legs.items():
                where = f"{path}:{line}: leg{leg}"
                series.weight[leg].append(
                    parse_number(cell(cols["weight"]), f"{where}_weight", 0, 100, empty_ok=True))
                series.health[leg].append(
                    parse_number(cell(cols["health"]), f"{where}_health", 0, 100, empty_ok=True)
                    if "health" in cols else math.nan)
                state = cell(cols["state"]) if "state" in cols else ""
                if state not in ("", "A", "a", "D"):
                    raise TimelineError(f"{where}_state: expected A, a or D, got '{state}'")
                series.state[leg].append(state)
                series.reads[leg].append(
                    parse_number(cell(cols["reads"]), f"{where}_reads", 0, empty_ok=True)
                    if "reads" in cols else math.nan)
        if not devices:
            raise TimelineError(f"{path}: a header but no samples")
        return devices


def read_marks(path):
    marks = []
    try:
        handle = open(path)
    except OSError as e:
        raise TimelineError(f"{path}: cannot read: {e.strerror}") from None
    with handle:
        for line_no, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            time_text, _, label = line.partition(" ")
            marks.append((parse_number(time_text, f"{path}:{line_no}: time"), label.strip()))
    return marks


def rates(times, counts, window):
    """Per-second rate of a cumulative counter at each sample, over the last
    `window` seconds (at least the previous sample): samples come at every
    poll and dm event, so single intervals are too short to mean much.  A
    counter that went down was reset: it counts from 0 there."""
    # The counter made monotonic: each reset adds the value before it.
    total, offset, previous = [], 0.0, None
    for c in counts:
        if math.isnan(c):
            total.append(math.nan)
            continue
        if previous is not None and c < previous:
            offset += previous
        previous = c
        total.append(c + offset)
    out = []
    start = 0
    for i, t in enumerate(times):
        while start < i - 1 and t - times[start + 1] >= window:
            start += 1
        dt = t - times[start]
        a, b = total[start], total[i]
        if i == 0 or dt <= 0 or math.isnan(a) or math.isnan(b):
            out.append(math.nan)
        else:
            out.append((b - a) / dt)
    return out


def out_of_service(times, states):
    """(start, end, state) of each run of samples whose state is a or D."""
    spans = []
    start = None
    for i, state in enumerate(states):
        if start is not None and state != states[start]:
            spans.append((times[start], times[i], states[start]))
            start = None
        if start is None and state in STATE_COLOURS:
            start = i
    if start is not None:
        spans.append((times[start], times[-1], states[start]))
    return spans


def plot(devices, out, marks, title, rate_window):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    columns = len(devices)
    fig, axes = plt.subplots(3, columns, figsize=(11 * columns, 9), sharex="col", squeeze=False)
    t0 = min(s.time[0] for s in devices.values())
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for col, series in enumerate(devices.values()):
        times = [t - t0 for t in series.time]
        weight_ax, health_ax, reads_ax = axes[0][col], axes[1][col], axes[2][col]
        for leg in series.legs:
            colour = colours[leg % len(colours)]
            label = f"leg {leg}" + (" (source)" if leg == 0 else "")
            weight_ax.step(times, series.weight[leg], where="post", color=colour, label=label)
            health_ax.plot(times, series.health[leg], color=colour, label=label)
            reads_ax.plot(times, rates(times, series.reads[leg], rate_window), color=colour,
                          label=label)
            for start, end, state in out_of_service(times, series.state[leg]):
                for ax in (weight_ax, health_ax, reads_ax):
                    ax.axvspan(start, end, color=STATE_COLOURS[state][0], alpha=0.15, lw=0)
        weight_ax.set_title(f"{series.name}" if not title else f"{title}: {series.name}")
        weight_ax.set_ylabel("read weight (%)")
        weight_ax.set_ylim(-3, 103)
        health_ax.set_ylabel("health (0..100)")
        health_ax.set_ylim(-3, 103)
        reads_ax.set_ylabel(f"reads/s (over {rate_window:g} s)")
        reads_ax.set_ylim(bottom=0)
        reads_ax.set_xlabel("seconds")
        for ax in (weight_ax, health_ax, reads_ax):
            ax.grid(True, alpha=0.3)
            for when, label in marks:
                ax.axvline(when - t0, color="grey", ls="--", lw=0.8)
        for when, label in marks:
            weight_ax.annotate(label, (when - t0, 1.0), xycoords=("data", "axes fraction"),
                               rotation=90, va="top", ha="right", fontsize=8, color="dimgrey")
        handles, labels = weight_ax.get_legend_handles_labels()
        for state, (colour, meaning) in STATE_COLOURS.items():
            legs = [str(leg) for leg in series.legs if state in series.state[leg]]
            if legs:
                handles.append(Patch(color=colour, alpha=0.3))
                labels.append(f"{meaning} ({state}): leg {', '.join(legs)}")
        weight_ax.legend(handles, labels, loc="center left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def main(argv):
    parser = argparse.ArgumentParser(
        description="Plot tandemd's --timeline CSV: read weights, health and reads/s per leg.")
    parser.add_argument("timeline", help="the CSV tandemd --timeline wrote")
    parser.add_argument("-o", "--output", help="the PNG to write (default: TIMELINE with .png)")
    parser.add_argument("--device", action="append", default=[],
                        help="plot only this device (repeatable; default: every device)")
    parser.add_argument("--marks", help="a file of '<time_s> <label>' lines to draw")
    parser.add_argument("--title", default="", help="text before each device's name")
    parser.add_argument("--rate-window", type=float, default=2.0, metavar="SECONDS",
                        help="reads/s are averaged over this long (default 2)")
    args = parser.parse_args(argv)
    if not math.isfinite(args.rate_window) or args.rate_window <= 0:
        print(f"plot-timeline: --rate-window: expected seconds above 0, got {args.rate_window:g}",
              file=sys.stderr)
        return 2
    out = args.output or re.sub(r"(\.csv)?$", ".png", args.timeline, count=1)
    try:
        devices = read_timeline(args.timeline)
        if args.device:
            missing = [d for d in args.device if d not in devices]
            if missing:
                raise TimelineError(
                    f"{args.timeline}: no samples of {', '.join(missing)}; "
                    f"it has {', '.join(devices)}")
            devices = {d: devices[d] for d in args.device}
        marks = read_marks(args.marks) if args.marks else []
        plot(devices, out, marks, args.title, args.rate_window)
    except TimelineError as e:
        print(f"plot-timeline: {e}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
