#!/bin/bash
# One rendezvous process serves two networks on one port, isolated: alpha
# (10.26.0.0/24) and beta (10.27.0.0/24), each with its own rendezvous key
# and certificate (vpnd -c alpha.conf -c beta.conf).
#
#   r 203.0.113.254: vpn-r 10.26.0.254 (alpha), vpn-rb 10.27.0.254 (beta)
#     |-- router-a1 (cone) -- a1 10.26.0.1     |-- router-b1 (cone) -- b1 10.27.0.1
#     |-- router-a2 (cone) -- a2 10.26.0.2     |-- router-b2 (cone) -- b2 10.27.0.2
#     `-- x 203.0.113.20: a beta member that tries alpha's rendezvous key
#
# Checks: members of each network ping each other; each network's control
# socket on r lists only its own members, and so do the members; a beta node
# routing alpha's subnet into its interface reaches nobody; a beta node
# that knows alpha's rendezvous key gets no session with it; and two
# configurations that share a key or disagree on the port are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

# peer_ids NODE: the node IDs it has peers for, sorted, on one line; not the
# provisional peers (0.0.0.0) of initiators that have not proved themselves.
peer_ids() {
	tunctl_of "$1" peers --json | python3 -c '
import json, sys
peers = json.load(sys.stdin)["peers"]
print(" ".join(sorted(p["node_id"] for p in peers if p["node_id"] != "0.0.0.0")))'
}

nat_internet
lab_network alpha 10.26.0.0/24
lab_network beta 10.27.0.0/24
R=$(nat_public r 203.0.113.254)
lab_node r alpha 10.26.0.254 rendezvous,relay
lab_node rb beta 10.27.0.254 rendezvous,relay
for node in r rb; do
	network=alpha
	[ $node = rb ] && network=beta
	lab_config $node $network 51820
	echo 'rendezvous = { enabled = true; second_port = 3478; };' >> "$LAB_DIR/$node.conf"
done

# Configurations that cannot share one vpnd are refused before anything starts.
out=$("$VPND" -n -c "$LAB_DIR/r.conf" -c "$LAB_DIR/r.conf" 2>&1) && fail "the same key twice was accepted"
quiet_grep "the same node key as" <<< "$out" || fail "unclear error for a shared key: $out"
sed 's/listen_port = 51820/listen_port = 51821/' "$LAB_DIR/rb.conf" > "$LAB_DIR/rb-port.conf"
out=$("$VPND" -n -c "$LAB_DIR/r.conf" -c "$LAB_DIR/rb-port.conf" 2>&1) && fail "two ports were accepted"
quiet_grep "rb-port.conf: listen_port 51821 differs" <<< "$out" || fail "unclear error for two ports: $out"

ip netns exec "$R" "$VPND" -c "$LAB_DIR/r.conf" -c "$LAB_DIR/rb.conf" > "$LAB_DIR/r.log" 2>&1 &
LAB_PIDS+=("$!")
echo "$!" > "$LAB_DIR/r.pid"
wait_until 5 test -S "$LAB_DIR/rb.sock" || fail "the two-network rendezvous did not start"

declare -A NS
index=1
for member in a1:alpha:10.26.0.1:r a2:alpha:10.26.0.2:r b1:beta:10.27.0.1:rb b2:beta:10.27.0.2:rb; do
	IFS=: read -r node network node_id rendezvous <<< "$member"
	NS[$node]=$(nat_site "$node" cone $index)
	index=$((index + 1))
	nat_member "$node" "$network" "$node_id" "$rendezvous"
	lab_start "${NS[$node]}" "$node"
done

wait_until 5 ip netns exec "${NS[a1]}" ping -c 1 -W 1 10.26.0.2 || fail "a1 cannot ping a2"
wait_until 5 ip netns exec "${NS[b1]}" ping -c 1 -W 1 10.27.0.2 || fail "b1 cannot ping b2"
ip netns exec "${NS[b1]}" ping -c 1 -W 1 10.27.0.254 > /dev/null || fail "b1 cannot ping r in beta"

[ "$(tunctl_of r status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["network"])')" = alpha ] ||
	fail "r's first control socket is not alpha's"
[ "$(peer_ids r)" = "10.26.0.1 10.26.0.2" ] || fail "r lists $(peer_ids r) in alpha"
[ "$(peer_ids rb)" = "10.27.0.1 10.27.0.2" ] || fail "r lists $(peer_ids rb) in beta"
[ "$(peer_ids a1)" = "10.26.0.2 10.26.0.254" ] || fail "a1 knows $(peer_ids a1)"
[ "$(peer_ids b1)" = "10.27.0.2 10.27.0.254" ] || fail "b1 knows $(peer_ids b1)"

# A beta node sending into alpha's subnet has no one to send to.
ip -n "${NS[b1]}" route add 10.26.0.0/24 dev vpn-b1
ip netns exec "${NS[b1]}" ping -c 3 -i 0.2 -W 1 10.26.0.1 > /dev/null && fail "b1 reached a1 across networks"

# A beta node that knows alpha's rendezvous key (it is no secret) cannot
# finish a handshake with it: alpha's network secret is missing.
X=$(nat_public x 203.0.113.20)
lab_node x beta 10.27.0.9
cp "$LAB_DIR/r.pub" "$LAB_DIR/alpha-key.pub"
echo 10.27.0.254 > "$LAB_DIR/alpha-key.id"
lab_config x beta 51820 "alpha-key 203.0.113.254:51820 rendezvous"
lab_start "$X" x
sleep 3
[ "$(peer_field x 10.27.0.254 session)" = False ] || fail "x got a session with alpha's rendezvous"
[ "$(peer_ids r)" = "10.26.0.1 10.26.0.2" ] || fail "r lists $(peer_ids r) in alpha after x"
[ "$(pgrep -c -f "vpnd -c $LAB_DIR/r.conf -c $LAB_DIR/rb.conf")" = 1 ] || fail "not one rendezvous process"
pass "one rendezvous process serves alpha and beta on port 51820; each sees only its own members"
