#!/bin/bash
# A node restarted while the rendezvous is down finds the peers it had
# reached directly again, from the peer cache in its state directory.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.26.0.1
#                                      \--- router-b (cone) -- b 10.26.0.2
#
# a and b get a direct path; r stops; a restarts; a pings b.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members cache cone cone
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping"
nat_wait_paths direct 10
grep -q "^203.0.113.102:51820 " "$LAB_DIR/a.state/vpn-a.peers" || fail "b is not in a's peer cache"

lab_stop r
lab_stop a
lab_start "$A" a
start=$(date +%s%N)
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a did not find b again without r"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "from the peer cache" "$LAB_DIR/a.log" || fail "a did not use its peer cache"
[ "$(path_of a 10.26.0.2)" = direct ] || fail "path after restart: $(path_of a 10.26.0.2)"
pass "restart without rendezvous: b reached from the peer cache in ${ms} ms, direct"
