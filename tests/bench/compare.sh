#!/bin/bash
# The data-plane benchmark: in one run and in turn, the bare veth, vpnd,
# wireguard-go (+ wg) and nebula, each between the same two namespaces on
# one veth, and vpnd through a relay in a third namespace: ping RTT,
# iperf3 TCP with 1 and with 4 streams, over several rounds. Prints medians, vpnd's ratios to each peer, and each daemon's CPU
# time and peak RSS. Not a test (the figures depend on the machine); run as
# root, after building: bash tests/bench/compare.sh [ROUNDS] [SECONDS]
#
#   +------------ ns a ------------+  veth 192.168.70.0/24  +------------ ns b ------------+
#   | vpnd          10.26.0.1 :51820|-----------------------| vpnd          10.26.0.2 :51820|
#   | wireguard-go  10.27.0.1 :51821|                       | wireguard-go  10.27.0.2 :51821|
#   | nebula        10.28.0.1 :4242 |                       | nebula        10.28.0.2 :4242 |
#   | vpnd relayed  10.30.0.1 :51823|                       | vpnd relayed  10.30.0.2 :51823|
#   +--------------+---------------+                        +---------------+--------------+
#                  | 192.168.71.0/24     +---- ns r ----+     192.168.72.0/24 |
#                  +---------------------| vpnd relay   |---------------------+
#                                        | 10.30.0.254  |
#                                        +--------------+
#
# The relayed pair finds each other through r and is pinned to the relay
# route (tunctl pin ... relay), though it could go direct.
#
# All tunnels have MTU 1420. VPND and TUNCTL pick the binaries (default:
# build/); nebula is installed from Debian's packages if missing. With
# COMPARE_ONLY names the rows to measure (all by default). With
# VPND_BASE set to another vpnd binary (a build of an earlier commit), a
# second vpnd pair runs it (10.29.0.0/24, port 51822), measured in the same
# rounds: before and after a change, in one run.
cd "$(dirname "$0")/.."
VPND=${VPND:-$PWD/../build/vpnd/vpnd}
TUNCTL=${TUNCTL:-$PWD/../build/tunctl/tunctl}
. netns/lib.sh
lab_init

rounds=${1:-3}
seconds=${2:-5}
command -v nebula > /dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q nebula > /dev/null
for tool in iperf3 wireguard-go wg nebula nebula-cert; do
	command -v "$tool" > /dev/null || fail "$tool is missing"
done

LAB_LOG_LEVEL=warn lab_two_nodes bench 192.168.70
declare -A PID # daemon name -> its PID in ns a
PID[vpnd]=$(cat "$LAB_DIR/a.pid")

# wireguard_pair: wireguard-go in both namespaces, 10.27.0.0/24.
wireguard_pair() {
	local i ns other
	for i in 1 2; do
		wg genkey > "$LAB_DIR/wg$i.key"
		wg pubkey < "$LAB_DIR/wg$i.key" > "$LAB_DIR/wg$i.pub"
	done
	for i in 1 2; do
		ns=$A other=2
		[ $i = 2 ] && ns=$B other=1
		# Its control socket is named after the interface, in one /run for all.
		ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 wireguard-go "wgb$i" > "$LAB_DIR/wg$i.log" 2>&1 &
		LAB_PIDS+=("$!")
		[ $i = 1 ] && PID[wireguard-go]=$!
		wait_until 5 ip -n "$ns" link show "wgb$i" || fail "wireguard-go did not start"
		ip netns exec "$ns" wg set "wgb$i" private-key "$LAB_DIR/wg$i.key" listen-port 51821 \
			peer "$(cat "$LAB_DIR/wg$other.pub")" allowed-ips "10.27.0.$other/32" \
			endpoint "192.168.70.$other:51821"
		ip -n "$ns" addr add "10.27.0.$i/24" dev "wgb$i"
		ip -n "$ns" link set "wgb$i" mtu 1420 up
	done
}

# nebula_pair: nebula in both namespaces, 10.28.0.0/24, no lighthouse.
nebula_pair() {
	local i ns other
	nebula-cert ca -name bench -out-crt "$LAB_DIR/neb-ca.crt" -out-key "$LAB_DIR/neb-ca.key"
	for i in 1 2; do
		ns=$A other=2
		[ $i = 2 ] && ns=$B other=1
		nebula-cert sign -ca-crt "$LAB_DIR/neb-ca.crt" -ca-key "$LAB_DIR/neb-ca.key" -name "n$i" \
			-ip "10.28.0.$i/24" -out-crt "$LAB_DIR/neb$i.crt" -out-key "$LAB_DIR/neb$i.key"
		cat > "$LAB_DIR/neb$i.yml" <<-YAML
			pki: {ca: $LAB_DIR/neb-ca.crt, cert: $LAB_DIR/neb$i.crt, key: $LAB_DIR/neb$i.key}
			static_host_map: {"10.28.0.$other": ["192.168.70.$other:4242"]}
			lighthouse: {am_lighthouse: false}
			listen: {host: 0.0.0.0, port: 4242}
			tun: {dev: nebb0, mtu: 1420}
			logging: {level: warning}
			firewall:
			  outbound: [{port: any, proto: any, host: any}]
			  inbound: [{port: any, proto: any, host: any}]
		YAML
		ip netns exec "$ns" nebula -config "$LAB_DIR/neb$i.yml" > "$LAB_DIR/neb$i.log" 2>&1 &
		LAB_PIDS+=("$!")
		[ $i = 1 ] && PID[nebula]=$!
	done
	wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.28.0.2 || fail "nebula pair not up"
}

# base_pair: the VPND_BASE binary in both namespaces, 10.29.0.0/24.
base_pair() {
	lab_network base 10.29.0.0/24
	lab_node c base 10.29.0.1
	lab_node d base 10.29.0.2
	LAB_LOG_LEVEL=warn lab_config c base 51822 "d 192.168.70.2:51822"
	LAB_LOG_LEVEL=warn lab_config d base 51822 "c 192.168.70.1:51822"
	VPND=$VPND_BASE lab_start "$A" c
	VPND=$VPND_BASE lab_start "$B" d
	PID[vpnd-base]=$(cat "$LAB_DIR/c.pid")
	wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.29.0.2 || fail "vpnd-base pair not up"
}

# relay_pair: the relayed vpnd pair and its relay, 10.30.0.0/24.
relay_pair() {
	R=$(lab_ns r)
	lab_link "$A" 192.168.71.1/24 "$R" 192.168.71.254/24
	lab_link "$B" 192.168.72.2/24 "$R" 192.168.72.254/24
	lab_network relayed 10.30.0.0/24
	lab_node rr relayed 10.30.0.254 rendezvous,relay
	lab_node ra relayed 10.30.0.1
	lab_node rb relayed 10.30.0.2
	LAB_LOG_LEVEL=warn lab_config rr relayed 51823
	echo 'rendezvous = { enabled = true; };' >> "$LAB_DIR/rr.conf"
	LAB_LOG_LEVEL=warn lab_config ra relayed 51823 "rr 192.168.71.254:51823 rendezvous"
	LAB_LOG_LEVEL=warn lab_config rb relayed 51823 "rr 192.168.72.254:51823 rendezvous"
	lab_start "$R" rr
	lab_start "$A" ra
	lab_start "$B" rb
	PID[relay]=$(cat "$LAB_DIR/rr.pid")
	wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.30.0.2 || fail "relayed pair not up"
	tunctl_of ra pin 10.30.0.2 relay > /dev/null || fail "cannot pin a to the relay"
	tunctl_of rb pin 10.30.0.1 relay > /dev/null || fail "cannot pin b to the relay"
	wait_until 10 relayed_route_is "via 10.30.0.254" || fail "the relayed pair does not go through the relay"
}

relayed_route_is() {
	[ "$(tunctl_of ra paths 10.30.0.2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["route"])')" = "$1" ]
}

wireguard_pair
nebula_pair
relay_pair
[ -n "${VPND_BASE:-}" ] && base_pair
ip netns exec "$A" ping -c 2 -W 2 10.26.0.2 > /dev/null || fail "vpnd pair not up"
ip netns exec "$A" ping -c 2 -W 2 10.27.0.2 > /dev/null || fail "wireguard-go pair not up"
ip netns exec "$B" iperf3 -s -D -I "$LAB_DIR/iperf.pid" > /dev/null 2>&1
sleep 0.5
LAB_PIDS+=("$(cat "$LAB_DIR/iperf.pid" 2>/dev/null || echo 0)")

rtt_ms() { # average RTT of 20 pings
	ip netns exec "$A" ping -c 20 -i 0.05 -q "$1" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'
}
gbps() { # ADDR STREAMS
	ip netns exec "$A" iperf3 -c "$1" -P "$2" -t "$seconds" -J |
		python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

targets=(veth:192.168.70.2 vpnd:10.26.0.2 relayed:10.30.0.2 wireguard-go:10.27.0.2 nebula:10.28.0.2)
[ -n "${VPND_BASE:-}" ] && targets+=(vpnd-base:10.29.0.2)
if [ -n "${COMPARE_ONLY:-}" ]; then # e.g. COMPARE_ONLY="vpnd relayed", while working on one
	only=()
	for target in "${targets[@]}"; do
		[[ " $COMPARE_ONLY " = *" ${target%%:*} "* ]] && only+=("$target")
	done
	targets=("${only[@]}")
fi
declare -A results
for round in $(seq "$rounds"); do
	for target in "${targets[@]}"; do
		name=${target%%:*} addr=${target#*:}
		results[$name-rtt]+="$(rtt_ms "$addr") "
		results[$name-1]+="$(gbps "$addr" 1) "
		results[$name-4]+="$(gbps "$addr" 4) "
	done
	echo "round $round of $rounds done" >&2
done

declare -A med
printf '\n%-13s %13s %16s %16s %12s %10s\n' "" "ping RTT (ms)" "TCP 1 (Gbit/s)" "TCP 4 (Gbit/s)" "CPU (s)" "peak RSS"
for target in "${targets[@]}"; do
	name=${target%%:*}
	for m in rtt 1 4; do
		med[$name-$m]=$(echo "${results[$name-$m]}" | median)
	done
	cpu=- rss=- owner=$name
	[ "$name" = relayed ] && owner=relay # the relay's own CPU and memory
	if [ -n "${PID[$owner]:-}" ]; then
		cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/${PID[$owner]}/stat")
		rss=$(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/${PID[$owner]}/status")
	fi
	printf '%-13s %13s %16s %16s %12s %10s\n' "$name" "${med[$name-rtt]}" "${med[$name-1]}" \
		"${med[$name-4]}" "$cpu" "$rss"
done
echo
for name in vpnd relayed wireguard-go nebula vpnd-base; do # rows not measured compare as "-"
	for m in rtt 1 4; do
		med[$name-$m]=${med[$name-$m]:-}
	done
done
peers=(wireguard-go nebula)
[ -n "${VPND_BASE:-}" ] && peers+=(vpnd-base)
for peer in "${peers[@]}"; do
	echo "vpnd / $peer: TCP 1 stream $(ratio "${med[vpnd-1]}" "${med[$peer-1]}")x," \
		"4 streams $(ratio "${med[vpnd-4]}" "${med[$peer-4]}")x," \
		"ping RTT $(ratio "${med[vpnd-rtt]}" "${med[$peer-rtt]}")x"
done
echo "relayed / direct: TCP 1 stream $(ratio "${med[relayed-1]}" "${med[vpnd-1]}")x, 4 streams $(ratio "${med[relayed-4]}" "${med[vpnd-4]}")x"
echo "medians of $rounds rounds; iperf3 runs of ${seconds} s; CPU and RSS of the daemon in ns a (relayed: of the relay)"
