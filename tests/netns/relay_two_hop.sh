#!/bin/bash
# A route through two relays wins when it is faster than any one-hop route.
# a and b are both behind symmetric NATs; relay 1 is near a (5 ms) and far
# from b (60 ms), relay 2 the other way round, relays 1 and 2 are 5 ms
# apart, and relay 3 is 30 ms from everyone. The best one-hop route costs
# about 60 ms (relay 3); a -> relay 1 -> relay 2 -> b about 15 ms.
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
pass "a -> relay 1 -> relay 2 -> b chosen ${took} ms after the first ping; ping RTT ${rtt} ms"
