#!/bin/bash
# Measures, in one run and in turn, the bare veth and the vpnd overlay on it:
# ping RTT and iperf3 TCP throughput (1 stream), over several rounds, and
# prints medians with vpnd's ratios, CPU time and peak RSS. Not a test: the
# figures depend on the machine. Usage: overlay_vs_veth.sh [ROUNDS] [SECONDS]
#
#   +------ ns a ------+   veth 192.168.70.0/24   +------ ns b ------+
#   | vpnd 10.26.0.1   |--------------------------| vpnd 10.26.0.2   |
#   +------------------+                          +------------------+
cd "$(dirname "$0")/.."
VPND=${VPND:-$PWD/../build/vpnd/vpnd}
TUNCTL=${TUNCTL:-$PWD/../build/tunctl/tunctl}
. netns/lib.sh
lab_init

rounds=${1:-3}
seconds=${2:-5}
LAB_LOG_LEVEL=warn lab_two_nodes bench 192.168.70
ip netns exec "$A" ping -c 2 -W 2 10.26.0.2 >/dev/null || fail "overlay not up"
ip netns exec "$B" iperf3 -s -D -I "$LAB_DIR/iperf.pid" >/dev/null 2>&1
LAB_PIDS+=("$(cat "$LAB_DIR/iperf.pid" 2>/dev/null || echo 0)")
sleep 0.5

rtt_ms() { # average RTT of 20 pings
	ip netns exec "$A" ping -c 20 -i 0.05 -q "$1" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'
}
gbps() {
	ip netns exec "$A" iperf3 -c "$1" -t "$seconds" -J |
		python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))'
}
median() { tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

declare -A results
for round in $(seq "$rounds"); do
	for target in veth:192.168.70.2 vpnd:10.26.0.2; do
		name=${target%%:*} addr=${target#*:}
		results[$name-rtt]+="$(rtt_ms "$addr") "
		results[$name-gbps]+="$(gbps "$addr") "
	done
	echo "round $round done" >&2
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pid_a=$(cat "$LAB_DIR/a.pid")
hz=$(getconf CLK_TCK)
printf '\n%-10s %14s %16s\n' "" "ping RTT (ms)" "TCP 1 stream (Gbit/s)"
for name in veth vpnd; do
	printf '%-10s %14s %16s\n' "$name" "$(echo "${results[$name-rtt]}" | median)" \
		"$(echo "${results[$name-gbps]}" | median)"
done
echo
echo "medians of $rounds rounds; iperf3 runs of ${seconds} s"
echo "vpnd a: CPU $(( $(cpu_ticks "$pid_a") * 1000 / hz )) ms total," \
	"peak RSS $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid_a/status")"
