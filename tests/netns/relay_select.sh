#!/bin/bash
# The path selector picks the fastest relay and moves when it slows down.
# a and b are both behind symmetric NATs (no direct path); relays 1, 2
# and 3 are 5, 20 and 60 ms from each of them (relay_lab.sh). Traffic must
# go through relay 1; raised to 80 ms, through relay 2. Prints how long the
# move took.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
. "$(dirname "$0")/relay_lab.sh"
lab_init
LAB_LOG_LEVEL=info

relay_lab_build symmetric symmetric
relay_delays 1 5 5
relay_delays 2 20 20
relay_delays 3 60 60
relay_lab_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
ip netns exec "$A" ping -i 0.1 -w 60 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" &
pinger=$!
took=$(wait_route a 10.26.0.2 "via 10.26.0.11" 20)
wait_route b 10.26.0.1 "via 10.26.0.11" 10 > /dev/null
tunctl_of a paths 10.26.0.2

relay_delays 1 80 80
moved=$(wait_route a 10.26.0.2 "via 10.26.0.12" 20)
tunctl_of a paths 10.26.0.2
ip netns exec "$A" ping -c 5 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "no pings through relay 2"
kill "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null || true
pass "relay 1 (5 ms) chosen ${took} ms after the first ping; relay 2 (20 ms) ${moved} ms after relay 1 went to 80 ms"
