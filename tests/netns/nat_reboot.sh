#!/bin/bash
# A NAT reboot (conntrack -F on b's router) loses every mapping; the direct
# path must come back and pings resume within 5 s.
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.26.0.1
#                                      \--- router-b (cone) -- b 10.26.0.2
#                                           ^ conntrack -F
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members reboot cone cone
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping"
nat_wait_paths direct 10

# Timestamped pings (-D) every 100 ms for 12 s; the NAT reboots after 2 s.
ip netns exec "$A" ping -D -i 0.1 -w 12 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" &
pinger=$!
sleep 2
ip netns exec "$LAB_ID-router-b" conntrack -F 2>/dev/null
flushed=$(date +%s.%N)
wait "$pinger" || true
gap=$(awk -v t="$flushed" '/bytes from/ { s = substr($1, 2, length($1) - 2); if (s > t && !first) { first = s } }
	END { if (first) printf "%.2f", first - t; else print "none" }' "$LAB_DIR/ping.out")
[ "$gap" != none ] || fail "no ping answered after the NAT reboot"
awk -v g="$gap" 'BEGIN { exit !(g < 5) }' || fail "pings resumed only after $gap s"
for _ in $(seq 50); do
	[ "$(path_of a 10.26.0.2)" = direct ] && break
	sleep 0.1
done
[ "$(path_of a 10.26.0.2)" = direct ] || fail "the direct path did not come back"
pass "NAT reboot: first ping answered $gap s after conntrack -F; path direct again"
