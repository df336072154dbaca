#!/bin/bash
# A relay that answers probes but swallows what it should forward (broken,
# or a member lying to attract traffic) is routed around within seconds.
# a and b are both behind symmetric NATs: they meet only through relays.
# Relay 1 is the nearest (5 ms to both), relay 2 the next (20 ms). Once a's
# route to b goes through relay 1, relay 1 starts dropping every relay
# envelope it receives (nftables: vpnd's message type 5), while it still
# answers probes and advertises its links as before. Pings from a to b must
# come back through another relay: a and b check their relayed routes end
# to end. Prints how long the black hole held each side's traffic.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
. "$(dirname "$0")/relay_lab.sh"
lab_init
LAB_LOG_LEVEL=info

relay_lab_build symmetric symmetric
relay_delays 1 5 5
relay_delays 2 20 20
relay_delays 3 60 60
relay_lab_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
wait_route a 10.26.0.2 "via 10.26.0.11" 20 > /dev/null
wait_route b 10.26.0.1 "via 10.26.0.11" 10 > /dev/null

ip netns exec "${RELAY_NS[1]}" nft -f - <<'NFT'
table inet blackhole {
	chain input {
		type filter hook input priority 0;
		udp dport 51820 @th,64,8 5 drop
	}
}
NFT
start=$(date +%s%N)
ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 > /dev/null && fail "pings still pass: relay 1 is no black hole"
declare -A took
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
for node in a b; do
	peer=10.26.0.2
	[ $node = b ] && peer=10.26.0.1
	for _ in $(seq 200); do
		case "$(route_of $node $peer)" in
		"via 10.26.0.11"* | "") sleep 0.1 ;;
		*) break ;;
		esac
	done
	took[$node]=$(ms_since "$start")
	case "$(route_of $node $peer)" in
	"via 10.26.0.11"* | "") fail "$node still routes through relay 1 after 20 s" ;;
	esac
done
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no pings after routing around relay 1"
ip netns exec "$A" ping -c 5 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "pings lost after routing around relay 1"
pass "relay 1 swallowed relay envelopes: a left it after ${took[a]} ms, b after ${took[b]} ms (now $(route_of a 10.26.0.2)); pings pass"
