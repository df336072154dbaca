#!/bin/bash
# Two members on one LAN find each other by LAN beacon, with their only
# configured peer, the rendezvous, not running at all.
#
#   router (cone) 203.0.113.101, LAN 10.1.0.0/24
#        |
#    +---+----------------+
#    a 10.1.0.2           b 10.1.0.3      (r 203.0.113.254: never started)
#
# Checks: a pings b within 2 s of b's start, and b pings a, over a direct
# path between their LAN addresses. Then a stranger on the LAN (x, 10.1.0.4)
# catches one of a's beacons and sends it to b from its own address, 500
# times, with truncated copies between: b still reaches a where a is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_internet
lab_network lb 10.26.0.0/24
R=$(nat_rendezvous lb)
ROUTER=$(nat_router router 203.0.113.101 cone 10.1.0)
A=$(nat_client a "$ROUTER" 10.1.0 2)
B=$(nat_client b "$ROUTER" 10.1.0 3)
X=$(nat_client x "$ROUTER" 10.1.0 4)
nat_member a lb 10.26.0.1
nat_member b lb 10.26.0.2
lab_start "$A" a
lab_start "$B" b
met=$(first_ping_ms "$A" 10.26.0.2 2000) || fail "a could not ping b within 2 s of b's start"
ip netns exec "$B" ping -c 3 -i 0.2 -W 1 10.26.0.1 > /dev/null || fail "b cannot ping a"
[ "$(peer_field a 10.26.0.2 endpoint)" = 10.1.0.3:51820 ] ||
	fail "a reaches b at $(peer_field a 10.26.0.2 endpoint), not on the LAN"
[ "$(path_of a 10.26.0.2)" = direct ] || fail "a's path to b is $(path_of a 10.26.0.2)"
replay=$(ip netns exec "$X" python3 "$(dirname "$0")/beacon_replay.py" 10.1.0.4 10.1.0.2 10.1.0.3 51821 500) ||
	fail "the stranger caught no beacon"
ip netns exec "$B" ping -c 3 -i 0.2 -W 1 10.26.0.1 > /dev/null || fail "b cannot ping a after the replays"
[ "$(peer_field b 10.26.0.1 endpoint)" = 10.1.0.2:51820 ] ||
	fail "the replays moved b's a to $(peer_field b 10.26.0.1 endpoint)"
pass "LAN beacon, no rendezvous: a pinged b $met ms after b started, directly over the LAN;" \
	"a stranger $replay: b still reaches a at 10.1.0.2"
