#!/bin/bash
# Direct TCP where UDP does not pass.
# usage: tcp_direct.sh public|udpblock   (b's place; a is always UDP-blocked)
#
#                 +------ ns inet: bridge 203.0.113.0/24 ------+
#                 |                    |                       |
#           r 203.0.113.254      router-a (udpblock)     public b 203.0.113.12, or
#           rendezvous+relay     203.0.113.101           router-b (udpblock) 203.0.113.102
#                                    |                       |
#                                a 10.1.0.2              b 10.2.0.2
#
# a's router drops all UDP (and unsolicited inbound TCP): a reaches r over
# TCP and b through r at first. Checks: a and b go direct over TCP (public:
# a connects to b; udpblock: both routers drop unsolicited SYNs, so only a
# simultaneous open from both sides' listening ports gets through), and a
# checksummed 8 MB copy crosses it. Prints the time to direct.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=${LAB_LOG_LEVEL:-info}
kind_b=$1

nat_two_members_build tcpd udpblock "$kind_b"
up=$(date +%s%N)
nat_two_members_start
wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "no ping through the relay"
nat_wait_paths direct 20
to_direct=$(( ($(date +%s%N) - up) / 1000000 ))
for node in a b; do
	peer=10.26.0.2
	[ $node = b ] && peer=10.26.0.1
	transport=$(peer_field $node $peer transport)
	[ "$transport" = tcp ] || fail "$node reaches its peer directly over $transport, expected tcp"
done
tunctl_of a paths 10.26.0.2 | head -8
ip netns exec "$A" ping -c 5 -i 0.2 -W 1 10.26.0.2 > /dev/null || fail "pings on the direct TCP path"
lab_copy "$A" "$B" 10.26.0.2 $((8 * 1024 * 1024))
[ "$(path_of a 10.26.0.2)" = direct ] || fail "a left the direct path during the copy"
pass "udpblock x $kind_b: direct over TCP ${to_direct} ms after start, 8 MB copied intact"
