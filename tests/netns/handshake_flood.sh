#!/bin/bash
# Handshakes under load: cookies (mac2) and per-source rate limiting.
#
#   +---- ns a ----+  veth   +---- ns b ----+  veth   +---- ns f ----+
#   | 10.26.0.1    |---------| 10.26.0.2    |---------| flood.py     |
#   | 192.168.56.1 |         | .56.2  .57.2 |         | 192.168.57.1 |
#   +--------------+         +--------------+         +--------------+
#
# f sends ~300 initiations a second with a valid mac1 (anyone who knows b's
# public key can). b goes under load: it answers with cookie replies instead
# of doing Diffie-Hellman, and rate-limits f. Meanwhile a, a real peer, must
# still get through: under load b only accepts a's initiation once it carries
# the cookie b sent (mac2).
. "$(dirname "$0")/lib.sh"
lab_init
LAB_LOG_LEVEL=info

A=$(lab_ns a)
B=$(lab_ns b)
F=$(lab_ns f)
lab_link "$A" 192.168.56.1/24 "$B" 192.168.56.2/24
lab_link "$F" 192.168.57.1/24 "$B" 192.168.57.2/24
lab_network flood 10.26.0.0/24
lab_node a flood 10.26.0.1
lab_node b flood 10.26.0.2
lab_config a flood 51820 "b 192.168.56.2:51820"
lab_config b flood 51820 "a 192.168.56.1:51820"
lab_start "$B" b

ip netns exec "$F" python3 "$(dirname "$0")/flood.py" 192.168.57.2 51820 \
	"$(cat "$LAB_DIR/b.pub")" 14 300 > "$LAB_DIR/flood.out" &
flooder=$!
sleep 2
lab_start "$A" a
ip netns exec "$A" ping -c 1 -w 13 10.26.0.2 >/dev/null || fail "a got no session while b was flooded"
grep -q "got a cookie" "$LAB_DIR/a.log" || fail "a connected without a cookie: was b under load?"
pass "a real peer connected during the flood, through a cookie"
wait "$flooder" || fail "flooder"
read -r _ sent _ _ cookies _ _ < "$LAB_DIR/flood.out"
echo "flood: $(cat "$LAB_DIR/flood.out")"
[ "$cookies" -ge $((sent / 2)) ] || fail "only $cookies cookie replies for $sent initiations"
limited=$(tunctl_of b status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops"]["ratelimited"])')
[ "$limited" -ge 5 ] || fail "flood was not rate limited ($limited)"
pass "cookie replies under load: $cookies for $sent initiations; rate-limited: $limited"
ip netns exec "$A" ping -c 2 -i 0.2 -W 2 10.26.0.2 >/dev/null || fail "traffic after the flood"
