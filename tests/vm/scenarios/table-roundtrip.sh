# `dmsetup table` prints a line that recreates the same device: the printed
# table loads again and prints back identically, features canonically
# ordered, and weights set by message are kept.
. /lab/tandem.sh
load_modules dm-tandem

d0=$(make_loop_leg t0 64)
d1=$(make_loop_leg t1 64)
d2=$(make_loop_leg t2 64)
TANDEM_SECTORS=131072

roundtrip() {
	table=$(dmsetup table "$1")
	dmsetup create rt_copy --table "$table" || die "printed table does not load: $table"
	assert_eq "$table" "$(dmsetup table rt_copy)" "table of the copy of $1"
	dmsetup remove rt_copy
	log "ok: $table"
}

dmsetup create rt1 --table "0 131072 tandem - 2048 2 $d0 $d1 1 nosync"
roundtrip rt1
case $(dmsetup table rt1) in
*" tandem - 2048 2 "*" 1 nosync") ;;
*) die "unexpected table: $(dmsetup table rt1)" ;;
esac

dmsetup message rt1 0 weights 30 70
roundtrip rt1
case $(dmsetup table rt1) in
*" 4 nosync read_weights 30 70") ;;
*) die "weights from a message are missing in the table: $(dmsetup table rt1)" ;;
esac
dmsetup remove rt1

# Features given in the other order come back in canonical order.
dmsetup create rt3 --table "0 131072 tandem - 8 3 $d0 $d1 $d2 5 read_weights 20 30 50 nosync"
case $(dmsetup table rt3) in
*" tandem - 8 3 "*" 5 nosync read_weights 20 30 50") ;;
*) die "unexpected table: $(dmsetup table rt3)" ;;
esac
roundtrip rt3
dmsetup remove rt3
