# Bad table lines and bad messages are refused with a clear reason in the
# kernel log and change nothing: no device appears, a bad reload leaves the
# old table live, and status and table are unchanged after a bad message.
. /lab/tandem.sh
load_modules dm-tandem

a=$(make_loop_leg bi0 64)
b=$(make_loop_leg bi1 64)
small=$(make_loop_leg bi2 8)
S=131072

# expect_bad_table <reason> <table args after "tandem">
expect_bad_table() {
	reason=$1
	shift
	expect_table_refused "$reason" "0 $S tandem $*"
	bad_tables=$((bad_tables + 1))
}

bad_tables=0
expect_bad_table "Not enough arguments" ""
expect_bad_table "Not enough arguments" "- 1024 2 $a"
expect_bad_table "Invalid region size" "- 1000 2 $a $b 1 nosync"
expect_bad_table "Invalid region size" "- 4 2 $a $b 1 nosync"
expect_bad_table "Invalid region size" "- 4194304 2 $a $b 1 nosync"
expect_bad_table "Invalid region size" "- -8 2 $a $b 1 nosync"
expect_bad_table "Invalid number of legs" "- 1024 1 $a $b 1 nosync"
expect_bad_table "Invalid number of legs" "- 1024 5 $a $b $a $b $a 1 nosync"
expect_bad_table "Invalid number of legs" "- 1024 two $a $b 1 nosync"
expect_bad_table "Fewer leg devices than the number of legs" "- 1024 3 $a $b"
expect_bad_table "Invalid feature argument count" "- 1024 2 $a $b nosync"
expect_bad_table "Feature argument count does not match" "- 1024 2 $a $b 2 nosync"
expect_bad_table "Feature argument count does not match" "- 1024 2 $a $b 0 nosync"
expect_bad_table "Duplicate feature: nosync" "- 1024 2 $a $b 2 nosync nosync"
expect_bad_table "Unknown feature" "- 1024 2 $a $b 2 nosync turbo"
expect_bad_table "Read weights must sum to 100" "- 1024 2 $a $b 4 nosync read_weights 60 60"
expect_bad_table "Invalid read weight" "- 1024 2 $a $b 4 nosync read_weights 101 0"
expect_bad_table "read_weights needs one weight per leg" "- 1024 2 $a $b 3 nosync read_weights 100"
expect_bad_table "Invalid sync rate" "- 1024 2 $a $b 3 nosync sync_rate 16777217"
expect_bad_table "Invalid sync rate" "- 1024 2 $a $b 2 nosync sync_rate"
expect_bad_table "Duplicate feature: sync_rate" "- 1024 2 $a $b 4 sync_rate 1 sync_rate 2"
expect_bad_table "Invalid resync mode" "- 1024 2 $a $b 3 nosync resync_mode fast"
expect_bad_table "Error opening metadata device" "/dev/nonexistent 1024 2 $a $b 1 nosync"
expect_bad_table "Leg device is smaller than the target" "- 1024 2 $a $small 1 nosync"
expect_bad_table "Same device given as two legs" "- 1024 2 $a $a 1 nosync"
expect_bad_table "Error opening leg device" "- 1024 2 $a /dev/nonexistent 1 nosync"
log "ok: $bad_tables bad table lines refused"
[ $bad_tables -ge 15 ] || die "too few bad tables tried"

dmsetup create good --table "0 $S tandem - 1024 2 $a $b 4 nosync read_weights 60 40"
table=$(dmsetup table good)
status=$(dmsetup status good)

# A bad reload fails and the old table stays live.
if dmsetup reload good --table "0 $S tandem - 1024 2 $a $b 1 turbo" 2>/dev/null; then
	die "bad reload accepted"
fi
dmsetup resume good
assert_eq "$table" "$(dmsetup table good)" "table after a refused reload"

# expect_bad_message <reason> <message words>
expect_bad_message() {
	reason=$1
	shift
	expect_message_refused good "$reason" "$@"
	assert_eq "$table" "$(dmsetup table good)" "table after message '$*'"
	assert_eq "$status" "$(dmsetup status good)" "status after message '$*'"
	bad_messages=$((bad_messages + 1))
}

bad_messages=0
expect_bad_message "Unknown message" frobnicate
expect_bad_message "Unknown message" WEIGHTS 50 50
expect_bad_message "weights expects one weight per leg" weights
expect_bad_message "weights expects one weight per leg" weights 100
expect_bad_message "weights expects one weight per leg" weights 50 50 0
expect_bad_message "Read weights must sum to 100" weights 50 49
expect_bad_message "Invalid read weight" weights 101 -1
expect_bad_message "Invalid read weight" weights 0x32 50
expect_bad_message "Invalid read weight" weights 50.0 50
expect_bad_message "Expects exactly one leg index" fail_leg
expect_bad_message "Expects exactly one leg index" fail_leg 0 1
expect_bad_message "Invalid leg index" fail_leg 2
expect_bad_message "Invalid leg index" fail_leg -1
expect_bad_message "Invalid leg index" reinstate_leg one
expect_bad_message "Leg is already healthy" reinstate_leg 0
expect_bad_message "stats takes no argument or 'reset'" stats now
expect_bad_message "sync_rate expects one rate in KiB/s" sync_rate
expect_bad_message "Invalid sync rate" sync_rate -5
expect_bad_message "Invalid sync rate" sync_rate 99999999999
expect_bad_message "Invalid resync mode" resync_mode fast
expect_bad_message "resync_mode expects copy or checksum" resync_mode
expect_bad_message "verify and repair take no argument" verify now

# State-dependent refusals.
dmsetup message good 0 fail_leg 1
table=$(dmsetup table good)
status=$(dmsetup status good)
expect_bad_message "Leg is already failed" fail_leg 1
expect_bad_message "Refusing to fail the last healthy leg" fail_leg 0
log "ok: $bad_messages bad messages refused"
[ $bad_messages -ge 15 ] || die "too few bad messages tried"
dmsetup remove good
