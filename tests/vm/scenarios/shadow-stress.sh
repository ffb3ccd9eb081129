# Sampled read compares and async write clones under pool pressure: four
# fio jobs of mixed sizes (512 B to 256 KiB) read and write for 45 s while
# the pool is resized every second; nothing fails, the kernel stays quiet
# (the lab fails the run on any oops or warning) and reads were compared.
. /lab/shadow.sh
load_modules dm-tandem
a=$(make_null_leg s0 256)
b=$(make_null_leg s1 256)
s=$(make_null_leg ssh 256)
tandem_create st 1024 "$a" "$b" -- shadow "$s" shadow_pool 256
dev=/dev/mapper/st
(
	for i in $(seq 1 40); do
		dmsetup message st 0 shadow pool $(( (i % 4) * 256 + 64 ))
		sleep 1
	done
) &
fio --name=mix --filename=$dev --direct=1 --ioengine=libaio --rw=randrw \
	--bsrange=512-256k --iodepth=32 --numjobs=4 --size=200m --time_based --runtime=45 \
	--output-format=terse >/dev/null || die "fio failed"
wait
set -- $(shadow_fields st read.prod_count compared mismatches dropped)
log "reads $1 compared $2 mismatches $3 dropped $4"
[ "$2" -gt 0 ] || die "nothing compared"
dmsetup remove st
log "ok: stress finished"
