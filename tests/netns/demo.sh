#!/bin/bash
# The built-in demo: three nodes behind NAT routers find each other through
# a rendezvous, punch direct paths where the NATs allow it, relay where they
# do not, and ping each other over the encrypted overlay.
#
#                  +------- "internet": bridge 203.0.113.0/24 -------+
#                  |                  |               |              |
#            r 203.0.113.254    home-a (cone)   home-b (cone)   mobile (symmetric)
#            rendezvous+relay         |               |              |
#            10.26.0.254          alice 10.26.0.1  bob 10.26.0.2  carol 10.26.0.3
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

say "building the lab: an internet, a rendezvous, three NAT routers"
nat_internet
lab_network demo 10.26.0.0/24
R=$(nat_rendezvous demo)
HOME_A=$(nat_router home-a 203.0.113.101 cone 10.1.0)
HOME_B=$(nat_router home-b 203.0.113.102 cone 10.2.0)
MOBILE=$(nat_router mobile 203.0.113.103 symmetric 10.3.0)
ALICE=$(nat_client alice "$HOME_A" 10.1.0 2)
BOB=$(nat_client bob "$HOME_B" 10.2.0 2)
CAROL=$(nat_client carol "$MOBILE" 10.3.0 2)
nat_member alice demo 10.26.0.1
nat_member bob demo 10.26.0.2
nat_member carol demo 10.26.0.3
echo "alice behind a cone NAT, bob behind a cone NAT, carol behind a symmetric NAT;"
echo "each knows only the rendezvous r (203.0.113.254:51820) and its network's keys."
"$TUNCTL" cert show -N "$LAB_DIR/demo.network" "$LAB_DIR/alice.cert"

say "starting vpnd on r, alice, bob and carol"
for node in r alice bob carol; do
	ns_var=$(echo "$node" | tr a-z A-Z)
	[ "$node" = r ] && ns_var=R
	lab_start "${!ns_var}" "$node"
done
up=$(date +%s%N)
wait_until 5 ip netns exec "$ALICE" ping -c 1 -W 1 10.26.0.2 || fail "alice cannot reach bob"
first_bob=$(ms_since "$up")
wait_until 5 ip netns exec "$ALICE" ping -c 1 -W 1 10.26.0.3 || fail "alice cannot reach carol"
first_carol=$(ms_since "$up")
echo "alice -> bob:   first ping after ${first_bob} ms"
echo "alice -> carol: first ping after ${first_carol} ms"
for _ in $(seq 50); do
	[ "$(path_of alice 10.26.0.2)" = direct ] && break
	sleep 0.1
done

say "alice pings bob and carol"
ip netns exec "$ALICE" ping -c 10 -i 0.1 10.26.0.2 | tee "$LAB_DIR/bob.ping" | tail -n 2
ip netns exec "$ALICE" ping -c 10 -i 0.1 10.26.0.3 | tee "$LAB_DIR/carol.ping" | tail -n 2
say "bob pings carol"
ip netns exec "$BOB" ping -c 3 -i 0.1 10.26.0.3 | tail -n 2

say "tunctl status (alice)"
tunctl_of alice status
say "tunctl peers (alice): which path each peer got"
tunctl_of alice peers

say "iperf3, 3 s, alice -> bob"
ip netns exec "$BOB" iperf3 -s -1 -B 10.26.0.2 >/dev/null 2>&1 &
wait_until 5 listening "$BOB" 5201 || fail "iperf3 does not listen"
gbps=$(ip netns exec "$ALICE" iperf3 -c 10.26.0.2 -t 3 -J |
	python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))')

summary_line() { # NAME PEER_ID PINGFILE
	local received rtt
	received=$(grep -o '[0-9]* received' "$3" | cut -d' ' -f1)
	rtt=$(sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p' "$3")
	printf '%-18s %-8s %-10s %s\n' "$1" "$(path_of alice "$2")" "$received/10" "$rtt ms"
	[ "$received" = 10 ] || fail "alice lost pings to $1"
}
say "summary"
printf '%-18s %-8s %-10s %s\n' "alice to" "path" "pings" "average RTT"
summary_line "bob (cone)" 10.26.0.2 "$LAB_DIR/bob.ping"
summary_line "carol (symmetric)" 10.26.0.3 "$LAB_DIR/carol.ping"
echo
echo "first ping:  bob after ${first_bob} ms, carol after ${first_carol} ms (relay at once, direct when punched)"
echo "iperf3 TCP:  alice -> bob $gbps Gbit/s"
echo "certificates: $(peer_field alice 10.26.0.2 certificate) (bob), $(peer_field alice 10.26.0.3 certificate) (carol)"
[ "$(path_of alice 10.26.0.2)" = direct ] || fail "alice and bob did not get a direct path"
