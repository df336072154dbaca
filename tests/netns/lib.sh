#!/bin/bash
# The lab: helpers for tests that run vpnd in network namespaces.
#
# Every namespace, process and file a test makes is recorded and removed by
# lab_cleanup, which lab_init installs as an EXIT trap, so a failing or
# interrupted test leaves nothing behind. Traffic stays inside namespaces
# the test created.
#
# Environment: VPND and TUNCTL name the binaries (CTest sets them).

set -euo pipefail

: "${VPND:?VPND must name the vpnd binary}"
: "${TUNCTL:?TUNCTL must name the tunctl binary}"

LAB_ID="vl$$"
LAB_PIDS=()
LAB_DIR=""

lab_cleanup() {
	local status=$?
	set +e
	for pid in "${LAB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${LAB_PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	done
	# Namespaces are found by their prefix: lab_ns runs in command substitutions.
	for ns in $(ip netns list | awk -v p="$LAB_ID-" 'index($1, p) == 1 {print $1}'); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns" # files ip netns exec mounts over /etc (hosts)
	done
	# A sanitizer report from any daemon fails the test, whatever it checked.
	if [ -n "$LAB_DIR" ] && grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		"$LAB_DIR"/*.log 2>/dev/null; then
		echo "FAIL: sanitizer report in a daemon's log" >&2
		grep -hE -A20 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LAB_DIR"/*.log >&2
		status=1
	fi
	if [ -n "$LAB_DIR" ] && [ "${LAB_KEEP:-0}" != 1 ]; then
		rm -rf "$LAB_DIR"
	fi
	if [ "$status" -ne 0 ]; then
		echo "FAIL: $(basename "$0") (exit $status)" >&2
		[ -n "$LAB_DIR" ] && [ "${LAB_KEEP:-0}" = 1 ] && echo "lab files kept in $LAB_DIR" >&2
	fi
	exit "$status"
}

lab_init() {
	[ "$(id -u)" -eq 0 ] || { echo "netns tests need root" >&2; exit 1; }
	umask 077
	LAB_DIR=$(mktemp -d /tmp/vpnd-lab.XXXXXX)
	chmod 711 "$LAB_DIR" # others may reach the sockets; each file keeps its own mode
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM
}

fail() {
	echo "FAIL: $*" >&2
	if [ -n "$LAB_DIR" ]; then
		for log in "$LAB_DIR"/*.log; do
			[ -f "$log" ] || continue
			echo "--- $log" >&2
			tail -n 30 "$log" >&2
		done
	fi
	exit 1
}

pass() {
	echo "PASS: $*"
}

# lab_ns NAME: a namespace called $LAB_ID-NAME with loopback up; prints its name.
lab_ns() {
	local ns="$LAB_ID-$1"
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	echo "$ns"
}

# lab_unique PREFIX: an interface name no other of this lab has (a counter
# in LAB_DIR, as namespaces are set up from subshells; random names collide
# now and then).
lab_unique() {
	local n
	n=$(($(cat "$LAB_DIR/unique" 2>/dev/null || echo 0) + 1))
	echo "$n" > "$LAB_DIR/unique"
	echo "$1$n"
}

# lab_link NS_A ADDR_A NS_B ADDR_B: a veth pair between two namespaces.
lab_link() {
	local a=$1 addr_a=$2 b=$3 addr_b=$4 ifa ifb
	ifa=$(lab_unique v)
	ifb=$(lab_unique v)
	local nodad=()
	[[ $addr_a == *:* ]] && nodad=(nodad) # IPv6: usable at once, no DAD wait
	ip link add "$ifa" netns "$a" type veth peer name "$ifb" netns "$b"
	ip -n "$a" addr add "$addr_a" dev "$ifa" "${nodad[@]}"
	ip -n "$b" addr add "$addr_b" dev "$ifb" "${nodad[@]}"
	ip -n "$a" link set "$ifa" up
	ip -n "$b" link set "$ifb" up
}

# quiet_grep ARGS...: grep that reads all its input, so that under pipefail
# the command feeding it never dies of SIGPIPE (as it may with grep -q).
quiet_grep() {
	grep "$@" >/dev/null
}

# wait_until SECONDS COMMAND...: polls every 0.1 s; fails when time runs out.
wait_until() {
	local limit=$1
	shift
	local tries=$((limit * 10))
	for _ in $(seq "$tries"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# listening NS PORT: a TCP socket in NS listens on PORT.
listening() {
	ip netns exec "$1" ss -ltn "sport = :$2" | grep -q ":$2"
}

# lab_network NAME SUBNET: creates $LAB_DIR/NAME.network and NAME.part (export).
lab_network() {
	"$TUNCTL" network init "$1" "$2" -o "$LAB_DIR/$1.network"
	"$TUNCTL" network export "$LAB_DIR/$1.network" > "$LAB_DIR/$1.part"
}

# lab_node NODE NETWORK NODE_ID [FLAGS]: key pair and certificate for a node.
lab_node() {
	local node=$1 network=$2 node_id=$3 flags=${4:-none}
	"$TUNCTL" genkey > "$LAB_DIR/$node.key"
	"$TUNCTL" pubkey < "$LAB_DIR/$node.key" > "$LAB_DIR/$node.pub"
	"$TUNCTL" cert sign -N "$LAB_DIR/$network.network" -n "$node_id" \
		-k "$(cat "$LAB_DIR/$node.pub")" -f "$flags" > "$LAB_DIR/$node.cert"
	echo "$node_id" > "$LAB_DIR/$node.id"
}

# lab_wireguard_key NODE NODE_ID: a key pair alone, for a plain WireGuard peer.
lab_wireguard_key() {
	wg genkey > "$LAB_DIR/$1.key"
	wg pubkey < "$LAB_DIR/$1.key" > "$LAB_DIR/$1.pub"
	echo "$2" > "$LAB_DIR/$1.id"
}

# lab_config NODE NETWORK PORT [PEER_LINES...]: writes $LAB_DIR/NODE.conf.
# Each peer line is "NODE ENDPOINT [wireguard|rendezvous]" (ENDPOINT may be
# "-" for none): a plain WireGuard peer, which presents no certificate, or a
# rendezvous to register with.
lab_config() {
	local node=$1 network=$2 port=$3
	shift 3
	{
		echo "interface = { name = \"vpn-$node\"; mtu = 1420; listen_port = $port;"
		# LAB_WORKERS: crypto threads (default: the daemon's, one per CPU beyond the first).
		[ -n "${LAB_WORKERS:-}" ] && echo "  workers = $LAB_WORKERS;"
		echo "};"
		echo "node = { private_key = \"$(cat "$LAB_DIR/$node.key")\";"
		echo "         certificate = \"$(cat "$LAB_DIR/$node.cert")\"; };"
		cat "$LAB_DIR/$network.part"
		echo "control = { socket = \"$LAB_DIR/$node.sock\"; };"
		echo "state_dir = \"$LAB_DIR/$node.state\";"
		echo "log_level = \"${LAB_LOG_LEVEL:-debug}\";"
		echo "peers = ("
		local first=1
		for line in "$@"; do
			local peer endpoint kind
			read -r peer endpoint kind <<< "$line"
			[ $first = 1 ] || echo ","
			first=0
			echo "  { node_id = \"$(cat "$LAB_DIR/$peer.id")\";"
			echo "    public_key = \"$(cat "$LAB_DIR/$peer.pub")\";"
			[ "$endpoint" = "-" ] || echo "    endpoint = \"$endpoint\";"
			[ "$kind" = wireguard ] && echo "    wireguard = true;"
			[ "$kind" = rendezvous ] && echo "    rendezvous = true;"
			echo "  }"
		done
		echo ");"
	} > "$LAB_DIR/$node.conf"
}

# lab_start NS NODE: starts vpnd for NODE in NS, waits for its control socket.
lab_start() {
	local ns=$1 node=$2
	ip netns exec "$ns" "$VPND" -c "$LAB_DIR/$node.conf" > "$LAB_DIR/$node.log" 2>&1 &
	local pid=$!
	LAB_PIDS+=("$pid")
	echo "$pid" > "$LAB_DIR/$node.pid"
	wait_until 5 test -S "$LAB_DIR/$node.sock" || fail "vpnd $node did not start"
}

# lab_stop NODE: SIGTERM, and wait for it to exit.
lab_stop() {
	local pid
	pid=$(cat "$LAB_DIR/$1.pid")
	kill -TERM "$pid"
	wait_until 5 bash -c "! kill -0 $pid" || fail "vpnd $1 did not exit on SIGTERM"
}

# lab_two_nodes NETWORK UNDERLAY: nodes a (10.26.0.1) and b (10.26.0.2) of a
# new network, on one veth (UNDERLAY.1/24 and UNDERLAY.2/24, UNDERLAY being
# three octets), each configured with the other's endpoint, both started.
# Sets A and B to their namespaces.
lab_two_nodes() {
	local network=$1 underlay=$2
	A=$(lab_ns a)
	B=$(lab_ns b)
	lab_link "$A" "$underlay.1/24" "$B" "$underlay.2/24"
	lab_network "$network" 10.26.0.0/24
	lab_node a "$network" 10.26.0.1
	lab_node b "$network" 10.26.0.2
	lab_config a "$network" 51820 "b $underlay.2:51820"
	lab_config b "$network" 51820 "a $underlay.1:51820"
	lab_start "$A" a
	lab_start "$B" b
}

# lab_copy FROM_NS TO_NS ADDR BYTES: BYTES of random data over one TCP
# connection from FROM_NS to ADDR:7000 in TO_NS, compared; fails if they
# do not arrive intact within 60 s.
lab_copy() {
	local from=$1 to=$2 addr=$3 receiver
	head -c "$4" /dev/urandom > "$LAB_DIR/payload"
	ip netns exec "$to" python3 "$(dirname "${BASH_SOURCE[0]}")/tcpcopy.py" receive "$addr" 7000 \
		"$LAB_DIR/received" &
	receiver=$!
	LAB_PIDS+=("$receiver")
	wait_until 5 listening "$to" 7000 || fail "nobody listens on $addr:7000"
	ip netns exec "$from" timeout 60 python3 "$(dirname "${BASH_SOURCE[0]}")/tcpcopy.py" send \
		"$addr" 7000 "$LAB_DIR/payload" || fail "sending $4 bytes to $addr"
	wait "$receiver" || fail "receiving $4 bytes at $addr"
	cmp -s "$LAB_DIR/payload" "$LAB_DIR/received" || fail "the copy arrived damaged or short"
}

# df_ping_limit NS ADDR MTU: a DF ping of MTU bytes from NS to ADDR passes;
# one byte more gets "fragmentation needed" (from the tunnel or the kernel's
# PMTU cache it fed).
df_ping_limit() {
	ip netns exec "$1" ping -M do -c 1 -W 2 -s $(($3 - 28)) "$2" > /dev/null ||
		fail "a DF ping of $3 bytes to $2 does not pass"
	ip netns exec "$1" ping -M do -c 1 -W 2 -s $(($3 - 27)) "$2" > "$LAB_DIR/toobig" 2>&1 &&
		fail "a DF ping of $(($3 + 1)) bytes to $2 passed"
	quiet_grep -i "frag needed\|message too long" < "$LAB_DIR/toobig" ||
		fail "one byte more: $(cat "$LAB_DIR/toobig")"
}

# first_ping_ms NS ADDR LIMIT_MS: pings ADDR from NS until one is answered;
# prints how many ms that took; fails (status 1) after LIMIT_MS.
first_ping_ms() {
	local started
	started=$(date +%s%N)
	while [ $(($(date +%s%N) - started)) -lt $(($3 * 1000000)) ]; do
		if ip netns exec "$1" ping -c 1 -W 0.2 "$2" > /dev/null 2>&1; then
			echo $((($(date +%s%N) - started) / 1000000))
			return 0
		fi
	done
	return 1
}

# tunctl_of NODE ARGS...: tunctl against NODE's daemon.
tunctl_of() {
	local node=$1
	shift
	"$TUNCTL" -s "$LAB_DIR/$node.sock" "$@"
}

# copy_start FROM_NS TO_NS TO_ADDR: a 24 MB paced TCP copy (3 MB/s) from
# FROM_NS to TO_ADDR:7000 in TO_NS, started in the background; sets sender
# and receiver (their PIDs). The payload is $LAB_DIR/payload, what arrives
# $LAB_DIR/received.
copy_start() {
	head -c 24000000 /dev/urandom > "$LAB_DIR/payload"
	ip netns exec "$2" python3 "$(dirname "$0")/tcpcopy.py" receive "$3" 7000 "$LAB_DIR/received" &
	receiver=$!
	LAB_PIDS+=("$receiver")
	wait_until 5 listening "$2" 7000 || fail "nobody listens on $3:7000"
	ip netns exec "$1" python3 "$(dirname "$0")/tcpcopy.py" send "$3" 7000 "$LAB_DIR/payload" 3000000 &
	sender=$!
	LAB_PIDS+=("$sender")
}

# peer_field NODE PEER_ID FIELD: one field of one peer from tunctl peers --json.
peer_field() {
	tunctl_of "$1" peers --json | python3 -c '
import json, sys
peer_id, field = sys.argv[1], sys.argv[2]
for p in json.load(sys.stdin)["peers"]:
    if p["node_id"] == peer_id:
        value = p
        for part in field.split("."):
            value = value[part]
        print(value)
' "$2" "$3"
}
