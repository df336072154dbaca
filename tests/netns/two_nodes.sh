#!/bin/bash
# Two nodes on one link carry real traffic through their TUN interfaces.
#
#   +---------- ns a ----------+          +---------- ns b ----------+
#   | vpn-a 10.26.0.1/24       |          | vpn-b 10.26.0.2/24       |
#   |   vpnd :51820            |          |   vpnd :51820            |
#   |   veth 192.168.50.1/24 --+----------+-- veth 192.168.50.2/24   |
#   +--------------------------+          +--------------------------+
#
# Checks: ping both ways, tunctl status/peers, an iperf3 TCP run, and a
# 50 MB file copied over TCP with a matching checksum.
. "$(dirname "$0")/lib.sh"
lab_init

lab_two_nodes lab 192.168.50

ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.26.0.2 >/dev/null || fail "a cannot ping b"
ip netns exec "$B" ping -c 3 -i 0.2 -W 2 10.26.0.1 >/dev/null || fail "b cannot ping a"
pass "ping both ways"

# tunctl reports what happened.
tunctl_of a status | quiet_grep "node id: 10.26.0.1" || fail "status lacks the node id"
[ "$(tunctl_of a status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["listen_port"])')" = 51820 ] ||
	fail "status --json lacks the port"
[ "$(peer_field a 10.26.0.2 certificate)" = verified ] || fail "b's certificate not verified on a"
[ "$(peer_field a 10.26.0.2 endpoint)" = 192.168.50.2:51820 ] || fail "wrong endpoint for b"
[ "$(peer_field a 10.26.0.2 rx_packets)" -gt 3 ] || fail "no packets counted from b"
[ "$(peer_field a 10.26.0.2 last_handshake)" -gt 0 ] || fail "no handshake time for b"
tunctl_of a peers | quiet_grep "^10.26.0.2 .*verified" || fail "human peers table"
# Control messages are counted per type; none was refused between members.
for node in a b; do
	tunctl_of $node status --json | python3 -c '
import json, sys
control = json.load(sys.stdin)["control"]
assert control["certificate"]["received"] >= 1, control["certificate"]
assert control["certificate_ack"]["received"] >= 1, control["certificate_ack"]
assert all(c["refused"] == 0 for c in control.values()), control
' || fail "$node: control message counts"
done
tunctl_of a status | quiet_grep "control messages: .*certificate [1-9]" || fail "human control counts"
pass "tunctl status and peers"

# iperf3 across the overlay.
ip netns exec "$B" iperf3 -s -1 -B 10.26.0.2 >/dev/null 2>&1 &
wait_until 5 listening "$B" 5201 || fail "iperf3 does not listen"
ip netns exec "$A" iperf3 -c 10.26.0.2 -t 2 -J > "$LAB_DIR/iperf.json" || fail "iperf3"
python3 - "$LAB_DIR/iperf.json" <<'PY' || fail "iperf3 moved no data"
import json, sys
r = json.load(open(sys.argv[1]))
bps = r["end"]["sum_received"]["bits_per_second"]
print(f"iperf3 across the overlay: {bps / 1e9:.2f} Gbit/s")
sys.exit(0 if bps > 1e6 else 1)
PY
pass "iperf3"

# 50 MB over TCP, checksum compared.
head -c 50000000 /dev/urandom > "$LAB_DIR/payload"
want=$(sha256sum < "$LAB_DIR/payload" | cut -d' ' -f1)
ip netns exec "$B" python3 "$(dirname "$0")/tcpcopy.py" receive 10.26.0.2 7000 \
	"$LAB_DIR/received" &
receiver=$!
wait_until 5 listening "$B" 7000 || fail "nobody listens on 10.26.0.2:7000"
ip netns exec "$A" timeout 60 python3 "$(dirname "$0")/tcpcopy.py" send 10.26.0.2 7000 \
	"$LAB_DIR/payload" || fail "sending the file"
wait "$receiver" || fail "receiving the file"
got=$(sha256sum < "$LAB_DIR/received" | cut -d' ' -f1)
[ "$want" = "$got" ] || fail "checksum mismatch"
pass "50 MB copied, sha256 matches"
