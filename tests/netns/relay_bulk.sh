#!/bin/bash
# Bulk traffic through a relay, with routers that drop IP fragments.
#
#   r 203.0.113.254 (rendezvous, relay) -- inet -- router-a (symmetric) -- a 10.26.0.1
#                                              \--- router-b (symmetric) -- b 10.26.0.2
#
# a and b are both behind symmetric NATs: they meet only through r. Both
# routers drop every IP fragment (before their conntrack reassembles it),
# as many NATs and firewalls do. A full-size packet relayed must still fit
# one datagram: its sender's stack learns the relayed path's smaller MTU
# from an ICMP "fragmentation needed" out of vpnd. Checks: a 20 MB copy
# arrives intact; r fragments and reassembles nothing; prints iperf3's
# rate through the relay and the MTU the route carries.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members bulk symmetric symmetric
wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
[ "$(path_of a 10.26.0.2)" = relay ] || fail "a reaches b $(path_of a 10.26.0.2), not through r"
for router in a b; do
	ip netns exec "$LAB_ID-router-$router" nft -f - <<-NFT
		table ip nofrag {
			chain prerouting {
				type filter hook prerouting priority -450;
				ip frag-off & 0x3fff != 0 counter drop
			}
		}
	NFT
done

# fragments NS: fragments the namespace created and reassembly requests.
fragments() {
	ip netns exec "$1" awk '/^Ip:/ { if (!n++) { for (i = 1; i <= NF; i++) col[$i] = i } else
		print $col["FragCreates"] + $col["ReasmReqds"] }' /proc/net/snmp
}
before=$(fragments "$R")

ip netns exec "$B" iperf3 -s -B 10.26.0.2 -D -I "$LAB_DIR/iperf.pid" > /dev/null 2>&1
wait_until 5 listening "$B" 5201 || fail "iperf3 does not listen"
LAB_PIDS+=("$(cat "$LAB_DIR/iperf.pid")")
gbps=$(ip netns exec "$A" iperf3 -c 10.26.0.2 -t 5 -J |
	python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))') ||
	fail "iperf3 through the relay"

lab_copy "$A" "$B" 10.26.0.2 20000000
after=$(fragments "$R")
[ "$after" = "$before" ] || fail "r fragmented or reassembled $((after - before)) times"
mtu=$(ip netns exec "$A" ip route get 10.26.0.2 | grep -o 'mtu [0-9]*' || echo "mtu 1420 (none learned)")
trains=$(tunctl_of r status --json | python3 -c '
import json, sys
o = json.load(sys.stdin)["offload"]
print("%d datagrams in %d GSO trains" % (o["train_datagrams"], o["trains"]))')
pass "20 MB through the relay intact, nothing fragmented; iperf3 $gbps Gbit/s; a's route to b: $mtu; r sent $trains"
