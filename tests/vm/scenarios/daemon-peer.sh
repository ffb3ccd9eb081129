# Two nodes, two daemons: node b is a network namespace joined by veth,
# where a second tandemd measures node b's own health (its application's
# HTTP endpoint probed every 500 ms) and serves it on /health, behind a
# bearer token. The first tandemd, on node a, mirrors a device onto a leg
# of each node and weighs node b's leg by the health node b reports. When
# node b's application stops answering (its file removed: 404), node b's
# daemon reports a lower health and the first daemon moves reads off the
# leg on node b; when the application is back, so are the reads.
. /lab/daemon.sh
load_modules dm-tandem
require_cmd tandemd

netns_make nodeb 10.77.0.1 10.77.0.2
http_serve /tmp/www-b 127.0.0.1:8080 nodeb
echo ready >/tmp/www-b/ready
token=$TANDEMD_DIR/token
echo "lab-token-$$" >"$token"

make_null_leg pa 64 >/dev/null
make_null_leg pb 64 >/dev/null
make_null_leg b0 16 >/dev/null
make_null_leg b1 16 >/dev/null

# The two nodes share one emulated CPU and its memory: only what tells
# them apart counts, and node b's application weighs most.
health='health:
  cpu: 0
  memory: 0
  probes: 1'

peer_conf=$TANDEMD_DIR/node-b.yaml
cat >"$peer_conf" <<EOF
poll_interval_ms: 500
health_interval_ms: 500
probe_interval_ms: 500
http:
  listen: 10.77.0.2:9470
  token_file: $token
nodes:
  - name: b
    health: local
    probes:
      - url: http://127.0.0.1:8080/ready
        timeout_ms: 400
devices:
  - name: bdev
    metadata: "-"
    nosync: true
    legs:
      - device: /dev/mapper/b0
        node: b
      - device: /dev/mapper/b1
        node: b
$health
EOF

conf=$TANDEMD_DIR/node-a.yaml
cat >"$conf" <<EOF
poll_interval_ms: 500
health_interval_ms: 500
weights_interval_ms: 500
http:
  listen: 127.0.0.1:9470
  token_file: $token
nodes:
  - name: a
    health: local
  - name: b
    health: http://10.77.0.2:9470/health
devices:
  - name: mirror
    metadata: "-"
    nosync: true
    read_weights: [60, 40]
    legs:
      - device: /dev/mapper/pa
        node: a
      - device: /dev/mapper/pb
        node: b
$health
EOF

# health_score URL : the score in the /health report at URL (with the token).
health_score() {
	timeout 10 wget -q --header "Authorization: Bearer $(cat "$token")" -O - "$1" |
		sed -n 's/.*"score":\([0-9.]*\).*/\1/p' | awk '{ printf "%.1f\n", $1 }'
}

# node_b_seen_from_a : node b's health as node a's daemon has it, from its
# /metrics.
node_b_seen_from_a() {
	timeout 10 wget -q --header "Authorization: Bearer $(cat "$token")" -O - \
		http://127.0.0.1:9470/metrics | awk '$1 == "tandem_node_health_score{node=\"b\"}" { printf "%.1f\n", $2 }'
}

# below VALUE LIMIT : VALUE is a number under LIMIT.
below() {
	[ -n "$1" ] && awk -v v="$1" -v l="$2" 'BEGIN { exit !(v < l) }'
}

log "node b's daemon, in its own network namespace"
TANDEMD_NETNS=nodeb tandemd_start b1 "$peer_conf"
tandemd_wait b1 15 "http: serving /health and /metrics on 10.77.0.2:9470 (bearer token required)"
wait_until 15 eval '[ -n "$(health_score http://10.77.0.2:9470/health)" ]'
assert_eq 401 "$(http_status http://10.77.0.2:9470/health)" "/health of node b without the token"
report=$(timeout 10 wget -q --header "Authorization: Bearer $(cat "$token")" -O - http://10.77.0.2:9470/health)
expect_in "$report" '"node":"b"' "node b's /health report"
log "ok: node b reports health $(health_score http://10.77.0.2:9470/health)"

log "node a's daemon mirrors onto a leg of each node"
tandemd_start a1 "$conf"
tandemd_wait a1 15 "mirror: created (uuid TANDEM-mirror, 2 legs, "
weights_watch_start mirror "$TANDEMD_DIR/weights.txt"
command fio --eta=never --name=reads --filename=/dev/mapper/mirror --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=4 --size=32m --time_based --runtime=600 \
	--output="$TANDEMD_DIR/reads.txt" &
reads=$!
sleep 6
before=$(tandem_weight mirror 1)
log "read weights with both nodes healthy: $(tandem_weights mirror); node a sees node b at $(node_b_seen_from_a)"
[ "$before" -ge 30 ] || die "node b's leg has weight $before with both nodes healthy"

log "node b's application stops answering"
rm /tmp/www-b/ready
assert_eq 404 "$(in_netns nodeb busybox wget -S -q -O /dev/null http://127.0.0.1:8080/ready 2>&1 |
	awk '$1 ~ /^HTTP\// { print $2 }')" "node b's probe endpoint"
wait_until 30 weight_at_most mirror 1 $((before - 10))
wait_until 10 eval 'below "$(node_b_seen_from_a)" 60'
log "ok: node b's leg: read weight $before -> $(tandem_weight mirror 1); node b reports health $(health_score http://10.77.0.2:9470/health), node a sees $(node_b_seen_from_a)"
line=$(tandemd_line a1 "mirror: read weights ")
log "tandemd a1: $line"

log "node b's application is back"
echo ready >/tmp/www-b/ready
wait_until 60 weight_at_least mirror 1 $((before - 5))
log "ok: node b's leg is back to $(tandem_weight mirror 1)"

kill "$reads"
wait "$reads" || true
grep -q ' err= *0:' "$TANDEMD_DIR/reads.txt" || die "the reads saw errors: $(grep -i err "$TANDEMD_DIR/reads.txt")"
weights_watch_stop
tandemd_stop a1
assert_eq 0 "$TANDEMD_RC" "node a's tandemd exit status"
tandemd_stop b1
assert_eq 0 "$TANDEMD_RC" "node b's tandemd exit status"
