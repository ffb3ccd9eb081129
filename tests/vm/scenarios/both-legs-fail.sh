# When every leg fails, the error reaches the caller: direct writes,
# fsync and reads all fail, and the last leg stays healthy in the status.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg b0 64)
d1=$(make_loop_leg b1 64)
TANDEM_SECTORS=131072 tandem_create bf 1024 $d0 $d1 -- read_weights 50 50
dd if=/dev/urandom of=/dev/mapper/bf bs=1M count=4 oflag=direct 2>/dev/null

swap_to_error b0
swap_to_error b1
if dd if=/dev/zero of=/dev/mapper/bf bs=4k count=1 oflag=direct 2>/dev/null; then
	die "a direct write succeeded with both legs failed"
fi
log "ok: direct write failed"
if dd if=/dev/zero of=/dev/mapper/bf bs=4k count=16 conv=fsync 2>/dev/null; then
	die "fsync succeeded with both legs failed"
fi
log "ok: buffered write + fsync failed"
if dd if=/dev/mapper/bf of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; then
	die "a read succeeded with both legs failed"
fi
log "ok: read failed"
states=$(tandem_field bf 3)
case $states in
AD | DA) log "ok: one leg failed, the last one kept: $states" ;;
*) die "unexpected leg states $states" ;;
esac
[ "$(tandem_leg_counter bf 0 write_errors)" -gt 0 ] || die "no write error on leg 0"
[ "$(tandem_leg_counter bf 1 write_errors)" -gt 0 ] || die "no write error on leg 1"
dmsetup remove bf
