#!/bin/bash
# The overlay over an IPv6-only underlay: endpoints "[v6]:port".
#
#   +------ ns a ------+                 +------ ns b ------+
#   | 10.26.0.1        |----- veth ------| 10.26.0.2        |
#   | fd00:26::1/64    |                 | fd00:26::2/64    |
#   +------------------+                 +------------------+
. "$(dirname "$0")/lib.sh"
lab_init

A=$(lab_ns a)
B=$(lab_ns b)
lab_link "$A" fd00:26::1/64 "$B" fd00:26::2/64
lab_network six 10.26.0.0/24
lab_node a six 10.26.0.1
lab_node b six 10.26.0.2
lab_config a six 51820 "b [fd00:26::2]:51820"
lab_config b six 51820 "a -"
lab_start "$A" a
lab_start "$B" b
ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.26.0.2 >/dev/null || fail "a cannot ping b over IPv6"
# b had no endpoint for a: it learned it from a's authenticated packets.
[ "$(peer_field b 10.26.0.1 endpoint)" = "[fd00:26::1]:51820" ] || fail "b did not learn a's endpoint"
ip netns exec "$B" ping -c 2 -i 0.2 -W 2 10.26.0.1 >/dev/null || fail "b cannot ping a"
pass "overlay over IPv6; the responder learned the initiator's endpoint"
