#!/bin/bash
# Strangers holding the rendezvous's TCP listener do not lock out a member
# whose network blocks UDP.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (udpblock) -- a 10.26.0.1
#                                     |  \-- router-b (cone) ----- b 10.26.0.2
#                                     x 203.0.113.20-.99 (the strangers)
#
# Before a starts, x opens 8 TCP connections to r's port from each of 80
# addresses (640; r keeps 4 unproven per source: 320, more than its 256
# slots), sends a 1-byte junk frame on each every 2 s and reopens any that
# closes, for 30 s. a reaches r only over
# TCP; it must still ping b through r within 5 s of starting (it takes about
# 1.1 s on a quiet network: one second of silence over UDP first). Prints
# the time, what x held and what r refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members_build hold udpblock cone
X=$(nat_public x 203.0.113.20)
sources=(203.0.113.20)
for i in $(seq 21 99); do
	ip -n "$X" addr add "203.0.113.$i/24" dev wan
	sources+=("203.0.113.$i")
done
lab_start "$R" r
lab_start "$B" b

ip netns exec "$X" python3 "$(dirname "$0")/tcphold.py" 203.0.113.254 51820 30 8 "${sources[@]}" \
	> "$LAB_DIR/hold.out" 2>&1 &
holder=$!
LAB_PIDS+=("$holder")
streams() { tunctl_of r status --json | python3 -c 'import json,sys; t = json.load(sys.stdin)["tcp"]; print(t["streams"], t["proven"], t["refused"])'; }
sleep 3
read -r held _ refused <<< "$(streams)"
[ "$held" -ge 100 ] || fail "the strangers hold only $held streams: not much of an attack"

start=$(date +%s%N)
lab_start "$A" a
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 ||
	fail "a cannot reach b while strangers hold r's TCP port ($(streams))"
took=$((($(date +%s%N) - start) / 1000000))
[ "$(peer_field a 10.26.0.254 transport)" = tcp ] || fail "a does not reach r over TCP"
read -r held proven refused <<< "$(streams)"
[ "$proven" -ge 1 ] || fail "r counts no proven stream"
[ "$refused" -gt 0 ] || fail "r refused nobody"
wait "$holder" || fail "tcphold.py failed: $(cat "$LAB_DIR/hold.out")"
pass "a pinged b ${took} ms after starting, while strangers held r's TCP port ($held streams open, $proven proven; r refused $refused connections; x: $(cat "$LAB_DIR/hold.out"))"
