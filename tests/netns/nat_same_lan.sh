#!/bin/bash
# Two nodes behind one NAT connect over their LAN addresses.
#
#     +------ ns inet: bridge 203.0.113.0/24 ------+
#     |                                            |
#   r 203.0.113.254 (rendezvous)          router (cone) 203.0.113.101
#                                                  | LAN 10.1.0.0/24
#                                         +--------+--------+
#                                     a 10.1.0.2        b 10.1.0.3
#
# Both register their host addresses with r; punching reaches the LAN
# address first (or the hairpin, which this router does not offer).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_internet
lab_network lan 10.26.0.0/24
R=$(nat_rendezvous lan)
ROUTER=$(nat_router router 203.0.113.101 cone 10.1.0)
A=$(nat_client a "$ROUTER" 10.1.0 2)
B=$(nat_client b "$ROUTER" 10.1.0 3)
nat_member a lan 10.26.0.1
nat_member b lan 10.26.0.2
lab_start "$R" r
lab_start "$A" a
lab_start "$B" b

wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no ping within 5 s"
for _ in $(seq 100); do
	[ "$(path_of a 10.26.0.2)" = direct ] && break
	sleep 0.1
done
[ "$(path_of a 10.26.0.2)" = direct ] || fail "a's path to b is $(path_of a 10.26.0.2)"
endpoint=$(peer_field a 10.26.0.2 endpoint)
[ "$endpoint" = "10.1.0.3:51820" ] || fail "a reaches b at $endpoint, not over the LAN"
ip netns exec "$A" ping -c 3 -i 0.2 -W 1 10.26.0.2 >/dev/null || fail "pings over the LAN path"
pass "same NAT: direct over the LAN ($endpoint)"
