#!/bin/bash
# tunctl netcheck behind each kind of NAT, against the rendezvous (which
# answers STUN on its port and a second port) and Debian's coturn.
#
#           +----------- ns inet: bridge 203.0.113.0/24 -----------+
#           |                   |                                  |
#     r 203.0.113.254     stun 203.0.113.50              router-n (KIND)  (one per kind)
#     :51820 and :3478    coturn :3478                   203.0.113.10N
#                                                              |
#                                                        node n 10.N.0.2
#
# Each node must report the mapping of its NAT (public, cone and full cone:
# endpoint-independent; symmetric: endpoint-dependent), its reflexive
# address as coturn sees it, and no UDP at all behind the UDP-blocking one.
# And r answers a flood of STUN requests from one source only at the rate
# limit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_internet
lab_network check 10.26.0.0/24
R=$(nat_rendezvous check)
STUN=$(nat_public stun 203.0.113.50)
ip netns exec "$STUN" turnserver -n --listening-ip=203.0.113.50 --listening-port=3478 \
	--stun-only --no-tls --no-dtls --no-cli --log-file=stdout --simple-log \
	> "$LAB_DIR/coturn.out" 2>&1 &
LAB_PIDS+=("$!")
lab_start "$R" r

check() { # KIND INDEX EXPECTED_NAT EXPECTED_MAPPED_ADDRESS
	local kind=$1 index=$2 want_nat=$3 want_addr=$4 node="n$2" ns
	ns=$(nat_site "$node" "$kind" "$index")
	nat_member "$node" check "10.26.0.$index"
	sed -i 's/^stun_servers = .*/stun_servers = ( "203.0.113.254:3478", "203.0.113.50:3478" );/' \
		"$LAB_DIR/$node.conf"
	lab_start "$ns" "$node"
	tunctl_of "$node" netcheck --json > "$LAB_DIR/$node.netcheck"
	python3 - "$LAB_DIR/$node.netcheck" "$kind" "$want_nat" "$want_addr" <<'PY' || fail "netcheck behind $kind"
import json, sys
report = json.load(open(sys.argv[1]))
kind, want_nat, want_addr = sys.argv[2:5]
coturn = [s for s in report["servers"] if s["server"] == "203.0.113.50:3478"][0]
mapped = coturn.get("mapped", "")
print(f"{kind:10} udp={report['udp']} nat={report['nat']} ({report['mapping']}) "
      f"port_preserved={report['port_preserved']} spread={report['port_spread']} coturn sees {mapped or '-'}")
if want_nat == "none":
    sys.exit(0 if not report["udp"] else 1)
ok = report["udp"] and report["nat"] == want_nat and mapped.startswith(want_addr + ":")
sys.exit(0 if ok else 1)
PY
}

wait_until 5 bash -c "ip netns exec $STUN ss -lun | grep -q 203.0.113.50:3478" || fail "coturn did not start"
check public 1 cone 203.0.113.11
check cone 2 cone 203.0.113.102
check fullcone 3 cone 203.0.113.103
check symmetric 4 symmetric 203.0.113.104
check udpblock 5 none -
tunctl_of n4 netcheck
pass "netcheck: public, cone, full cone, symmetric and UDP-blocked told apart; coturn answers"

# A stranger (spoofing or not) asking r 200 times at once gets no more
# answers than the rate limit lets through: r is no reflector.
X=$(nat_public x 203.0.113.66)
answers=$(ip netns exec "$X" python3 - <<'PY'
import os, socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for _ in range(200):
    s.sendto(struct.pack(">HHI", 1, 0, 0x2112A442) + os.urandom(12), ("203.0.113.254", 51820))
got = 0
try:
    while True:
        s.recv(2048)
        got += 1
except socket.timeout:
    pass
print(got)
PY
)
[ "$answers" -ge 1 ] && [ "$answers" -le 10 ] || fail "r answered $answers of 200 STUN requests from one source"
pass "r answered $answers of 200 STUN requests from one source at once"
