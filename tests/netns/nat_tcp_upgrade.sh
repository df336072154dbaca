#!/bin/bash
# A node behind a router that blocks UDP reaches the rendezvous over TCP;
# when the router lets UDP through again, the node moves back to UDP (it
# asks over UDP every REGISTER_INTERVAL while on TCP), both ends agree, a
# and b punch a direct path, and pings go on throughout.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (udpblock) -- a 10.26.0.1
#                                      \--- router-b (cone)     -- b 10.26.0.2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

transports() {
	echo "$(peer_field a 10.26.0.254 transport) $(peer_field r 10.26.0.1 transport)"
}

nat_two_members upgrade udpblock cone
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping over TCP"
[ "$(transports)" = "tcp tcp" ] || fail "a and r use $(transports), expected TCP"

ip netns exec "$A" ping -i 0.2 -w 45 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" &
pinger=$!
ip netns exec "$LAB_ID-router-a" nft delete table inet filter
opened=$(date +%s)
for _ in $(seq 400); do
	[ "$(transports)" = "udp udp" ] && break
	sleep 0.1
done
[ "$(transports)" = "udp udp" ] || fail "still on $(transports) 40 s after UDP opened"
took=$(($(date +%s) - opened))
# Now a cone behind a cone: the rendezvous tells b where a's UDP comes from.
nat_wait_paths direct 10
ip netns exec "$A" ping -c 5 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "no pings over UDP"
kill "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null || true
sent=$(grep -c "bytes from" "$LAB_DIR/ping.out" || true)
tunctl_of a peers
pass "back on UDP ${took} s after the router let it through; ${sent} pings answered meanwhile"
