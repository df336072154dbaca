#!/bin/bash
# A route through two relays wins when it is faster than any one-hop route.
# a and b are both behind symmetric NATs; relay 1 is near a (5 ms) and far
# from b (60 ms), relay 2 the other way round, relays 1 and 2 are 5 ms
# apart, and relay 3 is 30 ms from everyone. The best one-hop route costs
# about 60 ms (relay 3); a -> relay 1 -> relay 2 -> b about 15 ms. Then
# tunctl pin overrides the choice (via relay 3, then the relays only, then
# direct, which does not exist here) and auto gives it back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
. "$(dirname "$0")/relay_lab.sh"
lab_init
LAB_LOG_LEVEL=info

relay_lab_build symmetric symmetric
relay_delays 1 5 60
relay_delays 2 60 5
relay_delays 3 30 30
link_delay "${RELAY_NS[1]}" "${RELAY_ADDR[2]}" 5
link_delay "${RELAY_NS[2]}" "${RELAY_ADDR[1]}" 5
for i in 1 2; do
	link_delay "${RELAY_NS[$i]}" "${RELAY_ADDR[3]}" 30
	link_delay "${RELAY_NS[3]}" "${RELAY_ADDR[$i]}" 30
done
relay_lab_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
ip netns exec "$A" ping -i 0.2 -w 30 -W 1 10.26.0.2 > /dev/null &
LAB_PIDS+=("$!")
took=$(wait_route a 10.26.0.2 "via 10.26.0.11, 10.26.0.12" 20)
wait_route b 10.26.0.1 "via 10.26.0.12, 10.26.0.11" 10 > /dev/null
tunctl_of a paths 10.26.0.2
rtt=$(ip netns exec "$A" ping -c 10 -i 0.1 -W 1 10.26.0.2 | awk -F/ '/^rtt/ { print $5 }')
[ -n "$rtt" ] || fail "no pings over the two-hop route"
awk -v r="$rtt" 'BEGIN { exit !(r < 40) }' || fail "pings take $rtt ms: not the two-hop route"

# pin: each choice takes effect at once and carries pings (or, pinned to a
# direct path that does not exist, carries none); auto restores the best.
# First relay 3's own link to b must be known (its advert can come last).
knows_route() {
	tunctl_of a paths 10.26.0.2 --json | python3 -c '
import json, sys
sys.exit(sys.argv[1] not in [c["route"] for c in json.load(sys.stdin)["candidates"]])' "$1"
}
wait_until 10 knows_route "via 10.26.0.13" || fail "a never learnt relay 3's link to b"
tunctl_of a pin 10.26.0.2 via 10.26.0.13 > /dev/null
[ "$(route_of a 10.26.0.2)" = "via 10.26.0.13" ] || fail "pinned via relay 3: $(route_of a 10.26.0.2)"
ip netns exec "$A" ping -c 3 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "no pings via relay 3"
[ "$(tunctl_of a paths 10.26.0.2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pin"])')" = "via 10.26.0.13" ] ||
	fail "tunctl paths does not show the pin"
tunctl_of a pin 10.26.0.2 direct > /dev/null
ip netns exec "$A" ping -c 3 -i 0.2 -W 1 10.26.0.2 > /dev/null && fail "pings went through while pinned to a direct path that does not exist"
tunctl_of a pin 10.26.0.2 via 10.26.0.2 2>/dev/null && fail "pinned via a node that is no relay"
tunctl_of a pin 10.26.0.2 auto > /dev/null
wait_route a 10.26.0.2 "via 10.26.0.11, 10.26.0.12" 5 > /dev/null
ip netns exec "$A" ping -c 3 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "no pings after pin auto"
pass "a -> relay 1 -> relay 2 -> b chosen ${took} ms after the first ping; ping RTT ${rtt} ms; pins obeyed"
