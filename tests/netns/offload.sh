#!/bin/bash
# The offloads end to end: the TUN hands vpnd TCP super-packets, whose
# segments leave in UDP GSO trains, arrive through UDP GRO and reach the
# other TUN merged again - and the bytes are the bytes that were sent.
#
#   +---------- ns a ----------+          +---------- ns b ----------+
#   | vpn-a 10.26.0.1/24       |          | vpn-b 10.26.0.2/24       |
#   |   veth 192.168.51.1/24 --+----------+-- veth 192.168.51.2/24   |
#   +--------------------------+          +--------------------------+
#
# Checks: 30 MB each way over TCP with matching checksums; the counters
# show super-packets read, trains sent and merged writes; an application's
# own UDP GSO train arrives datagram by datagram; 30 MB more across an
# underlay whose MTU is below the overlay's datagrams; nothing was dropped
# as malformed.
. "$(dirname "$0")/lib.sh"
lab_init

lab_two_nodes lab 192.168.51
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 >/dev/null || fail "a cannot ping b"

# offload_field NODE FIELD: one field of status --json's offload object.
offload_field() {
	tunctl_of "$1" status --json | python3 -c '
import json, sys
value = json.load(sys.stdin)["offload"][sys.argv[1]]
print(" ".join(value) if isinstance(value, list) else value)' "$2"
}

offload_field a tun | quiet_grep tso4 || fail "the TUN took no TSO: $(offload_field a tun)"
[ "$(offload_field a udp_gro)" = True ] || fail "UDP GRO is off"
if [ -n "${LAB_WORKERS:-}" ]; then
	[ "$(offload_field a workers)" = "$LAB_WORKERS" ] ||
		fail "$(offload_field a workers) crypto workers, not the $LAB_WORKERS configured"
fi

# copy FROM_NS TO_NS TO_ADDR PORT: 30 MB over TCP, sha256 compared.
copy() {
	local from=$1 to=$2 addr=$3 port=$4 receiver want got
	head -c 30000000 /dev/urandom > "$LAB_DIR/payload"
	want=$(sha256sum < "$LAB_DIR/payload" | cut -d' ' -f1)
	ip netns exec "$to" python3 "$(dirname "$0")/tcpcopy.py" receive "$addr" "$port" \
		"$LAB_DIR/received" &
	receiver=$!
	wait_until 5 listening "$to" "$port" || fail "nobody listens on $addr:$port"
	ip netns exec "$from" timeout 60 python3 "$(dirname "$0")/tcpcopy.py" send "$addr" "$port" \
		"$LAB_DIR/payload" || fail "sending to $addr"
	wait "$receiver" || fail "receiving at $addr"
	got=$(sha256sum < "$LAB_DIR/received" | cut -d' ' -f1)
	[ "$want" = "$got" ] || fail "checksum mismatch at $addr"
}
copy "$A" "$B" 10.26.0.2 7001
copy "$B" "$A" 10.26.0.1 7002
pass "30 MB each way over TCP, sha256 matches"

for node in a b; do
	for field in super_packets trains merged_writes; do
		[ "$(offload_field $node $field)" -gt 0 ] ||
			fail "$node: no $field ($(tunctl_of $node status | grep -A1 offloaded))"
	done
	segments=$(offload_field $node super_segments)
	packets=$(offload_field $node super_packets)
	[ "$segments" -gt $((packets * 2)) ] ||
		fail "$node: super-packets held $segments packets in $packets reads"
done
tunctl_of a status | grep -A2 "offload:"
pass "super-packets read, trains sent, merged writes on both nodes"

# An application's UDP GSO train: one USO super-packet where the kernel has it.
before=$(offload_field a super_packets)
ip netns exec "$B" python3 "$(dirname "$0")/udptrain.py" receive 10.26.0.2 7003 20 1000 &
receiver=$!
sleep 0.5
ip netns exec "$A" python3 "$(dirname "$0")/udptrain.py" send 10.26.0.2 7003 20 1000 ||
	fail "sending the UDP train"
wait "$receiver" || fail "the UDP train did not arrive intact"
if offload_field a tun | quiet_grep uso4; then
	[ "$(offload_field a super_packets)" -gt "$before" ] || fail "the train was not read as one"
fi
pass "an application's UDP GSO train arrives datagram by datagram"

# An underlay whose MTU drops below the overlay's datagrams mid-run: vpnd
# never lets the kernel fragment them (DF), so the path MTU check finds the
# black hole, the search finds 1300, and ICMP "fragmentation needed" makes
# the senders' TCP use smaller segments - every byte arrives.
for ns in "$A" "$B"; do
	ip -n "$ns" link set dev "$(ip -n "$ns" -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1)" mtu 1300
done
copy "$A" "$B" 10.26.0.2 7004
pass "30 MB over an underlay of MTU 1300, sha256 matches"

for node in a b; do
	[ "$(tunctl_of $node status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops"]["malformed"])')" = 0 ] ||
		fail "$node dropped malformed packets"
done
pass "nothing dropped as malformed"
