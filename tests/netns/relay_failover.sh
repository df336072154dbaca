#!/bin/bash
# Fast failover: a and b (both behind cone NATs) talk directly; the direct
# path is cut by a drop rule on a's router while a pings b every 50 ms and
# copies a file to b over TCP. Traffic must move to the fastest relay
# (relay 1, 5 ms) with no gap of a second or more, come back to the direct
# path when the rule goes, and the copy must arrive intact. tunctl ping and
# tunctl paths must say what happened. Prints the longest gap and the
# times of both moves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
. "$(dirname "$0")/relay_lab.sh"
lab_init
LAB_LOG_LEVEL=info

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
pong_path() { tunctl_of a ping 10.26.0.2 --json | python3 -c 'import json, sys; r = json.load(sys.stdin); print(r.get("path"), r.get("relay", r.get("endpoint")))'; }

relay_lab_build cone cone
relay_delays 1 5 5
relay_delays 2 20 20
relay_delays 3 60 60
relay_lab_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a cannot reach b"
wait_route a 10.26.0.2 direct 15 > /dev/null
wait_route b 10.26.0.1 direct 5 > /dev/null
[ "$(pong_path)" = "direct 203.0.113.102:51820" ] || fail "tunctl ping before the cut: $(pong_path)"

# 3 MB at 200 kB/s: the copy runs across the cut and the restore.
head -c 3000000 /dev/urandom > "$LAB_DIR/payload"
ip netns exec "$B" python3 "$(dirname "$0")/tcpcopy.py" receive 10.26.0.2 5001 "$LAB_DIR/received" &
receiver=$!
LAB_PIDS+=("$receiver")
wait_until 5 listening "$B" 5001 || fail "nobody listens on 10.26.0.2:5001"
ip netns exec "$A" python3 "$(dirname "$0")/tcpcopy.py" send 10.26.0.2 5001 "$LAB_DIR/payload" 200000 &
sender=$!
LAB_PIDS+=("$sender")
ip netns exec "$A" ping -D -i 0.05 -w 14 -W 1 10.26.0.2 > "$LAB_DIR/ping.out" &
pinger=$!
LAB_PIDS+=("$pinger")

sleep 2
cut=$(date +%s%N)
ip netns exec "$LAB_ID-router-a" nft -f - <<-NFT
	table inet cut {
		chain forward {
			type filter hook forward priority -10;
			ip daddr 203.0.113.102 meta l4proto udp drop
			ip saddr 203.0.113.102 meta l4proto udp drop
		}
	}
NFT
wait_route a 10.26.0.2 "via 10.26.0.11" 5 > /dev/null
to_relay=$(ms_since "$cut")
wait_route b 10.26.0.1 "via 10.26.0.11" 5 > /dev/null # the pong's way back
[ "$(pong_path)" = "relay 10.26.0.11" ] || fail "tunctl ping during the cut: $(pong_path)"
tunctl_of a paths 10.26.0.2
sleep 2

restored=$(date +%s%N)
ip netns exec "$LAB_ID-router-a" nft delete table inet cut
wait_route a 10.26.0.2 direct 20 > /dev/null
back=$(ms_since "$restored")
wait_route b 10.26.0.1 direct 20 > /dev/null
[ "$(pong_path)" = "direct 203.0.113.102:51820" ] || fail "tunctl ping after the restore: $(pong_path)"

wait "$sender" || fail "the TCP sender failed across the cut"
wait "$receiver" || fail "the TCP receiver failed across the cut"
cmp -s "$LAB_DIR/payload" "$LAB_DIR/received" || fail "the copy arrived damaged or short"
wait "$pinger" || true
gap=$(awk '/bytes from/ { t = substr($1, 2, length($1) - 2); if (last && t - last > max) max = t - last; last = t }
	END { printf "%.0f", max * 1000 }' "$LAB_DIR/ping.out")
replies=$(grep -c "bytes from" "$LAB_DIR/ping.out")
[ "$gap" -lt 1000 ] || fail "the longest gap between ping replies was $gap ms"
pass "cut: relay after ${to_relay} ms, longest gap ${gap} ms ($replies replies at 50 ms); restored: direct after ${back} ms; 3 MB copied intact across both"
