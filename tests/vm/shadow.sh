# shellcheck shell=dash
# Helpers for scenarios that use the tandem shadow (POSIX sh, in the VM).
# Sources tandem.sh (and so needs lib.sh, which the VM's init sources).
# Status layout: docs/target.md, "Status", version 6: the shadow part is
# the last 11 + 4 * 7 = 39 fields, right after #rules.
. /lab/tandem.sh

# --- status ------------------------------------------------------------------

# awk prelude: s = index of shadow_dev, located from the version 5 layout
# (queue_depth at 17 + 6 * #legs, 11 fields per class, then #rules); it
# must also be exactly the last 39 fields, or the format is not the one
# these helpers know.
_SHADOW_LOC='b = 17 + 6 * $2; nc = $(b + 2); s = b + 4 + 11 * nc
	if ($1 != 6 || NF != s + 38) {
		print "not a version 6 status with 39 shadow fields: " $0 > "/dev/stderr"
		exit 1
	}'

# shadow_fields <name> <spec>...: from one status line, the value of each
# spec, space separated. A spec is a summary field
#   dev mode sample pool_kib pool_used_kib dropped gate_failures compared
#   mismatches confined confined_errors
# or <op>.<field>, op one of read write flush discard and field one of
#   prod_count prod_errors prod_p99_us shadow_count shadow_errors shadow_p99_us
# e.g. shadow_fields t write.prod_count write.shadow_count dropped
shadow_fields() {
	local dev=$1
	shift
	tandem_status "$dev" | awk -v want="$*" "{ $_SHADOW_LOC }"'
	{
		split("dev mode sample pool_kib pool_used_kib dropped gate_failures compared mismatches confined confined_errors", sf, " ")
		for (i = 1; i <= 11; i++) soff[sf[i]] = i - 1
		split("read write flush discard", ops, " ")
		for (i = 1; i <= 4; i++) ooff[ops[i]] = 11 + 7 * (i - 1)
		split("prod_count prod_errors prod_p99_us shadow_count shadow_errors shadow_p99_us", of, " ")
		for (i = 1; i <= 6; i++) foff[of[i]] = i
		n = split(want, w, " ")
		out = ""
		for (k = 1; k <= n; k++) {
			if (w[k] in soff) {
				v = $(s + soff[w[k]])
			} else {
				dot = index(w[k], ".")
				op = substr(w[k], 1, dot - 1); f = substr(w[k], dot + 1)
				if (!dot || !(op in ooff) || !(f in foff)) {
					print "unknown shadow field " w[k] > "/dev/stderr"; exit 1
				}
				if ($(s + ooff[op]) != op) {
					print "status has " $(s + ooff[op]) " where " op " belongs: " $0 > "/dev/stderr"; exit 1
				}
				v = $(s + ooff[op] + foff[f])
			}
			out = out (k > 1 ? " " : "") v
		}
		print out
	}' || die "$dev: cannot read shadow fields $*"
}

# shadow_field <name> <spec>: one field (see shadow_fields).
shadow_field() {
	shadow_fields "$1" "$2"
}

# shadow_op <name> <op> <field>: one per-operation figure.
shadow_op() {
	shadow_fields "$1" "$2.$3"
}

# shadow_log <name>: the shadow part of the status, for the console.
shadow_log() {
	log "$1 shadow: $(tandem_status "$1" | awk '{ for (i = NF - 38; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "\n") }')"
}

# shadow_stats <name>: the shadow lines of the stats reply.
shadow_stats() {
	dmsetup message "$1" 0 stats | grep '^shadow' || true
}

# shadow_mismatch_sectors <name>: the sectors listed by stats, sorted
# numerically, one line, space separated ("" when none).
shadow_mismatch_sectors() {
	local line
	line=$(dmsetup message "$1" 0 stats | grep '^shadow_mismatch_sectors') ||
		die "$1: no shadow_mismatch_sectors line in stats"
	echo "$line" | awk '{ print $2 }' | tr ',' '\n' | grep . | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# shadow_msg <name> <words>...: a message to the target, which must succeed.
shadow_msg() {
	local dev=$1
	shift
	dmsetup message "$dev" 0 "$@" || die "$dev: message '$*' refused"
}

# shadow_drain <name>: suspend and resume: a suspend waits for every
# shadow clone (async ones included), so afterwards all have landed.
shadow_drain() {
	dmsetup suspend "$1" || die "cannot suspend $1"
	dmsetup resume "$1" || die "cannot resume $1"
}

# --- table -------------------------------------------------------------------

# tandem_features <name>: the feature words of the table, without their
# count. shadow_strip=1 in the environment leaves the shadow features out.
tandem_features() {
	dmsetup table "$1" | head -n 1 | awk -v strip="${shadow_strip:-0}" '
	{
		i = 7 + $6		# the feature count
		for (k = i + 1; k <= NF; ) {
			w = $k; n = 0
			if (w == "read_weights") n = $6
			else if (w == "class") n = 4
			else if (w == "rule") n = 1 + $(k + 1)
			else if (w == "sync_rate" || w == "resync_mode" || w == "queue_depth") n = 1
			else if (w ~ /^shadow(_mode|_sample|_pool)?$/) {
				n = 1
				if (strip) { k += 2; continue }
			} else if (w != "nosync") {
				print "unknown feature " w > "/dev/stderr"; exit 1
			}
			for (j = 0; j <= n; j++) out = out " " $(k + j)
			k += n + 1
		}
		print substr(out, 2)
	}' || die "cannot parse the table of $1"
}

# tandem_set_features <name> <word>...: load the table again with these
# feature words (legs, region size and metadata kept) and swap it in.
tandem_set_features() {
	local dev=$1 head
	shift
	head=$(dmsetup table "$dev" | head -n 1 | awk '{ n = 6 + $6; for (i = 1; i <= n; i++) printf "%s%s", $i, (i < n ? " " : "") }')
	dmsetup load "$dev" --table "$head $# $*" || die "cannot load '$head $# $*' into $dev"
	dmsetup suspend "$dev" || die "cannot suspend $dev"
	dmsetup resume "$dev" || die "cannot resume $dev"
}

# shadow_attach <name> <shadow dev> [<shadow feature words>...]: reload
# with this shadow (replacing any shadow features).
shadow_attach() {
	local dev=$1 feats
	shift
	feats=$(shadow_strip=1 tandem_features "$dev")
	# shellcheck disable=SC2086
	tandem_set_features "$dev" $feats shadow "$@"
}

# shadow_detach <name>: reload without any shadow feature.
shadow_detach() {
	local feats
	feats=$(shadow_strip=1 tandem_features "$1")
	# shellcheck disable=SC2086
	tandem_set_features "$1" $feats
}

# --- data --------------------------------------------------------------------
# Ranges are in 4 KiB blocks; every read and write is O_DIRECT, so no page
# cache stands between a device and what is on it.

# blocks_md5 <dev> <first block> <blocks>: in 1 MiB or 64 KiB reads when
# the range allows (4 KiB reads are slow under emulation).
blocks_md5() {
	local bs=1
	if [ $(($2 % 256)) = 0 ] && [ $(($3 % 256)) = 0 ]; then
		bs=256
	elif [ $(($2 % 16)) = 0 ] && [ $(($3 % 16)) = 0 ]; then
		bs=16
	fi
	dd if="$1" bs=$((bs * 4096)) skip=$(($2 / bs)) count=$(($3 / bs)) iflag=direct 2>/dev/null |
		md5sum | cut -d' ' -f1
}

# assert_same_blocks <dev1> <dev2> <first> <blocks> <what>
assert_same_blocks() {
	local a b
	a=$(blocks_md5 "$1" "$3" "$4")
	b=$(blocks_md5 "$2" "$3" "$4")
	[ "$a" = "$b" ] || die "$5: $1 and $2 differ over blocks $3+$4"
	log "ok: $5: same $4 blocks from block $3 ($a)"
}

# assert_blocks_match <reference dev> <first> <blocks> <what> <dev>...: each
# dev holds the same blocks as the reference (read once).
assert_blocks_match() {
	local ref=$1 first=$2 n=$3 what=$4 want d
	shift 4
	want=$(blocks_md5 "$ref" "$first" "$n")
	for d in "$@"; do
		[ "$want" = "$(blocks_md5 "$d" "$first" "$n")" ] ||
			die "$what: $d differs from $ref over blocks $first+$n"
	done
	log "ok: $what: $* hold the blocks $first+$n of $ref ($want)"
}

# make_pattern <file> <blocks>: random data to write and compare later.
make_pattern() {
	dd if=/dev/urandom of="$1" bs=4k count="$2" 2>/dev/null || die "cannot make $1"
}

# write_blocks <dev> <first> <file> [<blocks>]: write the file there.
write_blocks() {
	local n=${4:-$(($(stat -c %s "$3") / 4096))}
	dd if="$3" of="$1" bs=4k seek="$2" count="$n" oflag=direct 2>/dev/null ||
		die "cannot write $3 to $1 at block $2"
}

# file_md5 <file> [<first> <blocks>]: md5 of the file, or of a block range.
file_md5() {
	if [ $# -gt 1 ]; then
		dd if="$1" bs=4k skip="$2" count="$3" 2>/dev/null | md5sum | cut -d' ' -f1
	else
		md5sum <"$1" | cut -d' ' -f1
	fi
}

# fio_iops <terse line> read|write: IOPS of that direction.
fio_iops() {
	case $2 in
	read) fio_terse_field "$1" 8 ;;
	write) fio_terse_field "$1" 49 ;;
	esac
}
