#!/bin/bash
# Members may list several rendezvous: with the first one down, they meet
# through the second; when the first comes up, they register there too.
#
#   r1 203.0.113.254 (down at first) --+-- inet --+-- router-a (cone) -- a 10.26.0.1
#   r2 203.0.113.253 ------------------+          +-- router-b (cone) -- b 10.26.0.2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_internet
lab_network two 10.26.0.0/24
R1=$(nat_rendezvous two r1 203.0.113.254 10.26.0.254)
R2=$(nat_rendezvous two r2 203.0.113.253 10.26.0.253)
A=$(nat_site a cone 1)
B=$(nat_site b cone 2)
for node in a:10.26.0.1 b:10.26.0.2; do
	lab_node "${node%%:*}" two "${node#*:}"
	lab_config "${node%%:*}" two 51820 "r1 203.0.113.254:51820 rendezvous" \
		"r2 203.0.113.253:51820 rendezvous"
done
lab_start "$R2" r2
lab_start "$A" a
lab_start "$B" b
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a and b did not meet through r2"
nat_wait_paths direct 10
pass "first rendezvous down: a and b met through the second and went direct"

lab_start "$R1" r1
wait_until 10 bash -c "'$TUNCTL' -s '$LAB_DIR/r1.sock' peers | grep -q '^10.26.0.1 '" ||
	fail "a did not register with r1 when it came up"
[ "$(peer_field a 10.26.0.254 session)" = True ] || fail "a has no session with r1"
ip netns exec "$A" ping -c 3 -i 0.2 -W 1 10.26.0.2 >/dev/null || fail "pings after r1 came up"
pass "the first rendezvous came up: a registered there too; traffic unaffected"
