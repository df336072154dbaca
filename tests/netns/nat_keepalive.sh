#!/bin/bash
# Keepalives hold idle direct paths open through NATs that forget quickly.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.26.0.1
#                                      \--- router-b (cone) -- b 10.26.0.2
#
# Both routers forget UDP mappings after 30 s (as many NATs do). a and b
# punch a direct path, stay idle for 45 s, and then the first ping must be
# answered at once over the same direct path: the 25 s keepalives kept the
# mappings alive.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members idle cone cone
for router in router-a router-b; do
	ip netns exec "$LAB_ID-$router" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=30 \
		net.netfilter.nf_conntrack_udp_timeout_stream=30
done
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping"
nat_wait_paths direct 10
endpoint=$(peer_field a 10.26.0.2 endpoint)
sleep 45
ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 >/dev/null || fail "first ping after 45 s idle not answered within 1 s"
[ "$(path_of a 10.26.0.2)" = direct ] || fail "path after idling: $(path_of a 10.26.0.2)"
[ "$(peer_field a 10.26.0.2 endpoint)" = "$endpoint" ] || fail "the direct path moved"
pass "after 45 s idle behind 30 s NAT timeouts: answered at once on the same direct path ($endpoint)"
