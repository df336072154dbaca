#!/bin/bash
# A daemon restarted in the middle of a TCP copy: its peer still seals with
# the session the restarted daemon forgot; the first such packet makes the
# restarted one start a new handshake, so traffic is back at once instead of
# after the peer's own handshake timeout (15 s), and the copy carries on.
# restart.sh static: configured peers on one link:
#
#   +---------- ns a ----------+          +---------- ns b ----------+
#   | vpn-a 10.26.0.1/24       |          | vpn-b 10.26.0.2/24       |
#   |   vpnd :51820            |          |   vpnd :51820            |
#   |   veth 192.168.51.1/24 --+----------+-- veth 192.168.51.2/24   |
#   +--------------------------+          +--------------------------+
#
# restart.sh nat: members behind cone NATs that punched a direct path; the
# restarted one knows the other again from its peer cache and the
# rendezvous:
#
#   r 203.0.113.254 (rendezvous) -- inet -- router-a (cone) -- a 10.26.0.1
#                                      \--- router-b (cone) -- b 10.26.0.2
#
# Checks: while a copies 24 MB to b at 3 MB/s, b's vpnd and then a's are
# restarted (SIGTERM, started again); after each, a ping gets through
# within 2 s of the daemon being up (the gap is printed), and the copy
# arrives intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

case "${1:-static}" in
static) lab_two_nodes lab 192.168.51 ;;
nat)
	nat_two_members restart cone cone
	wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no first ping"
	nat_wait_paths direct 10
	;;
*) fail "usage: restart.sh static|nat" ;;
esac
ip netns exec "$A" ping -c 1 -W 2 10.26.0.2 > /dev/null || fail "a cannot ping b"

copy_start "$A" "$B" 10.26.0.2

# restart NODE NS: stops NODE's vpnd, starts it again, and prints the
# milliseconds from its control socket being back to a's first ping
# answered by b.
restart() {
	local start
	lab_stop "$1"
	lab_start "$2" "$1"
	start=$(date +%s%N)
	for _ in $(seq 100); do
		ip netns exec "$A" ping -c 1 -W 0.2 10.26.0.2 > /dev/null 2>&1 && break
	done
	ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 > /dev/null || fail "no ping after restarting $1"
	echo $((($(date +%s%N) - start) / 1000000))
}

sleep 2
gap_b=$(restart b "$B")
sleep 2
gap_a=$(restart a "$A")
[ "$gap_b" -lt 2000 ] && [ "$gap_a" -lt 2000 ] ||
	fail "traffic back ${gap_b} ms after b's restart, ${gap_a} ms after a's"
pass "${1:-static}: traffic back ${gap_b} ms after b's vpnd restarted, ${gap_a} ms after a's"

wait "$sender" || fail "the TCP sender failed across the restarts"
wait "$receiver" || fail "the TCP receiver failed across the restarts"
cmp -s "$LAB_DIR/payload" "$LAB_DIR/received" || fail "the copy arrived damaged or short"
pass "24 MB copied intact across both restarts"
