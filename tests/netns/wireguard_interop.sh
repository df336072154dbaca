#!/bin/bash
# vpnd against stock wireguard-go + wg: our Noise IKpsk2 handshake, cookies
# and transport checked against an implementation nobody here wrote; and
# the path MTU to a peer that answers no probes.
#
#   +------------ ns v -----------+     +---- ns m ----+     +------------ ns w -------------+
#   | vpn-v 10.26.0.1/24 (vpnd)   |     |    router    | MTU | wg interface 10.26.0.9/24     |
#   |   UDP :51820                |     |              | 1280|   wireguard-go, UDP :51821    |
#   |   veth 192.168.51.1/24 -----+-----+ .51.254 .52.254+-----+-- veth 192.168.52.2/24        |
#   +-----------------------------+     +--------------+     +-------------------------------+
#
# The network secret is the WireGuard preshared key. Both roles are
# checked: wireguard-go initiates first, then vpnd (after a restart).
. "$(dirname "$0")/lib.sh"
lab_init

V=$(lab_ns v)
M=$(lab_ns m)
W=$(lab_ns w)
lab_link "$V" 192.168.51.1/24 "$M" 192.168.51.254/24
lab_link "$M" 192.168.52.254/24 "$W" 192.168.52.2/24
for dev in $(ip -n "$W" -o link show type veth | awk -F'[:@ ]+' '{print $2}'); do
	ip -n "$W" link set "$dev" mtu 1280
done
for dev in $(ip -n "$M" -o addr show | awk '/192.168.52.254/ {print $2}'); do
	ip -n "$M" link set "$dev" mtu 1280
done
ip netns exec "$M" sysctl -qw net.ipv4.ip_forward=1
ip -n "$V" route add 192.168.52.0/24 via 192.168.51.254
ip -n "$W" route add 192.168.51.0/24 via 192.168.52.254
lab_network lab 10.26.0.0/24
lab_node v lab 10.26.0.1
lab_wireguard_key w 10.26.0.9
lab_config v lab 51820 "w 192.168.52.2:51821 wireguard"
lab_start "$V" v

WG_IF="wg$$"
sed -n 's/.*secret = "\(.*\)";/\1/p' "$LAB_DIR/lab.part" > "$LAB_DIR/psk"
ip netns exec "$W" env WG_PROCESS_FOREGROUND=1 wireguard-go "$WG_IF" \
	> "$LAB_DIR/wireguard-go.log" 2>&1 &
LAB_PIDS+=("$!")
wait_until 5 ip -n "$W" link show "$WG_IF" || fail "wireguard-go did not create $WG_IF"
ip netns exec "$W" wg set "$WG_IF" private-key "$LAB_DIR/w.key" listen-port 51821 \
	peer "$(cat "$LAB_DIR/v.pub")" preshared-key "$LAB_DIR/psk" \
	allowed-ips 10.26.0.1/32 endpoint 192.168.51.1:51820
ip -n "$W" addr add 10.26.0.9/24 dev "$WG_IF"
ip -n "$W" link set "$WG_IF" up

ip netns exec "$W" ping -c 3 -i 0.2 -W 3 10.26.0.1 >/dev/null || fail "wireguard-go -> vpnd ping"
ip netns exec "$V" ping -c 3 -i 0.2 -W 3 10.26.0.9 >/dev/null || fail "vpnd -> wireguard-go ping"
[ "$(peer_field v 10.26.0.9 kind)" = wireguard ] || fail "peer kind"
pass "wireguard-go initiates, vpnd responds, pings both ways"

# Now vpnd initiates: restart it, then ping from its side first.
lab_stop v
lab_start "$V" v
ip netns exec "$V" ping -c 3 -i 0.2 -W 3 10.26.0.9 >/dev/null || fail "vpnd -> wireguard-go after restart"
ip netns exec "$W" ping -c 2 -i 0.2 -W 3 10.26.0.1 >/dev/null || fail "wireguard-go -> vpnd after restart"
ip netns exec "$W" wg show "$WG_IF" latest-handshakes | awk '{exit !($2 > 0)}' ||
	fail "wg reports no handshake"
pass "vpnd initiates, wireguard-go responds"

# A TCP stream both ways through the mixed pair.
ip netns exec "$W" iperf3 -s -1 -B 10.26.0.9 >/dev/null 2>&1 &
wait_until 5 listening "$W" 5201 || fail "iperf3 does not listen"
ip netns exec "$V" iperf3 -c 10.26.0.9 -t 1 >/dev/null || fail "iperf3 vpnd -> wireguard-go"
pass "iperf3 between vpnd and wireguard-go"

# vpnd's datagrams (DF) too big for the 1280 link draw ICMP "fragmentation
# needed" from m; wireguard-go answers no probes, so the kernel's path MTU
# caps the path: 1280 less IPv4, UDP and the seal, in steps of 16.
lab_copy "$V" "$W" 10.26.0.9 5000000
mtu=$(tunctl_of v paths 10.26.0.9 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["mtu"])')
[ "$mtu" = 1216 ] || fail "the path to wireguard-go: tunctl paths says mtu $mtu, expected 1216"
df_ping_limit "$V" 10.26.0.9 "$mtu"
pass "5 MB to wireguard-go across a link of MTU 1280 intact; path MTU $mtu from the kernel's"
