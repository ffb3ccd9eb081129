# Rules route every bio to a class, proven by the per-class bios and kib
# counters with exact counts: by op (read, write, flush, discard), by size,
# by I/O priority (ionice, fio's prioclass), by cgroup (and its children);
# the first matching rule wins and an unmatched bio is production;
# rule del and rule clear change the routing at once; stats reset zeroes
# every class figure.
. /lab/tandem.sh
load_modules dm-tandem

# Loop legs: they have a volatile write cache, so fsync sends a flush down
# to the target (a cacheless device completes it above), and they discard.
a=$(make_loop_leg r0 64)
b=$(make_loop_leg r1 64)
TANDEM_SECTORS=131072
tandem_create rt 1024 "$a" "$b"
dev=/dev/mapper/rt
msg() { dmsetup message rt 0 "$@"; }

msg class add flushes
msg class add trims
msg class add prio-rt
CLASSES="critical production test flushes trims prio-rt"
assert_eq "$CLASSES" "$(tandem_class_names rt)" "classes in status order"

# rd|wr <bs> <count>: that many direct reads (writes) of <bs> bytes, one bio
# each, from the start of the device.
rd() { dd if=$dev of=/dev/null bs="$1" count="$2" iflag=direct 2>/dev/null; }
wr() { dd if=/dev/zero of=$dev bs="$1" count="$2" oflag=direct 2>/dev/null; }

# expect <what> <bios of each class in $CLASSES order>: counters since the
# last stats reset, then reset them for the next step.
expect() {
	_what=$1
	shift
	assert_eq "$*" "$(tandem_class_fields rt bios $CLASSES)" \
		"$_what: bios of $CLASSES"
	log "ok: $_what: $*"
	msg stats reset
}

log "no rules: everything is production"
assert_eq 0 "$(tandem_nr_rules rt)" "rules at creation"
rd 4k 10
wr 4k 6
assert_eq 64 "$(tandem_class_field rt production kib)" "production KiB of 16 4 KiB bios"
expect "no rules" 0 16 0 0 0 0

log "op rules: read, write, flush, discard"
msg rule add critical op=read
msg rule add test op=write
msg rule add flushes op=flush
msg rule add trims op=discard
assert_eq 4 "$(tandem_nr_rules rt)" "rules after four rule add"
rd 4k 7
wr 4k 5
expect "reads and writes" 7 0 5 0 0 0
# dd's fsync: three writes, then one empty flush.
dd if=/dev/zero of=$dev bs=4k count=3 oflag=direct conv=fsync 2>/dev/null
expect "writes then fsync" 0 0 3 1 0 0
assert_eq 0 "$(tandem_class_field rt flushes kib)" "KiB of an empty flush"
# fio syncs after every write but its last one.
fio --name=fsync --filename=$dev --direct=1 --ioengine=psync --rw=write \
	--bs=4k --number_ios=8 --fsync=1 --size=16m --output-format=terse >/dev/null
expect "fio, fsync after every write" 0 0 8 7 0 0
blkdiscard -o 0 -l 4096 $dev
blkdiscard -o 65536 -l 8192 $dev
assert_eq 12 "$(tandem_class_field rt trims kib)" "KiB discarded"
expect "two discards" 0 0 0 0 2 0
msg rule clear
msg rule add critical op=read,discard
rd 4k 2
wr 4k 3
blkdiscard -o 0 -l 4096 $dev
expect "op=read,discard" 3 3 0 0 0 0

log "size rules, unmatched sizes are production"
msg rule clear
msg rule add test size=0-4096
msg rule add critical size=65536-65536
rd 4k 4
rd 64k 3
rd 8k 2
wr 32k 1
expect "4k test, 64k critical, others production" 3 3 4 0 0 0

log "the first matching rule wins"
msg rule clear
msg rule add critical op=read size=0-4096
msg rule add test op=read
msg rule add prio-rt op=read size=0-4096
rd 4k 6
rd 64k 4
wr 4k 3
expect "first match" 6 3 4 0 0 0
assert_eq "0 critical op=read size=0-4096
1 test op=read
2 prio-rt op=read size=0-4096" "$(tandem_rules rt)" "rule list"

log "rule del and rule clear change the routing"
msg rule del 0
assert_eq "0 test op=read
1 prio-rt op=read size=0-4096" "$(tandem_rules rt)" "rule list after rule del 0"
rd 4k 5
expect "after rule del 0: 4k reads are test" 0 0 5 0 0 0
msg rule del 0
rd 4k 5
expect "after rule del 0 again: 4k reads are prio-rt" 0 0 0 0 0 5
msg rule clear
assert_eq "" "$(tandem_rules rt)" "rule list after rule clear"
assert_eq 0 "$(tandem_nr_rules rt)" "rules after rule clear"
rd 4k 2
expect "after rule clear: production" 0 2 0 0 0 0

log "I/O priority rules: ionice and fio's prioclass"
msg rule add test ioprio=idle
msg rule add critical ioprio=be:2
msg rule add prio-rt ioprio=rt
ionice -c3 dd if=$dev of=/dev/null bs=4k count=8 iflag=direct 2>/dev/null
ionice -c2 -n2 dd if=$dev of=/dev/null bs=4k count=4 iflag=direct 2>/dev/null
ionice -c2 -n5 dd if=$dev of=/dev/null bs=4k count=3 iflag=direct 2>/dev/null
ionice -c1 -n0 dd if=/dev/zero of=$dev bs=4k count=2 oflag=direct 2>/dev/null
expect "ionice idle, be:2, be:5, rt" 4 3 8 0 0 2
fio --name=idle --filename=$dev --direct=1 --ioengine=libaio --iodepth=4 \
	--rw=randread --bs=4k --number_ios=20 --size=16m --prioclass=3 \
	--name=be2 --filename=$dev --direct=1 --ioengine=libaio --iodepth=4 \
	--rw=randwrite --bs=4k --number_ios=10 --size=16m --prioclass=2 --prio=2 \
	--output-format=terse >/dev/null
expect "fio prioclass=3 and prioclass=2 prio=2" 10 0 20 0 0 0

log "stats reset zeroes every class figure"
rd 4k 3
ionice -c3 dd if=$dev of=/dev/null bs=4k count=3 iflag=direct 2>/dev/null
[ "$(tandem_class_field rt test p99_us)" -gt 0 ] || die "no p99 latency after completed bios"
msg stats reset
for field in bios kib queued waited throttled p50_us p99_us; do
	assert_eq "0 0 0 0 0 0" "$(tandem_class_fields rt $field $CLASSES)" \
		"$field of every class after stats reset"
done
msg stats | grep '^class ' >/tmp/class-stats
assert_eq 6 "$(grep -c 'bios 0 kib 0 queued 0 waited 0 throttled 0 p50_us 0 p99_us 0 lat_us 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0$' /tmp/class-stats)" \
	"zeroed class lines in the stats reply"
log "ok: every class figure is 0 after stats reset"

log "cgroup rules: the cgroup and its children"
msg rule clear
cgroup_make crit
cgroup_make other
crit=$(cgroup_id crit)
msg rule add test cgroup="$crit" op=write
msg rule add critical cgroup="$crit"
in_cgroup crit dd if=$dev of=/dev/null bs=4k count=12 iflag=direct 2>/dev/null
in_cgroup crit dd if=/dev/zero of=$dev bs=4k count=3 oflag=direct 2>/dev/null
in_cgroup other dd if=$dev of=/dev/null bs=4k count=5 iflag=direct 2>/dev/null
rd 4k 2
expect "reads from crit critical, writes from crit test, others production" 12 7 3 0 0 0
# crit held only short-lived processes: it may now enable io for a child.
cgroup_make crit/child
in_cgroup crit/child dd if=$dev of=/dev/null bs=4k count=6 iflag=direct 2>/dev/null
in_cgroup crit/child fio --eta=never --name=child --filename=$dev --direct=1 \
	--ioengine=libaio --iodepth=4 --rw=randwrite --bs=4k --number_ios=9 \
	--size=16m --output-format=terse >/dev/null
expect "a child of crit" 6 0 9 0 0 0
dmsetup remove rt
