#!/bin/bash
# cone x symmetric, 20 fresh attempts: the birthday method must open a
# direct path in at least 19, within the probe budget. Prints the success
# count, the times to direct and the probes sent.
# usage: nat_birthday.sh [cone|open]   (a's router; default cone)
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (KIND)      -- a 10.26.0.1
#                                      \--- router-b (symmetric) -- b 10.26.0.2
#
# Before each attempt both routers forget every mapping (conntrack -F) and
# both nodes start afresh with an empty peer cache.
# open puts a behind a router with no firewall of its own (see nat.sh),
# which answers unsolicited probes and keeps conntrack entries for them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info
attempts=${ATTEMPTS:-20}

nat_internet
lab_network bday 10.26.0.0/24
R=$(nat_rendezvous bday)
cone_kind=${1:-cone}
A=$(nat_site a "$cone_kind" 1)
B=$(nat_site b symmetric 2)
nat_member a bday 10.26.0.1
nat_member b bday 10.26.0.2
lab_start "$R" r
budget=$(sed -n 's/.*probes = \([0-9]*\);.*/\1/p' <("$VPND" -n -c "$LAB_DIR/a.conf"))

successes=0
extra=0
times=()
probes=()
for attempt in $(seq "$attempts"); do
	ip netns exec "$LAB_ID-router-a" conntrack -F 2>/dev/null || true
	ip netns exec "$LAB_ID-router-b" conntrack -F 2>/dev/null || true
	rm -rf "$LAB_DIR/a.state" "$LAB_DIR/b.state"
	lab_start "$A" a
	lab_start "$B" b
	start=$(date +%s%N)
	wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "attempt $attempt: no ping at all"
	result=relay
	for _ in $(seq 80); do
		if [ "$(path_of a 10.26.0.2)" = direct ] && [ "$(path_of b 10.26.0.1)" = direct ]; then
			result=direct
			break
		fi
		sleep 0.1
	done
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	sent=$(peer_field a 10.26.0.2 punch_probes_sent)
	# The symmetric side's path usually leaves from one of its extra
	# sockets; its main socket has a mapping towards a too (from ordinary
	# punching), so a guess lands there about once in 257.
	if [ "$result" = direct ] && [ "$(peer_field b 10.26.0.1 local_port)" != 51820 ]; then
		extra=$((extra + 1))
	fi
	[ "$sent" -le "$budget" ] || fail "attempt $attempt: $sent probes, over the budget of $budget"
	echo "attempt $attempt: $result after $ms ms, $sent probes to guessed ports"
	if [ "$result" = direct ]; then
		successes=$((successes + 1))
		times+=("$ms")
		probes+=("$sent")
	fi
	lab_stop a
	lab_stop b
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
summary="$cone_kind x symmetric: direct in $successes of $attempts attempts ($extra through extra sockets)"
[ "$successes" -gt 0 ] && summary+=", median $(median "${times[@]}") ms to direct, median $(median "${probes[@]}") probes (budget $budget)"
echo "$summary"
[ $((successes * 20)) -ge $((attempts * 19)) ] || fail "$summary"
[ $((extra * 2)) -gt "$successes" ] || fail "only $extra of $successes direct paths use the extra sockets"
pass "$summary"
