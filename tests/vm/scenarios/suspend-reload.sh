# Suspend/resume (with and without --noflush) and table reloads with new
# weights while fio writes and verifies: nothing is lost, the legs end
# identical, and the reloaded weights are live.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg s0 128)
d1=$(make_loop_leg s1 128)
tandem_create sr 1024 $d0 $d1 -- read_weights 50 50
maj_min0=$(dmsetup info -c --noheadings -o major,minor s0 | tr -d ' ' | tr , :)
maj_min1=$(dmsetup info -c --noheadings -o major,minor s1 | tr -d ' ' | tr , :)

# After a suspend returns, no I/O may be in flight to any leg.
assert_legs_idle() {
	for leg in s0 s1; do
		blk=$(dmsetup info -c --noheadings -o blkdevname $leg | tr -d ' ')
		assert_eq "0 0" "$(tr -s ' ' </sys/block/$blk/inflight | sed 's/^ //')" \
			"in-flight reads and writes on $leg while suspended ($1)"
	done
}

verify_writer_start /dev/mapper/sr

i=0
for w in "90 10" "10 90" "60 40" "30 70"; do
	sleep 1
	dmsetup suspend sr
	assert_legs_idle suspend
	sleep 1
	dmsetup resume sr
	sleep 1
	dmsetup suspend --noflush sr
	assert_legs_idle noflush
	dmsetup resume sr
	dmsetup reload sr --table \
		"0 $TANDEM_SECTORS tandem - 1024 2 $maj_min0 $maj_min1 4 nosync read_weights $w"
	dmsetup resume sr
	assert_eq "$(echo $w | cut -d' ' -f1)" "$(tandem_weight sr 0)" "leg 0 weight after reload $i"
	i=$((i + 1))
done
verify_writer_stop || die "fio saw an error or a verify failure across suspends and reloads"
log "ok: $(verify_writer_rounds) write+verify rounds across suspends and reloads"

assert_eq AA "$(tandem_field sr 3)" "leg states"
assert_same_data "$d0" "$d1" $TANDEM_SECTORS
dmsetup remove sr
