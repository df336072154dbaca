#!/bin/bash
# Cryptokey routing: a member may only send as its own node ID.
#
#   +------ ns a ------+        +------ ns b ------+
#   | 10.26.0.1 (cert) |--------| 10.26.0.2        |
#   | + 10.26.0.3 added|  veth  |                  |
#   +------------------+        +------------------+
#
# a holds a valid certificate for 10.26.0.1 and sends packets whose source
# is 10.26.0.3 (another node's ID): b drops them, counts them, and writes
# nothing to its TUN.
. "$(dirname "$0")/lib.sh"
lab_init

lab_two_nodes lab 192.168.53
ip netns exec "$A" ping -c 2 -i 0.2 -W 2 10.26.0.2 >/dev/null || fail "baseline ping"

tun_rx() { ip -n "$B" -s -j link show vpn-b | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
before_rx=$(tun_rx)
before_drops=$(peer_field b 10.26.0.1 drops.bad_source)
ip -n "$A" addr add 10.26.0.3/32 dev vpn-a
! ip netns exec "$A" ping -c 5 -i 0.2 -W 1 -I 10.26.0.3 10.26.0.2 >/dev/null ||
	fail "spoofed pings were answered"
after_rx=$(tun_rx)
after_drops=$(peer_field b 10.26.0.1 drops.bad_source)
[ "$after_drops" -ge $((before_drops + 5)) ] || fail "bad_source rose by $((after_drops - before_drops)), not 5"
[ "$after_rx" -eq "$before_rx" ] || fail "$((after_rx - before_rx)) packets reached b's TUN"
pass "spoofed source dropped: bad_source +$((after_drops - before_drops)), TUN rx unchanged"
ip netns exec "$A" ping -c 1 -W 2 10.26.0.2 >/dev/null || fail "genuine traffic still flows"
