#!/bin/bash
# Nodes of another network get no session, and certificates of another
# network key carry no traffic.
#
#   +------ ns a ------+        +------ ns x ------+
#   | vpnd, net "lab"  |--------| vpnd, net "other"|
#   | 10.26.0.1        |  veth  | 10.26.0.2        |
#   +------------------+        +------------------+
#
# Case 1: x's network has another secret (PSK): no handshake completes.
# Case 2: x knows lab's secret but its certificate is signed by another
#         network key: the session forms, but no IP packet of x is accepted.
. "$(dirname "$0")/lib.sh"
lab_init

A=$(lab_ns a)
X=$(lab_ns x)
lab_link "$A" 192.168.52.1/24 "$X" 192.168.52.2/24
lab_network lab 10.26.0.0/24
lab_network other 10.26.0.0/24
lab_node a lab 10.26.0.1
lab_node x other 10.26.0.2
lab_config a lab 51820 "x 192.168.52.2:51820"
lab_config x other 51820 "a 192.168.52.1:51820"
lab_start "$A" a
lab_start "$X" x

! ip netns exec "$X" ping -c 3 -i 0.3 -W 1 10.26.0.1 >/dev/null || fail "x reached a across networks"
[ "$(peer_field a 10.26.0.2 session)" = False ] || fail "a holds a session with x"
[ "$(peer_field x 10.26.0.1 session)" = False ] || fail "x holds a session with a"
[ "$(peer_field x 10.26.0.1 drops.bad_handshake)" -ge 1 ] || fail "x counted no failed handshake"
pass "another network's secret: no session"

# Case 2: the same secret, another signing key.
lab_stop x
sed -i "s|secret = .*|$(grep 'secret =' "$LAB_DIR/lab.part")|" "$LAB_DIR/x.conf"
lab_start "$X" x
! ip netns exec "$X" ping -c 3 -i 0.3 -W 1 10.26.0.1 >/dev/null || fail "x's packets were accepted"
[ "$(peer_field a 10.26.0.2 session)" = True ] || fail "no session formed with the shared secret"
[ "$(peer_field a 10.26.0.2 certificate)" = pending ] || fail "a accepted x's certificate"
[ "$(peer_field a 10.26.0.2 drops.bad_certificate)" -ge 1 ] || fail "bad certificate not counted"
[ "$(peer_field a 10.26.0.2 drops.no_certificate)" -ge 1 ] || fail "x's IP packets not counted as dropped"
pass "certificate of another network key: refused, its packets dropped"
