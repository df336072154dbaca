#!/bin/bash
# The built-in demo: two vpnd nodes in namespaces on one link, pinging each
# other over the encrypted overlay, with a summary of what happened.
#
#   +-------- ns alice --------+          +--------- ns bob ---------+
#   | vpn-alice 10.26.0.1/24   |          | vpn-bob 10.26.0.2/24     |
#   |   vpnd :51820            |          |   vpnd :51820            |
#   |   veth 192.168.60.1/24 --+----------+-- veth 192.168.60.2/24   |
#   +--------------------------+          +--------------------------+
. "$(dirname "$0")/lib.sh"
lab_init
LAB_LOG_LEVEL=info

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "creating network \"demo\" (10.26.0.0/24) and two nodes"
ALICE=$(lab_ns alice)
BOB=$(lab_ns bob)
lab_link "$ALICE" 192.168.60.1/24 "$BOB" 192.168.60.2/24
lab_network demo 10.26.0.0/24
lab_node alice demo 10.26.0.1
lab_node bob demo 10.26.0.2
lab_config alice demo 51820 "bob 192.168.60.2:51820"
lab_config bob demo 51820 "alice 192.168.60.1:51820"
"$TUNCTL" cert show -N "$LAB_DIR/demo.network" "$LAB_DIR/alice.cert"

say "starting vpnd in both namespaces"
lab_start "$ALICE" alice
lab_start "$BOB" bob
start=$(date +%s%N)
ip netns exec "$ALICE" ping -c 1 -W 5 10.26.0.2 >/dev/null || fail "no first ping"
first_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "first ping answered ${first_ms} ms after start (handshake + certificate exchange)"

say "alice pings bob over the overlay"
ip netns exec "$ALICE" ping -c 10 -i 0.1 10.26.0.2 | tee "$LAB_DIR/ping.out" | tail -n 3
say "bob pings alice"
ip netns exec "$BOB" ping -c 3 -i 0.1 10.26.0.1 | tail -n 2

say "tunctl status (alice)"
tunctl_of alice status
say "tunctl peers (alice)"
tunctl_of alice peers

say "iperf3, 3 s, alice -> bob"
ip netns exec "$BOB" iperf3 -s -1 -B 10.26.0.2 >/dev/null 2>&1 &
sleep 0.5
gbps=$(ip netns exec "$ALICE" iperf3 -c 10.26.0.2 -t 3 -J |
	python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))')

received=$(grep -o '[0-9]* received' "$LAB_DIR/ping.out" | cut -d' ' -f1)
rtt=$(sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p' "$LAB_DIR/ping.out")
say "summary"
echo "nodes:            alice 10.26.0.1, bob 10.26.0.2 (network demo)"
echo "session:          Noise IKpsk2, certificates $(peer_field alice 10.26.0.2 certificate)"
echo "first ping after: ${first_ms} ms"
echo "pings:            $received/10 answered, average RTT $rtt ms"
echo "iperf3 TCP:       $gbps Gbit/s"
echo "dropped packets:  $(tunctl_of alice peers | awk 'NR==2 {print $NF}')"
[ "$received" = 10 ] || fail "lost pings"
