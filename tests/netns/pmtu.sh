#!/bin/bash
# Path MTU discovery across a link of MTU 1,280 that drops what does not fit
# (DF: vpnd never lets the kernel fragment its datagrams).
#
# pmtu.sh direct: the small link between the nodes, behind a router:
#
#   +-- ns a ---------------+       +-------- ns m --------+       +-- ns b ---------------+
#   | vpn-a 10.26.0.1/24    |       | 192.168.62.254       |  MTU  | vpn-b 10.26.0.2/24    |
#   | 192.168.62.1/24 ------+-------+         192.168.63.254+-1280--+------ 192.168.63.2/24 |
#   +-----------------------+       +----------------------+       +-----------------------+
#
# pmtu.sh relayed: two symmetric-NAT members that meet only through r, the
# small link being b's router's uplink - the relay's second hop for a's
# packets (r measures it and advertises it), the first for b's:
#
#   r 203.0.113.254 (rendezvous, relay) -- inet -- router-a (symmetric) -- a 10.26.0.1
#                                              \-- MTU 1280 -- router-b (symmetric) -- b 10.26.0.2
#
# Checks: a finds the route's MTU (printed, with the time it took) and
# tunctl paths reports it; a DF ping of the largest inner packet it reports
# passes, one byte more gets "fragmentation needed"; a ping of 1420 bytes
# without DF passes (vpnd fragments it); a 10 MB TCP copy arrives intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

# The largest inner packet: 1280 less IPv4, UDP and the seal (32), in steps
# of the 16-byte padding, and relayed less the envelope and its padding.
case "${1:-direct}" in
direct)
	A=$(lab_ns a)
	B=$(lab_ns b)
	M=$(lab_ns m)
	lab_link "$A" 192.168.62.1/24 "$M" 192.168.62.254/24
	lab_link "$M" 192.168.63.254/24 "$B" 192.168.63.2/24
	for ns in "$M" "$B"; do
		for dev in $(ip -n "$ns" -o link show type veth | awk -F'[:@ ]+' '{print $2}'); do
			[ "$ns" = "$M" ] && ip -n "$ns" -o addr show dev "$dev" | quiet_grep 192.168.62 && continue
			ip -n "$ns" link set "$dev" mtu 1280
		done
	done
	ip netns exec "$M" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$A" route add 192.168.63.0/24 via 192.168.62.254
	ip -n "$B" route add 192.168.62.0/24 via 192.168.63.254
	lab_network lab 10.26.0.0/24
	lab_node a lab 10.26.0.1
	lab_node b lab 10.26.0.2
	lab_config a lab 51820 "b 192.168.63.2:51820"
	lab_config b lab 51820 "a 192.168.62.1:51820"
	lab_start "$A" a
	lab_start "$B" b
	expect=1216
	;;
relayed)
	nat_two_members_build pmtu symmetric symmetric
	ip -n "$LAB_ID-router-b" link set wan mtu 1280
	nat_two_members_start
	expect=1152
	;;
*) fail "usage: pmtu.sh direct|relayed" ;;
esac
start=$(date +%s%N)
wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot ping b"

mtu_of() { tunctl_of a paths 10.26.0.2 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["mtu"])'; }
mtu_found() { [ "$(mtu_of)" = "$expect" ]; }
wait_until 20 mtu_found || fail "path MTU not found: tunctl paths says $(mtu_of), expected $expect"
took=$((($(date +%s%N) - start) / 1000000))
mtu=$(mtu_of)

# Without DF a packet too big for the path is cut to fit, as a router would
# (the echo reply has no DF either: b cuts it too). Before the DF pings:
# once a's kernel has heard "fragmentation needed" for b, it fragments such
# packets itself.
ip netns exec "$A" ping -M dont -c 1 -W 2 -s 1392 10.26.0.2 > /dev/null ||
	fail "a ping of 1420 bytes without DF does not pass"
cut_a=$(peer_field a 10.26.0.2 fragmented)
cut_b=$(peer_field b 10.26.0.1 fragmented)
[ "$cut_a" -ge 1 ] && [ "$cut_b" -ge 1 ] || fail "fragmented packets counted: a $cut_a, b $cut_b"
pass "a ping of 1420 bytes without DF passes, fragmented inside the tunnel both ways"

df_ping_limit "$A" 10.26.0.2 "$mtu"
pass "${1:-direct}: path MTU $mtu found ${took} ms after start; DF ping of $mtu passes, $((mtu + 1)) gets 'fragmentation needed'"

lab_copy "$A" "$B" 10.26.0.2 10000000
pass "10 MB copied intact across the link of MTU 1280"
