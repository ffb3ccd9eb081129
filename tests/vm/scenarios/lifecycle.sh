# Create and remove a tandem device 100 times, with some I/O each time;
# afterwards nothing holds the module and it unloads.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg c0 16)
d1=$(make_loop_leg c1 16)
i=0
while [ $i -lt 100 ]; do
	dmsetup create cyc --table "0 32768 tandem - 64 2 $d0 $d1 4 nosync read_weights 50 50"
	dd if=/dev/zero of=/dev/mapper/cyc bs=4k count=4 oflag=direct 2>/dev/null
	dd if=/dev/mapper/cyc of=/dev/null bs=4k count=4 iflag=direct 2>/dev/null
	dmsetup message cyc 0 fail_leg $((i % 2))
	dmsetup remove cyc
	i=$((i + 1))
done
log "ok: 100 create/remove cycles"
lsmod | grep -q '^dm_tandem' || die "module not loaded"
rmmod dm_tandem || die "dm-tandem could not be unloaded"
if lsmod | grep -q '^dm_tandem'; then
	die "dm-tandem still loaded"
fi
log "ok: dm-tandem unloaded"
