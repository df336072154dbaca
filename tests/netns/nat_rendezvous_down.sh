#!/bin/bash
# Once two nodes have a direct path, the rendezvous may go away.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.26.0.1
#                                      \--- router-b (cone) -- b 10.26.0.2
#
# a pings b every 100 ms; r is stopped half way. The pings must go on with
# no loss beyond one probe interval.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members down cone cone
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping"
nat_wait_paths direct 10

ip netns exec "$A" ping -c 60 -i 0.1 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" &
pinger=$!
sleep 2
lab_stop r
wait "$pinger" || true
received=$(grep -o '[0-9]* received' "$LAB_DIR/ping.out" | cut -d' ' -f1)
[ "$received" -ge 58 ] || fail "only $received of 60 pings answered after r stopped"
[ "$(path_of a 10.26.0.2)" = direct ] || fail "path is no longer direct"
pass "rendezvous stopped: $received/60 pings answered, path still direct"
