# The relay lab, on top of nat.sh: a rendezvous r, three public relays and
# two members a and b behind routers, with link delays set per direction by
# nfdelay (NFQUEUE; this kernel has no tc netem).
#
#                  +-------------- ns inet: bridge 203.0.113.0/24 --------------+
#                  |             |             |             |         |        |
#          r .254 (slow)   relay1 .11    relay2 .12    relay3 .13  router-a  router-b
#          10.26.0.254     10.26.0.11    10.26.0.12    10.26.0.13    .101      .102
#                                                                      |         |
#                                                            a 10.26.0.1   b 10.26.0.2
#
# A delay is put on what a node sends to an address, so it is the round
# trip time of that link as both ends measure it. r's links get
# RELAY_LAB_R_DELAY ms (default 150): it stays the relay of last resort.

RELAY_ADDR=(unused 203.0.113.11 203.0.113.12 203.0.113.13)
declare -A RELAY_NS

# relay_lab_build KIND_A KIND_B: namespaces and configurations, nothing
# started. Sets R, A, B and RELAY_NS[1..3].
relay_lab_build() {
	nat_internet
	lab_network relays 10.26.0.0/24
	R=$(nat_rendezvous relays)
	for i in 1 2 3; do
		RELAY_NS[$i]=$(nat_public "relay$i" "${RELAY_ADDR[$i]}")
		lab_node "relay$i" relays "10.26.0.1$i" relay
		lab_config "relay$i" relays 51820 "r 203.0.113.254:51820 rendezvous"
	done
	A=$(nat_site a "$1" 1)
	B=$(nat_site b "$2" 2)
	nat_member a relays 10.26.0.1
	nat_member b relays 10.26.0.2
	for dst in 203.0.113.101 203.0.113.102 "${RELAY_ADDR[@]:1}"; do
		link_delay "$R" "$dst" "${RELAY_LAB_R_DELAY:-150}"
	done
}

relay_lab_start() {
	lab_start "$R" r
	for i in 1 2 3; do
		lab_start "${RELAY_NS[$i]}" "relay$i"
	done
	lab_start "$A" a
	lab_start "$B" b
}

# relay_delays I TO_A TO_B [JITTER_PERCENT]: relay I's links to a's and b's
# routers.
relay_delays() {
	link_delay "${RELAY_NS[$1]}" 203.0.113.101 "$2" "${4:-0}"
	link_delay "${RELAY_NS[$1]}" 203.0.113.102 "$3" "${4:-0}"
}

# link_delay NS DST_ADDR DELAY_MS [JITTER_PERCENT [LOSS_PERCENT]]: delays
# (and drops a share of) the UDP that NS sends to DST_ADDR, through an
# NFQUEUE queue of its own and the namespace's nfdelay. Called again for the
# same pair, it changes the numbers in place.
link_delay() {
	local ns=$1 dst=$2 conf="$LAB_DIR/delay-$1.conf" map="$LAB_DIR/delay-$1.queues" queue new=0
	touch "$map" "$conf"
	queue=$(awk -v d="$dst" '$1 == d { print $2 }' "$map")
	if [ -z "$queue" ]; then
		queue=$(($(wc -l < "$map") + 1))
		echo "$dst $queue" >> "$map"
		new=1
	fi
	grep -v "^$queue " "$conf" > "$conf.new" || true
	echo "$queue $3 ${4:-0} ${5:-0}" >> "$conf.new"
	mv "$conf.new" "$conf"
	nfdelay_reload "$ns" "$conf"
	if [ $new = 1 ]; then
		ip netns exec "$ns" iptables-legacy -A OUTPUT -p udp -d "$dst" \
			-j NFQUEUE --queue-num "$queue"
	fi
}

# nfdelay_reload NS CONF: starts the namespace's nfdelay, or has it read
# CONF again; returns once new queues are bound.
nfdelay_reload() {
	local pidfile="$LAB_DIR/delay-$1.pid"
	if [ -f "$pidfile" ]; then
		kill -HUP "$(cat "$pidfile")"
	else
		ip netns exec "$1" "$NFDELAY" "$2" 2>> "$LAB_DIR/nfdelay.log" &
		LAB_PIDS+=("$!")
		echo "$!" > "$pidfile"
	fi
	sleep 0.2
	kill -0 "$(cat "$pidfile")" 2>/dev/null || fail "nfdelay in $1 stopped: $(cat "$LAB_DIR/nfdelay.log")"
}

# route_of NODE PEER_ID: the route NODE's selector chose ("direct",
# "via 10.26.0.11", ...; "" before it has measured one).
route_of() {
	tunctl_of "$1" paths "$2" --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["route"])' ||
		echo ""
}

# switches_of NODE PEER_ID: how often NODE's route to the peer changed.
switches_of() {
	tunctl_of "$1" paths "$2" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["switches"])'
}

# wait_route NODE PEER_ID ROUTE SECONDS: until the route is ROUTE; prints
# the milliseconds it took, fails if it did not happen.
wait_route() {
	local start now
	start=$(date +%s%N)
	for _ in $(seq $(($4 * 10))); do
		if [ "$(route_of "$1" "$2")" = "$3" ]; then
			now=$(date +%s%N)
			echo $(((now - start) / 1000000))
			return 0
		fi
		sleep 0.1
	done
	tunctl_of "$1" paths "$2" >&2 || true
	fail "$1's route to $2 is \"$(route_of "$1" "$2")\" after $4 s, expected \"$3\""
}
