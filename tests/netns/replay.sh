#!/bin/bash
# A captured transport packet sent again is dropped by the replay window,
# and counted as a duplicate (its counter was seen within the window).
#
#   +------ ns a ------+        +------ ns b ------+
#   | 10.26.0.1        |--------| 10.26.0.2        |
#   | replay.py sniffs |  veth  | counts them      |
#   +------------------+        +------------------+
. "$(dirname "$0")/lib.sh"
lab_init

lab_two_nodes replay 192.168.54
ip netns exec "$A" ping -c 2 -i 0.2 -W 2 10.26.0.2 >/dev/null || fail "baseline ping"

before=$(peer_field b 10.26.0.1 drops.duplicate)
ifname=$(ip -n "$A" -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1)
ip netns exec "$A" python3 "$(dirname "$0")/replay.py" "$ifname" 192.168.54.2 51820 5 \
	> "$LAB_DIR/replay.out" &
sniffer=$!
sleep 0.5
ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.26.0.2 >/dev/null || fail "ping during capture"
wait "$sniffer" || fail "no transport packet captured"
after=$(peer_field b 10.26.0.1 drops.duplicate)
[ "$after" -ge $((before + 5)) ] || fail "duplicate drops rose by $((after - before)), not 5"
pass "5 replayed packets dropped (duplicate counter $before -> $after)"
ip netns exec "$A" ping -c 1 -W 2 10.26.0.2 >/dev/null || fail "traffic after the replays"
