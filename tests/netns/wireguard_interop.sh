#!/bin/bash
# vpnd against stock wireguard-go + wg: our Noise IKpsk2 handshake, cookies
# and transport checked against an implementation nobody here wrote.
#
#   +------------ ns v -------------+        +------------ ns w -------------+
#   | vpn-v 10.26.0.1/24 (vpnd)     |        | wg interface 10.26.0.9/24     |
#   |   UDP :51820                  |        |   wireguard-go, UDP :51821    |
#   |   veth 192.168.51.1/24 -------+--------+-- veth 192.168.51.2/24        |
#   +-------------------------------+        +-------------------------------+
#
# The network secret is the WireGuard preshared key. Both roles are
# checked: wireguard-go initiates first, then vpnd (after a restart).
. "$(dirname "$0")/lib.sh"
lab_init

V=$(lab_ns v)
W=$(lab_ns w)
lab_link "$V" 192.168.51.1/24 "$W" 192.168.51.2/24
lab_network lab 10.26.0.0/24
lab_node v lab 10.26.0.1
lab_wireguard_key w 10.26.0.9
lab_config v lab 51820 "w 192.168.51.2:51821 wireguard"
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
