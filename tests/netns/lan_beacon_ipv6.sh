#!/bin/bash
# Two members on a link with no IPv4 at all (IPv6 link-local addresses
# only) find each other by the LAN beacon's IPv6 group, with their only
# configured peer, the rendezvous, unreachable.
#
#    a (fe80::a) ---- veth ---- b (fe80::b)      (r 203.0.113.254: no route, never started)
#
# Checks: a pings b within 2 s of b's start, b pings a, over a direct path
# between their link-local addresses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

A=$(lab_ns a)
B=$(lab_ns b)
ip link add eth0 netns "$A" type veth peer name eth0 netns "$B"
for ns in "$A" "$B"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
	ip -n "$ns" link set eth0 up
done
ip -n "$A" addr add fe80::a/64 dev eth0
ip -n "$B" addr add fe80::b/64 dev eth0
lab_network lb6 10.26.0.0/24
lab_node r lb6 10.26.0.254 rendezvous,relay # configured, never started
nat_member a lb6 10.26.0.1
nat_member b lb6 10.26.0.2
lab_start "$A" a
lab_start "$B" b
met=$(first_ping_ms "$A" 10.26.0.2 2000) || fail "a could not ping b within 2 s of b's start"
ip netns exec "$B" ping -c 3 -i 0.2 -W 1 10.26.0.1 > /dev/null || fail "b cannot ping a"
endpoint=$(peer_field a 10.26.0.2 endpoint)
case "$endpoint" in
"[fe80::b%eth0]:51820") ;;
*) fail "a reaches b at $endpoint, not at its link-local address" ;;
esac
[ "$(path_of a 10.26.0.2)" = direct ] || fail "a's path to b is $(path_of a 10.26.0.2)"
pass "LAN beacon over IPv6 link-local only: a pinged b $met ms after b started, at $endpoint"
