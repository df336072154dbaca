#!/bin/bash
# The NAT lab, on top of lib.sh: an "internet" (a bridge in its own
# namespace, 203.0.113.0/24), hosts on it with public addresses, and NAT
# routers with a LAN bridge behind which clients sit.
#
#              +--------- ns inet: bridge br0 (203.0.113.0/24) ---------+
#              |                     |                                  |
#        public host           router (WAN 203.0.113.R)           router ...
#        203.0.113.X           nftables NAT of one kind
#                              LAN bridge 10.R.0.1/24
#                                 |           |
#                              client      client  (10.R.0.N, default via .1)
#
# NAT kinds (DESIGN.md section 9):
#   cone       masquerade: endpoint-independent mapping, port-restricted filtering
#              (a stateful firewall drops unsolicited inbound, as home routers do)
#   symmetric  masquerade random,fully-random: a new random port per destination
#   fullcone   snat out, and every inbound UDP port dnat-ed to the one client
#   udpblock   masquerade, and the router drops all forwarded UDP
#   open       masquerade with no firewall on the router: unsolicited inbound
#              reaches the router itself, which answers it (ICMP port
#              unreachable), and conntrack keeps an entry for it

INET_NS=""

nat_internet() {
	INET_NS=$(lab_ns inet)
	ip -n "$INET_NS" link add br0 type bridge
	ip -n "$INET_NS" link set br0 up
	# The internet is no LAN: link multicast (LAN beacons, IPv4 and IPv6)
	# stays off it; IPv6 neighbour discovery (ICMPv6) passes.
	ip netns exec "$INET_NS" nft -f - <<-NFT
		table bridge internet {
			chain forward {
				type filter hook forward priority filter;
				ip daddr 224.0.0.0/4 drop;
				ip6 daddr ff00::/8 meta l4proto udp drop;
			}
		}
	NFT
}

# nat_attach NS IFNAME ADDR: a veth from NS (named IFNAME there) to the internet bridge.
nat_attach() {
	local ns=$1 ifname=$2 addr=$3 port
	port=$(lab_unique p)
	ip link add "$ifname" netns "$ns" type veth peer name "$port" netns "$INET_NS"
	ip -n "$INET_NS" link set "$port" master br0 up
	ip -n "$ns" addr add "$addr/24" dev "$ifname"
	ip -n "$ns" link set "$ifname" up
}

# nat_public NAME ADDR: a host on the internet; prints its namespace.
nat_public() {
	local ns
	ns=$(lab_ns "$1")
	nat_attach "$ns" wan "$2"
	echo "$ns"
}

# nat_router NAME WAN_ADDR KIND LAN_NET: a NAT router; LAN_NET is like 10.1.0
# (the router is LAN_NET.1). Prints its namespace.
nat_router() {
	local name=$1 wan=$2 kind=$3 lan=$4 ns
	ns=$(lab_ns "$name")
	nat_attach "$ns" wan "$wan"
	ip -n "$ns" link add lan type bridge
	ip -n "$ns" addr add "$lan.1/24" dev lan
	ip -n "$ns" link set lan up
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	nat_rules "$ns" "$kind" "$wan" "$lan"
	echo "$ns"
}

nat_rules() {
	local ns=$1 kind=$2 wan=$3 lan=$4
	case "$kind" in
	cone | udpblock | open)
		ip netns exec "$ns" nft -f - <<-NFT
			table ip nat {
				chain post { type nat hook postrouting priority srcnat; ip saddr $lan.0/24 oifname "wan" masquerade; }
			}
		NFT
		;;
	symmetric)
		ip netns exec "$ns" nft -f - <<-NFT
			table ip nat {
				chain post { type nat hook postrouting priority srcnat; ip saddr $lan.0/24 oifname "wan" masquerade random,fully-random; }
			}
		NFT
		;;
	fullcone)
		# The one client is LAN_NET.2.
		ip netns exec "$ns" nft -f - <<-NFT
			table ip nat {
				chain post { type nat hook postrouting priority srcnat; oifname "wan" snat to $wan; }
				chain pre { type nat hook prerouting priority dstnat; iifname "wan" meta l4proto { tcp, udp } dnat to $lan.2; }
			}
		NFT
		;;
	*)
		echo "unknown NAT kind $kind" >&2
		return 1
		;;
	esac
	# Like a home router's firewall, unsolicited inbound packets are dropped
	# before conntrack confirms them: otherwise their entries would take the
	# mapped ports and break simultaneous open (Linux NAT port clash).
	if [ "$kind" != fullcone ] && [ "$kind" != open ]; then
		ip netns exec "$ns" nft -f - <<-NFT
			table inet firewall {
				chain input { type filter hook input priority filter; iifname "wan" ct state new drop; }
				chain forward { type filter hook forward priority filter; iifname "wan" ct state new drop; }
			}
		NFT
	fi
	if [ "$kind" = udpblock ]; then
		ip netns exec "$ns" nft -f - <<-NFT
			table inet filter {
				chain forward { type filter hook forward priority filter; meta l4proto udp drop; }
			}
		NFT
	fi
}

# nat_stun_server NAME ADDR1 ADDR2: coturn on two addresses of one public
# host, so that it answers RFC 5780's "change IP and port" requests (which
# miniupnpd's STUN check sends). Prints its namespace.
nat_stun_server() {
	local ns
	ns=$(nat_public "$1" "$2")
	ip -n "$ns" addr add "$3/24" dev wan
	ip netns exec "$ns" turnserver -n --stun-only --listening-ip="$2" --listening-ip="$3" \
		--no-tls --no-dtls --no-cli --log-file=stdout --simple-log > "$LAB_DIR/$1.out" 2>&1 &
	LAB_PIDS+=("$!")
	wait_until 5 bash -c "ip netns exec $ns ss -lun | grep -q $3:3478" || fail "coturn did not start"
	echo "$ns"
}

# nat_portmap_gateway ROUTER_NS LAN_NET STUN_ADDR: Debian's miniupnpd on a
# router (nftables backend; UPnP IGD, NAT-PMP and PCP on its LAN), allowed
# to map ports for LAN_NET.0/24. The router forwards what miniupnpd's rules
# DNAT (as home routers do) and stops dropping unsolicited inbound on its
# own input: miniupnpd's STUN check must hear answers from another address.
# Its lab address is a documentation one, which miniupnpd refuses as
# external address, so it learns it by STUN (from STUN_ADDR's coturn).
nat_portmap_gateway() {
	local ns=$1 lan=$2 stun=$3 conf="$LAB_DIR/miniupnpd-$1.conf"
	ip netns exec "$ns" nft -f - <<-NFT
		table inet miniupnpd {
			chain forward { type filter hook forward priority filter - 1; jump miniupnpd; }
			chain miniupnpd { }
			chain prerouting { type nat hook prerouting priority dstnat; jump prerouting_miniupnpd; }
			chain postrouting { type nat hook postrouting priority srcnat - 1; jump postrouting_miniupnpd; }
			chain prerouting_miniupnpd { }
			chain postrouting_miniupnpd { }
		}
	NFT
	ip netns exec "$ns" nft insert rule inet firewall forward ct status dnat accept
	ip netns exec "$ns" nft delete chain inet firewall input
	cat > "$conf" <<-CONF
		ext_ifname=wan
		listening_ip=lan
		ext_perform_stun=yes
		ext_stun_host=$stun
		ext_stun_port=3478
		enable_natpmp=yes
		enable_upnp=yes
		secure_mode=yes
		system_uptime=yes
		uuid=3b3f1a60-2f4b-4c3e-9b1e-5a2d8c1e7f01
		upnp_table_name=miniupnpd
		upnp_nat_table_name=miniupnpd
		min_lifetime=2
		max_lifetime=${PORTMAP_MAX_LIFETIME:-86400}
		allow 1024-65535 $lan.0/24 1024-65535
		deny 0-65535 0.0.0.0/0 0-65535
	CONF
	ip netns exec "$ns" miniupnpd -d -f "$conf" > "$LAB_DIR/miniupnpd-$ns.log" 2>&1 &
	LAB_PIDS+=("$!")
	wait_until 15 grep -q "Listening for NAT-PMP/PCP" "$LAB_DIR/miniupnpd-$ns.log" ||
		fail "miniupnpd did not start" "$(cat "$LAB_DIR/miniupnpd-$ns.log")"
	grep -q "Port forwarding is now enabled" "$LAB_DIR/miniupnpd-$ns.log" ||
		fail "miniupnpd found no public address" "$(cat "$LAB_DIR/miniupnpd-$ns.log")"
}

# nat_client NAME ROUTER_NS LAN_NET HOST: a client LAN_NET.HOST behind a router.
nat_client() {
	local name=$1 router=$2 lan=$3 host=$4 ns port
	ns=$(lab_ns "$name")
	port=$(lab_unique l)
	ip link add eth0 netns "$ns" type veth peer name "$port" netns "$router"
	ip -n "$router" link set "$port" master lan up
	ip -n "$ns" addr add "$lan.$host/24" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" route add default via "$lan.1"
	echo "$ns"
}

# nat_rendezvous NETWORK [NAME ADDRESS NODE_ID]: a rendezvous node, by
# default "r" (10.26.0.254) at 203.0.113.254, serving NETWORK; prints its
# namespace.
nat_rendezvous() {
	local network=$1 name=${2:-r} addr=${3:-203.0.113.254} node_id=${4:-10.26.0.254} ns
	ns=$(nat_public "$name" "$addr")
	lab_node "$name" "$network" "$node_id" rendezvous,relay
	lab_config "$name" "$network" 51820
	echo 'rendezvous = { enabled = true; second_port = 3478; };' >> "$LAB_DIR/$name.conf"
	echo "$ns"
}

# nat_member NODE NETWORK NODE_ID [RENDEZVOUS]: a node whose only configured
# peer is the rendezvous (default r) at 203.0.113.254, and which asks its
# second port too when checking its NAT.
nat_member() {
	lab_node "$1" "$2" "$3"
	lab_config "$1" "$2" 51820 "${4:-r} 203.0.113.254:51820 rendezvous"
	echo 'stun_servers = ( "203.0.113.254:3478" );' >> "$LAB_DIR/$1.conf"
}

# nat_site NAME KIND INDEX: a place for one node: on the internet ("public")
# or behind a router of KIND; INDEX picks its addresses. Prints the node's
# namespace.
nat_site() {
	local name=$1 kind=$2 index=$3 router
	if [ "$kind" = public ]; then
		nat_public "$name" "203.0.113.$((10 + index))"
		return
	fi
	router=$(nat_router "router-$name" "203.0.113.$((100 + index))" "$kind" "10.$index.0")
	nat_client "$name" "$router" "10.$index.0" 2
}

# path_of NODE PEER_ID: "direct", "relay" or "none".
path_of() {
	peer_field "$1" "$2" path 2>/dev/null || echo none
}

# nat_two_members NETWORK KIND_A KIND_B: the internet, the rendezvous r,
# and members a (10.26.0.1) and b (10.26.0.2) of a new network behind
# places of the given kinds (see nat_site), all started. Sets R, A and B.
nat_two_members() {
	nat_two_members_build "$@"
	nat_two_members_start
}

# nat_two_members_build NETWORK KIND_A KIND_B: the same, nothing started.
nat_two_members_build() {
	local network=$1
	nat_internet
	lab_network "$network" 10.26.0.0/24
	R=$(nat_rendezvous "$network")
	A=$(nat_site a "$2" 1)
	B=$(nat_site b "$3" 2)
	nat_member a "$network" 10.26.0.1
	nat_member b "$network" 10.26.0.2
}

nat_two_members_start() {
	lab_start "$R" r
	lab_start "$A" a
	lab_start "$B" b
}

# nat_wait_paths PATH SECONDS: until a and b both see each other on PATH;
# fails if they do not.
nat_wait_paths() {
	local want=$1 tries=$(($2 * 10))
	for _ in $(seq "$tries"); do
		[ "$(path_of a 10.26.0.2)" = "$want" ] && [ "$(path_of b 10.26.0.1)" = "$want" ] && return 0
		sleep 0.1
	done
	fail "paths a->b $(path_of a 10.26.0.2), b->a $(path_of b 10.26.0.1); expected $want" \
		"$(tunctl_of a paths 10.26.0.2 2>&1; tunctl_of b paths 10.26.0.1 2>&1)"
}

# nat_enroll_config NODE TOKEN [NODE_ID]: a node that has only a private key
# and a join token; its network, ID and certificate come from enrolling.
nat_enroll_config() {
	local node=$1 token=$2 node_id=${3:-}
	"$TUNCTL" genkey > "$LAB_DIR/$node.key"
	{
		echo "interface = { name = \"vpn-$node\"; };"
		echo "node = { private_key = \"$(cat "$LAB_DIR/$node.key")\"; };"
		echo "enroll = { token = \"$token\";"
		[ -n "$node_id" ] && echo "  node_id = \"$node_id\";"
		echo "};"
		echo "control = { socket = \"$LAB_DIR/$node.sock\"; };"
		echo "state_dir = \"$LAB_DIR/$node.state\";"
		echo "log_level = \"${LAB_LOG_LEVEL:-debug}\";"
	} > "$LAB_DIR/$node.conf"
}
