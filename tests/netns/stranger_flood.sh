#!/bin/bash
# A stranger who knows only the rendezvous's public key floods it with
# handshake initiations that are valid up to the network secret (a new
# random static key each, from spoofed sources): a new member still joins.
# usage: stranger_flood.sh RATE   (initiations per second)
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.26.0.1
#                                     |  \-- router-b (cone) -- b 10.26.0.2
#                                     x 203.0.113.66: initflood, sources
#                                       spoofed from 198.18.0.0/15, which r
#                                       routes to x (as the internet would)
#
# r keeps nothing for a stranger beyond a provisional peer until its session
# proves the network secret; once 64 wait, every initiation must carry a
# cookie, which spoofed sources never see; at its cap the oldest unproven
# makes way. b is up before the flood; a starts 12 s into it (at 100/s a
# cap of 1,024 without cookies fills in 10 s) and must ping b within 2 s.
# Prints the time a took, and how many strangers r holds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info
rate=${1:-100}

nat_two_members_build flood cone cone
X=$(nat_public x 203.0.113.66)
ip -n "$R" route add 198.18.0.0/15 via 203.0.113.66
lab_start "$R" r
lab_start "$B" b
wait_until 5 [ "$(peer_field r 10.26.0.2 path 2>/dev/null)" = direct ] || fail "b did not join r"

ip netns exec "$X" "$INITFLOOD" 203.0.113.254 51820 "$(cat "$LAB_DIR/r.pub")" 20 "$rate" \
	198.18.0.0/15 > "$LAB_DIR/flood.out" 2>&1 &
flood=$!
LAB_PIDS+=("$flood")
strangers() { tunctl_of r status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["strangers"])'; }
sleep 12
kill -0 "$flood" 2> /dev/null || fail "initflood stopped: $(cat "$LAB_DIR/flood.out")"
before=$(strangers)

start=$(date +%s%N)
lab_start "$A" a
wait_until 2 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 ||
	fail "a did not reach b within 2 s during a flood of $rate/s (r holds $(strangers) strangers)"
took=$((($(date +%s%N) - start) / 1000000))
[ "$took" -le 2000 ] || fail "a reached b only ${took} ms after starting, during a flood of $rate/s"
wait "$flood" || fail "initflood failed: $(cat "$LAB_DIR/flood.out")"
flooded=$(tunctl_of r status --json | python3 -c 'import json,sys; d = json.load(sys.stdin)["drops"]; print(d.get("bad_mac", 0), d.get("ratelimited", 0))')
pass "flood of $rate/s: a pinged b ${took} ms after starting; r held $before strangers 12 s in; $(cat "$LAB_DIR/flood.out"); r's drops (mac, rate limited): $flooded"
