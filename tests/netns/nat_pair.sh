#!/bin/bash
# Two nodes behind NATs of given kinds find each other through a rendezvous.
# usage: nat_pair.sh KIND_A KIND_B EXPECTED   (kinds: public cone symmetric
# fullcone udpblock; EXPECTED: direct or relay)
#
#                 +------ ns inet: bridge 203.0.113.0/24 ------+
#                 |                    |                       |
#           r 203.0.113.254      router-a (KIND_A)       router-b (KIND_B)
#           rendezvous+relay     203.0.113.101           203.0.113.102
#           10.26.0.254              |                       |
#                                a 10.1.0.2              b 10.2.0.2
#                                node 10.26.0.1          node 10.26.0.2
#
# a and b know only r. Checks: the first ping a -> b is answered within a
# second or two of both daemons being up (through the relay at first), the
# path then becomes EXPECTED, and a node behind udpblock reaches r over
# TCP. Prints the times measured.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=${LAB_LOG_LEVEL:-info}
kind_a=$1 kind_b=$2 expected=$3

nat_two_members pair "$kind_a" "$kind_b"
up=$(date +%s%N)

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
wait_until 5 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "$kind_a x $kind_b: no ping within 5 s"
first_ping=$(ms_since "$up")
nat_wait_paths "$expected" 15
to_path=$(ms_since "$up")
ip netns exec "$A" ping -c 5 -i 0.2 -W 1 10.26.0.2 >/dev/null || fail "pings on the $expected path"
# A node whose network blocks UDP reaches the rendezvous over TCP, and
# the rendezvous sees it there; everyone else stays on UDP.
for node in a b; do
	kind=$kind_a
	[ $node = b ] && kind=$kind_b
	want=udp
	[ "$kind" = udpblock ] && want=tcp
	got=$(peer_field "$node" 10.26.0.254 transport)
	[ "$got" = "$want" ] || fail "$node ($kind) reaches the rendezvous over $got, expected $want"
	peer_id=10.26.0.1
	[ $node = b ] && peer_id=10.26.0.2
	got=$(peer_field r "$peer_id" transport)
	[ "$got" = "$want" ] || fail "the rendezvous reaches $node ($kind) over $got, expected $want"
done
tunctl_of a peers
pass "$kind_a x $kind_b: first ping after ${first_ping} ms, $expected after ${to_path} ms"
