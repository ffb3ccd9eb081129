# A leg turned into an `error` device under running fio writers: fio sees
# no error, the leg is marked failed in the status, a dm event fired, and
# all data reads back intact from the surviving leg.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg e0 128)
d1=$(make_loop_leg e1 128)
tandem_create le 1024 $d0 $d1 -- read_weights 50 50
ev=$(dm_event_nr le)

verify_writer_start /dev/mapper/le
sleep 3
swap_to_error e1
before=$(verify_writer_rounds)
# Let at least two whole rounds run on the surviving leg.
while [ "$(verify_writer_rounds)" -lt $((before + 2)) ]; do
	kill -0 $VERIFY_WRITER 2>/dev/null || break
	sleep 1
done
verify_writer_stop || die "fio saw an error while leg 1 failed underneath"
log "ok: $(verify_writer_rounds) write+verify rounds without error"

assert_eq AD "$(tandem_field le 3)" "leg states after leg 1 turned to error"
# Whichever hit the dead leg first fails it: a write error at once, or
# the 20th read error of the verify phase.
errors=$(($(tandem_leg_counter le 1 write_errors) + $(tandem_leg_counter le 1 read_errors)))
[ $errors -gt 0 ] || die "no I/O error counted on leg 1"
assert_eq 0 "$(tandem_leg_counter le 0 write_errors)" "write errors on leg 0"
[ "$(dm_event_nr le)" -gt "$ev" ] || die "no dm event for the failed leg"
dmesg | grep -q "leg 1 failed" || die "leg failure not logged"

# From now on leg 1 gets nothing, and the device is exactly leg 0.
dmsetup message le 0 stats reset
fio_verify_write /dev/mapper/le --size=16m
assert_eq 0 "$(tandem_leg_counter le 1 reads)" "reads sent to the failed leg"
assert_eq 0 "$(tandem_leg_counter le 1 writes)" "writes sent to the failed leg"
assert_same_data /dev/mapper/le "$d0" $TANDEM_SECTORS
dmsetup remove le
