# The dm-tandem walk-through: mirror a volume onto two emulated disks, run
# a verified workload, lose one disk in the middle of it, show that no data
# was lost and where the reads went, then bring the disk back and resync
# only what it missed.
. /lab/tandem.sh
load_modules dm-tandem

say() {
	printf '\n==== %s\n' "$*"
}

show_stats() {
	dmsetup message demo 0 stats | sed 's/^/    /'
}

say "Two 128 MiB disks, each a dm-linear over a loop file, so one can be made to fail"
src=$(make_loop_leg source 128)
tgt=$(make_loop_leg target 128)
echo "    source: $src    target: $tgt"

say "Create the tandem device: reads split 50/50 between the legs"
table="0 $TANDEM_SECTORS tandem - 1024 2 $src $tgt 4 nosync read_weights 50 50"
echo "    dmsetup create demo --table \"$table\""
dmsetup create demo --table "$table"
echo "    status: $(dmsetup status demo)"

say "Write 64 MiB through it with checksums (fio verify=crc32c), then read it back"
fio_verify_write /dev/mapper/demo --size=64m
show_stats

say "Steer reads 90/10 (as tandemd does when the target node's health drops)"
dmsetup message demo 0 weights 90 10
dmsetup message demo 0 stats reset
fio --name=reads --filename=/dev/mapper/demo --direct=1 --rw=randread --bs=4k \
	--number_ios=5000 --size=64m --output-format=terse >/dev/null
show_stats

say "Run a verified workload and turn the target disk into an I/O error device halfway"
dmsetup message demo 0 weights 50 50
dmsetup message demo 0 stats reset
fio_verify_write /dev/mapper/demo --size=96m --output=/tmp/fio.txt &
writer=$!
sleep 2
swap_to_error target
echo "    target disk now fails every I/O"
if wait $writer; then
	echo "    fio finished: no error seen, every block verified"
else
	die "fio saw an error"
fi
echo "    status: $(dmsetup status demo)"
show_stats
dmesg | grep 'device-mapper: tandem' | tail -n 3 | sed 's/^/    kernel: /'

say "All reads now go to the source; the volume is still exactly the source disk"
dmsetup message demo 0 stats reset
fio --name=reads --filename=/dev/mapper/demo --direct=1 --rw=randread --bs=4k \
	--number_ios=2000 --size=64m --output-format=terse >/dev/null
show_stats
cmp /dev/mapper/demo "$src" && echo "    cmp: tandem volume == source disk, byte for byte"

say "Bring the target disk back: only the regions written while it was out are copied"
missed=$(tandem_out_of_sync demo 1)
swap_back target
dmsetup message demo 0 reinstate_leg 1
tandem_wait_idle demo 120
echo "    leg 1 missed $missed of $(tandem_nr_regions demo) regions; the resync copied $(tandem_sync_field demo regions_copied) ($(tandem_sync_field demo kib_copied) KiB)"
assert_same_data "$src" "$tgt" $TANDEM_SECTORS
echo "    source and target disks are identical again; states: $(tandem_field demo 3)"

say "dmsetup table prints the line that recreates the device"
echo "    $(dmsetup table demo)"
dmsetup remove demo
say "Demo finished: nothing was lost"
