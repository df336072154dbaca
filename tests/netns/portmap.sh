#!/bin/bash
# Port mapping against Debian's miniupnpd, by one protocol.
# usage: portmap.sh pcp|natpmp|upnp
#
#                 +-------- ns inet: bridge 203.0.113.0/24 ---------+
#                 |                 |                |              |
#           r 203.0.113.254   stun .250/.251   router-a           router-b
#           rendezvous+relay  coturn (for      symmetric NAT      symmetric NAT
#                             miniupnpd)       + miniupnpd        203.0.113.102
#                                              203.0.113.101          |
#                                                  |               b 10.2.0.2
#                                               a 10.1.0.2
#
# Two symmetric NATs: without a mapping, a and b can only meet through the
# relay (the nat_symmetric_symmetric test). a asks its gateway for a
# mapping by PROTOCOL only. Checks: tunctl netcheck names the protocol and
# the mapped endpoint; the mapping is in the router's nftables; a and b go
# direct and ping; (pcp: the gateway grants 6 s, so the mapping must be
# renewed to stay); when a stops, the mapping is gone from the router.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=${LAB_LOG_LEVEL:-info}
protocol=$1
[ "$protocol" = pcp ] && PORTMAP_MAX_LIFETIME=6

nat_two_members_build portmap symmetric symmetric
nat_stun_server stun 203.0.113.250 203.0.113.251 > /dev/null
ROUTER_A="$LAB_ID-router-a"
nat_portmap_gateway "$ROUTER_A" 10.1.0 203.0.113.250
echo "portmap = { protocols = ( \"$protocol\" ); };" >> "$LAB_DIR/a.conf"
up=$(date +%s%N)
nat_two_members_start

mapping_rule() { ip netns exec "$ROUTER_A" nft list chain inet miniupnpd prerouting_miniupnpd | grep "dnat ip to 10.1.0.2:51820"; }
portmap_field() { # FIELD: from a's netcheck report
	tunctl_of a netcheck --json | python3 -c "import json,sys; print(json.load(sys.stdin)['portmap'].get('$1', ''))"
}

wait_until 10 bash -c "[ \"\$(ip netns exec $ROUTER_A nft list chain inet miniupnpd prerouting_miniupnpd | grep -c 'dnat ip to 10.1.0.2:51820')\" = 1 ]" ||
	fail "no mapping for a in router-a's nftables" "$(grep -i 'port mapping' "$LAB_DIR/a.log")"
protocol_is() { [ "$(portmap_field protocol)" = "$1" ]; }
wait_until 5 protocol_is "$protocol" || fail "netcheck names no $protocol mapping"
rule=$(mapping_rule)
external_port=$(echo "$rule" | grep -o 'dport [0-9]*' | cut -d' ' -f2)
[ "$(portmap_field external)" = "203.0.113.101:$external_port" ] ||
	fail "netcheck reports $(portmap_field external), router-a maps port $external_port"
tunctl_of a netcheck | grep "port mapping"

wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no ping within 5 s"
nat_wait_paths direct 20
to_direct=$(( ($(date +%s%N) - up) / 1000000 ))
ip netns exec "$A" ping -c 5 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "pings on the direct path"
# b's packets come in through the mapped port.
ip netns exec "$ROUTER_A" conntrack -L -p udp --dport "$external_port" 2>/dev/null | grep -q "dst=203.0.113.101" ||
	fail "nothing came in through the mapped port $external_port"

if [ "$protocol" = pcp ]; then
	# Granted 6 s: renewed every 3 s; 10 s on, still mapped, still direct.
	sleep 10
	renewals=$(portmap_field renewals)
	[ "$renewals" -ge 2 ] || fail "$renewals renewals in 10 s of a 6 s mapping"
	mapping_rule > /dev/null || fail "the mapping expired although renewed"
	[ "$(path_of a 10.26.0.2)" = direct ] || fail "a left the direct path while the mapping was renewed"
	ip netns exec "$A" ping -c 2 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "pings after the renewals"
	echo "renewed $renewals times in 10 s"
fi

lab_stop a
mapping_rule > /dev/null && fail "a's mapping is still in router-a after a stopped"
pass "$protocol: mapped 203.0.113.101:$external_port, direct symmetric x symmetric ${to_direct} ms after start, deleted on exit"
