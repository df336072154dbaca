#!/bin/bash
# WireGuard's timers, observed from outside (about 135 s):
#   - keepalive: b receives data and has nothing to send back; within
#     KEEPALIVE_TIMEOUT (10 s) it sends an empty packet;
#   - rekey: after REKEY_AFTER_TIME (120 s) the initiator a makes a new
#     session while traffic flows, and no ping is lost across the switch.
#
#   +------ ns a ------+        +------ ns b ------+
#   | 10.26.0.1        |--------| 10.26.0.2        |
#   | initiator        |  veth  | responder        |
#   +------------------+        +------------------+
. "$(dirname "$0")/lib.sh"
lab_init

lab_two_nodes timers 192.168.58
ip netns exec "$A" ping -c 1 -W 2 10.26.0.2 >/dev/null || fail "first ping"
first_handshake=$(peer_field a 10.26.0.2 last_handshake)

# One-way UDP from a for 12 s into a silent socket on b: b answers nothing
# (not even ICMP), so only keepalives can reach a.
ip netns exec "$B" python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.26.0.2", 9)); time.sleep(15)' &
sleep 0.5
before=$(peer_field a 10.26.0.2 rx_packets)
for _ in $(seq 24); do
	ip netns exec "$A" bash -c 'echo tick > /dev/udp/10.26.0.2/9' || true
	sleep 0.5
done
after=$(peer_field a 10.26.0.2 rx_packets)
keepalives=$((after - before))
[ "$keepalives" -ge 1 ] && [ "$keepalives" -le 2 ] ||
	fail "expected 1 or 2 keepalives from b in 12 s of one-way traffic, got $keepalives"
pass "keepalive: b sent $keepalives keepalive(s) during 12 s of one-way traffic"

# Ping through the 120 s mark of the first session.
elapsed=$(($(date +%s) - first_handshake))
count=$(((126 - elapsed) * 4))
ip netns exec "$A" ping -c "$count" -i 0.25 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" || true
loss=$(grep -o '[0-9.]*% packet loss' "$LAB_DIR/ping.out")
second_handshake=$(peer_field a 10.26.0.2 last_handshake)
[ "$second_handshake" -gt "$first_handshake" ] || fail "no new handshake after 120 s"
[ "$loss" = "0% packet loss" ] || fail "pings lost across the rekey: $loss"
pass "rekey after $((second_handshake - first_handshake)) s, $count pings, $loss"
