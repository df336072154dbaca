#!/bin/bash
# A route through four relays, the longest an envelope carries, delivers.
# a and b are both behind symmetric NATs. The relays form a chain of 5 ms
# links, a -> relay 1 -> relay 2 -> relay 3 -> r -> b, and every other link
# takes 100 ms, so the four-relay route (about 25 ms) beats any shorter one
# (100 ms or more). Each relay takes one hop off the envelope's hop limit:
# the sender's must cover all four.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
. "$(dirname "$0")/relay_lab.sh"
lab_init
LAB_LOG_LEVEL=info

RELAY_LAB_R_DELAY=100 relay_lab_build symmetric symmetric
relay_delays 1 5 100
relay_delays 2 100 100
relay_delays 3 100 100
link_delay "$R" 203.0.113.102 5
for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		ms=100
		[ $((i - j)) = 1 ] || [ $((j - i)) = 1 ] && ms=5
		link_delay "${RELAY_NS[$i]}" "${RELAY_ADDR[$j]}" "$ms"
	done
	ms=100
	[ "$i" = 3 ] && ms=5
	link_delay "${RELAY_NS[$i]}" 203.0.113.254 "$ms"
	link_delay "$R" "${RELAY_ADDR[$i]}" "$ms"
done
relay_lab_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
ip netns exec "$A" ping -i 0.2 -w 40 -W 1 10.26.0.2 > /dev/null &
LAB_PIDS+=("$!")
chain="via 10.26.0.11, 10.26.0.12, 10.26.0.13, 10.26.0.254"
took=$(wait_route a 10.26.0.2 "$chain" 30)
# The RTT is of both directions: b's answers must take the chain too.
wait_route b 10.26.0.1 "via 10.26.0.254, 10.26.0.13, 10.26.0.12, 10.26.0.11" 30 > /dev/null
rtt=$(ip netns exec "$A" ping -c 10 -i 0.1 -W 1 10.26.0.2 | awk -F/ '/^rtt/ { print $5 }')
[ -n "$rtt" ] || fail "no pings over the four-relay route"
awk -v r="$rtt" 'BEGIN { exit !(r < 80) }' || fail "pings take $rtt ms: not the four-relay route"
[ "$(route_of a 10.26.0.2)" = "$chain" ] || fail "a's route moved to $(route_of a 10.26.0.2)"
pass "a -> relay 1 -> relay 2 -> relay 3 -> r -> b chosen ${took} ms after the first ping; ping RTT ${rtt} ms"
