# Bad class, rule and queue_depth input is refused with a reason in the
# kernel log and changes nothing: bad table features create no device;
# bad messages fail with EINVAL and leave the table, the status and the
# rule list as they were, also at the limits (32 rules, 8 classes).
. /lab/tandem.sh
load_modules dm-tandem

a=$(make_null_leg cb0 64)
b=$(make_null_leg cb1 64)
S=131072
legs="- 1024 2 $a $b"

# expect_bad_table <reason> <feature words...>: the feature count is added.
expect_bad_table() {
	reason=$1
	shift
	expect_table_refused "$reason" "0 $S tandem $legs $# $*"
	bad_tables=$((bad_tables + 1))
}

bad_tables=0
expect_bad_table "class needs a name, a weight, an iops and a bw limit" nosync class gold 100
expect_bad_table "class needs a name, a weight, an iops and a bw limit" class gold 100 0
expect_bad_table "class needs a name, a weight, an iops and a bw limit" class
expect_bad_table "Invalid class name" class Gold 100 0 0
expect_bad_table "Invalid class name" class abcdefghijklmnop 100 0 0
expect_bad_table "Invalid class name" class add 100 0 0
expect_bad_table "Invalid class weight" class gold 1001 0 0
expect_bad_table "Invalid class weight" class gold -1 0 0
expect_bad_table "Invalid iops limit" class gold 100 x 0
expect_bad_table "Invalid iops limit" class gold 100 10000001 0
expect_bad_table "Invalid bw limit" class gold 100 0 4294967296
expect_bad_table "Duplicate class" class gold 1 0 0 class gold 2 0 0
expect_bad_table "Too many classes" class c1 1 0 0 class c2 1 0 0 class c3 1 0 0 \
	class c4 1 0 0 class c5 1 0 0 class c6 1 0 0
expect_bad_table "rule needs a word count of 1..6" rule 0 test
expect_bad_table "rule needs a word count of 1..6" \
	rule 7 test op=read size=1-2 ioprio=rt cgroup=1 route=legs op=write
expect_bad_table "rule needs a word count of 1..6" rule two test op=read
expect_bad_table "rule needs a word count of 1..6" rule
expect_bad_table "rule has fewer words than its count" rule 3 test op=read
# A count one short leaves a match behind as a feature word.
expect_bad_table "Unknown feature" rule 1 test op=read
expect_bad_table "Rule names an unknown class" rule 2 nosuch op=read
expect_bad_table "Invalid class name in rule" rule 2 Test op=read
expect_bad_table "Unknown rule match" rule 2 test speed=fast
expect_bad_table "Rule repeats a match" rule 3 test op=read op=write
expect_bad_table "Invalid size match: min is above max" rule 2 test size=8192-4096
expect_bad_table "Invalid route: must be legs or shadow" rule 2 test route=nowhere
expect_bad_table "Invalid queue depth" queue_depth 4097
expect_bad_table "Invalid queue depth" queue_depth -1
expect_bad_table "Invalid queue depth" queue_depth
expect_bad_table "Duplicate feature: queue_depth" queue_depth 1 queue_depth 2
rules33=""
i=0
while [ $i -lt 33 ]; do
	rules33="$rules33 rule 2 test size=$i-$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086 # a list of feature words
expect_bad_table "Too many rules" $rules33
log "ok: $bad_tables bad table lines refused"

# features <word>...: the words preceded by their count.
features() { echo "$# $*"; }

# A rule may name a class the table defines after it.
dmsetup create late --table "0 $S tandem $legs $(features rule 2 late op=read class late 10 0 0)"
assert_eq "late 10" "$(tandem_class_names late | cut -d' ' -f4) $(tandem_class_field late late weight)" \
	"class defined after the rule naming it"
dmsetup remove late

dmsetup create good --table "0 $S tandem $legs $(features nosync queue_depth 8 \
	class gold 300 100 2048 rule 2 gold op=read rule 3 test op=write size=0-4096)"
dmsetup message good 0 class add silver

# snapshot: what no refused message may change.
snapshot() {
	table=$(dmsetup table good)
	status=$(dmsetup status good)
	rules=$(tandem_rules good)
}
snapshot
expect_in "$table" "queue_depth 8 class gold 300 100 2048 class silver 100 0 0 rule 2 gold op=read rule 3 test op=write size=0-4096" "table"

# expect_bad_message <reason> <message words>: refused with the reason
# logged; the status (classes, limits, queue_depth, #rules) is unchanged,
# and so is the rule list after a rule message, the table after any other.
# (dmsetup is slow under emulation: only what the message could change.)
expect_bad_message() {
	reason=$1
	shift
	expect_message_refused good "$reason" "$@"
	assert_eq "$status" "$(dmsetup status good)" "status after message '$*'"
	if [ "$1" = rule ]; then
		assert_eq "$rules" "$(tandem_rules good)" "rule list after message '$*'"
	else
		assert_eq "$table" "$(dmsetup table good)" "table after message '$*'"
	fi
	bad_messages=$((bad_messages + 1))
}

bad_messages=0
name_rule="Invalid class name: [a-z][a-z0-9_-]*, at most 15 characters"
expect_bad_message "$name_rule" class add Bad
expect_bad_message "$name_rule" class add 9lives
expect_bad_message "$name_rule" class add _x
expect_bad_message "$name_rule" class add a.b
expect_bad_message "$name_rule" class add abcdefghijklmnop
expect_bad_message "$name_rule" class add add
expect_bad_message "$name_rule" class add remove
expect_bad_message "$name_rule" class Gold weight 10
expect_bad_message "Class exists" class add gold
expect_bad_message "Class exists" class add critical
expect_bad_message "No such class" class nosuch weight 10
expect_bad_message "No such class" class nosuch limit iops 10
expect_bad_message "No such class" class remove nosuch
expect_bad_message "Invalid class weight: must be 0..1000" class test weight 1001
expect_bad_message "Invalid class weight" class test weight -1
expect_bad_message "Invalid class weight" class test weight 1e3
expect_bad_message "class weight expects one weight" class test weight
expect_bad_message "class weight expects one weight" class test weight 1 2
expect_bad_message "Invalid iops limit" class test limit iops 10000001
expect_bad_message "Invalid iops limit" class test limit iops -5
expect_bad_message "Invalid bw limit" class test limit bw 4294967296
expect_bad_message "class limit expects iops <n>, bw <KiB/s> or both" class test limit
expect_bad_message "class limit expects iops <n>, bw <KiB/s> or both" class test limit iops
expect_bad_message "class limit expects iops <n>, bw <KiB/s> or both, once each" class test limit iops 5 iops 6
expect_bad_message "class limit expects iops <n>, bw <KiB/s> or both, once each" class test limit speed 5
expect_bad_message "class expects add <name>" class
expect_bad_message "class expects add <name>" class test
expect_bad_message "class expects add <name>" class test frob 1
expect_bad_message "Built-in classes cannot be removed" class remove critical
expect_bad_message "Built-in classes cannot be removed" class remove production
expect_bad_message "Built-in classes cannot be removed" class remove test
expect_bad_message "Class is named by a rule" class remove gold
expect_bad_message "Rule names an unknown class" rule add nosuch op=read
expect_bad_message "Invalid class name in rule" rule add Gold op=read
expect_bad_message "Unknown rule match" rule add test speed=fast
expect_bad_message "Unknown rule match" rule add test op
expect_bad_message "Unknown rule match" rule add test opx=read
expect_bad_message "Rule repeats a match" rule add test op=read op=write
expect_bad_message "Rule repeats a match" rule add test size=1-2 size=3-4
expect_bad_message "Rule repeats a match" rule add test ioprio=be ioprio=rt
expect_bad_message "Rule repeats a match" rule add test route=legs route=shadow
expect_bad_message "Invalid route: must be legs or shadow" rule add test route=elsewhere
expect_bad_message "Invalid ioprio match: class must be none, rt, be or idle" rule add test ioprio=low
expect_bad_message "Invalid ioprio match: class must be none, rt, be or idle" rule add test ioprio=
expect_bad_message "Invalid ioprio match: class must be none, rt, be or idle" rule add test ioprio=BE
expect_bad_message "Invalid ioprio match: level must be 0..7" rule add test ioprio=be:8
expect_bad_message "Invalid ioprio match: level must be 0..7" rule add test ioprio=be:-1
expect_bad_message "Invalid ioprio match: level must be 0..7" rule add test ioprio=idle:
expect_bad_message "Invalid op match: operation listed twice" rule add test op=read,read
expect_bad_message "Invalid op match: operation listed twice" rule add test op=write,flush,write
expect_bad_message "Invalid op match: each must be read, write, flush or discard" rule add test op=copy
expect_bad_message "Invalid op match: each must be" rule add test op=
expect_bad_message "Invalid op match: each must be" rule add test op=read,
expect_bad_message "Invalid size match: min is above max" rule add test size=8192-4096
expect_bad_message "Invalid size match: must be <min>-<max> in bytes" rule add test size=4096
expect_bad_message "Invalid size match: must be" rule add test size=-4096
expect_bad_message "Invalid size match: must be" rule add test size=0-4294967296
expect_bad_message "Invalid cgroup match: must be a cgroup id" rule add test cgroup=abc
expect_bad_message "Invalid cgroup match" rule add test cgroup=-1
expect_bad_message "rule expects add <class> [<match>...], del <index>, clear or list" rule
expect_bad_message "rule expects add" rule add
expect_bad_message "rule expects add" rule frob
expect_bad_message "rule expects add" rule list now
expect_bad_message "rule expects add" rule clear all
expect_bad_message "rule expects add" rule del
expect_bad_message "Invalid rule index" rule del x
expect_bad_message "Invalid rule index" rule del -1
expect_bad_message "Invalid rule index" rule del 33
expect_bad_message "No such rule" rule del 2
expect_bad_message "queue_depth expects one depth" queue_depth
expect_bad_message "queue_depth expects one depth" queue_depth 1 2
expect_bad_message "Invalid queue depth: must be 0..4096" queue_depth 4097
expect_bad_message "Invalid queue depth" queue_depth -1
expect_bad_message "Invalid queue depth" queue_depth four
assert_eq "$table" "$(dmsetup table good)" "table after the bad messages"
assert_eq "$rules" "$(tandem_rules good)" "rule list after the bad messages"
log "ok: $bad_messages bad messages refused"

log "at the limits: 8 classes, 32 rules"
# The longest name is fine; so are the other boundaries.
dmsetup message good 0 class add abcdefghijklmno
dmsetup message good 0 class abcdefghijklmno weight 1000
dmsetup message good 0 class abcdefghijklmno weight 0
dmsetup message good 0 class abcdefghijklmno limit iops 10000000 bw 4294967295
dmsetup message good 0 queue_depth 4096
dmsetup message good 0 class add c7
dmsetup message good 0 class add c8
assert_eq 8 "$(tandem_nr_classes good)" "classes"
i=$(tandem_nr_rules good)
while [ "$i" -lt 32 ]; do
	dmsetup message good 0 rule add c8 size=$i-$i
	i=$((i + 1))
done
assert_eq 32 "$(tandem_nr_rules good)" "rules"
snapshot
assert_eq 32 "$(echo "$rules" | wc -l)" "lines of rule list"
expect_bad_message "Too many classes" class add c9
expect_bad_message "Too many rules" rule add test op=read
expect_bad_message "No such rule" rule del 32
# A class leaves, another takes its place; rules still 32.
dmsetup message good 0 class remove c7
dmsetup message good 0 class add c9
assert_eq "critical production test gold silver abcdefghijklmno c9 c8" "$(tandem_class_names good)" \
	"classes after removing c7 and adding c9 (c9 takes c7's slot)"
# The table with 8 classes and 32 rules loads back as it is.
table=$(dmsetup table good)
dmsetup table good | dmsetup load good
dmsetup resume good
assert_eq "$table" "$(dmsetup table good)" "table after reloading 8 classes and 32 rules"
dmsetup remove good
