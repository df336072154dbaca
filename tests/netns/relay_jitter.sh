#!/bin/bash
# No flapping: two relays of about the same latency, each with +-30% jitter
# on every packet (relay 1: 20 ms, relay 2: 22 ms), carry pings every 100 ms
# for 60 s. The route may change at most once in that time. Prints the
# number of changes and how the two routes' costs moved.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
. "$(dirname "$0")/relay_lab.sh"
lab_init
LAB_LOG_LEVEL=info

relay_lab_build symmetric symmetric
relay_delays 1 20 20 30
relay_delays 2 22 22 30
relay_delays 3 60 60
relay_lab_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
ip netns exec "$A" ping -i 0.1 -w 75 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" &
LAB_PIDS+=("$!")
# Settled: on one of the two close relays, measured a while.
for _ in $(seq 100); do
	case "$(route_of a 10.26.0.2)" in "via 10.26.0.11" | "via 10.26.0.12") break ;; esac
	sleep 0.1
done
sleep 5
before=$(switches_of a 10.26.0.2)
costs="$LAB_DIR/costs"
for _ in $(seq 60); do
	tunctl_of a paths 10.26.0.2 --json | python3 -c '
import json, sys
c = {x["route"]: x["cost_ms"] for x in json.load(sys.stdin)["candidates"]}
print(c.get("via 10.26.0.11"), c.get("via 10.26.0.12"))' >> "$costs"
	sleep 1
done
switches=$(($(switches_of a 10.26.0.2) - before))
spread=$(awk '$1 != "None" && $2 != "None" { n++; d = $1 - $2; s += d; if (d < lo || n == 1) lo = d; if (d > hi || n == 1) hi = d }
	END { printf "relay 1 minus relay 2: %.1f to %.1f ms, mean %.1f", lo, hi, s / n }' "$costs")
tunctl_of a paths 10.26.0.2
[ "$switches" -lt 2 ] || fail "$switches route changes in 60 s under jitter ($spread)"
pass "$switches route change(s) in 60 s under +-30% jitter; cost difference $spread"
