#!/bin/bash
# A member whose network changes under a running copy, as a laptop moving
# from one Wi-Fi to another: a's link to router-a goes, a link to router-c
# comes, with a new address and default route.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.1.0.2
#                                      \                      (then 10.3.0.2)
#                                       +-- router-c (cone) ---/
#                                       \-- router-b (cone) -- b 10.26.0.2
#
# Checks: while a copies 24 MB to b at 3 MB/s, a's network changes; pings
# from a to b get through again within 2 s (the gap is printed), a and b
# are direct again (over router-c), and the copy arrives intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members roam cone cone
ROUTER_C=$(nat_router router-c 203.0.113.103 cone 10.3.0)
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping"
nat_wait_paths direct 10

copy_start "$A" "$B" 10.26.0.2
sleep 2

# The move: the old link and its address go, the new ones come.
ip -n "$A" link del eth0
port=$(lab_unique l)
ip link add eth0 netns "$A" type veth peer name "$port" netns "$ROUTER_C"
ip -n "$ROUTER_C" link set "$port" master lan up
ip -n "$A" addr add 10.3.0.2/24 dev eth0
ip -n "$A" link set eth0 up
ip -n "$A" route add default via 10.3.0.1
moved=$(date +%s%N)
for _ in $(seq 100); do
	ip netns exec "$A" ping -c 1 -W 0.2 10.26.0.2 > /dev/null 2>&1 && break
done
gap=$((($(date +%s%N) - moved) / 1000000))
ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 > /dev/null || fail "no ping after the move"
[ "$gap" -lt 2000 ] || fail "traffic back $gap ms after the move"
nat_wait_paths direct 10
[ "$(peer_field b 10.26.0.1 endpoint)" = 203.0.113.103:51820 ] ||
	fail "b reaches a at $(peer_field b 10.26.0.1 endpoint), not through router-c"
wait "$sender" || fail "the TCP sender failed across the move"
wait "$receiver" || fail "the TCP receiver failed across the move"
cmp -s "$LAB_DIR/payload" "$LAB_DIR/received" || fail "the copy arrived damaged or short"
pass "roamed mid-copy: traffic back after $gap ms, direct again through the new router, 24 MB intact"
