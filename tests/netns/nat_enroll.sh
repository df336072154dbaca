#!/bin/bash
# Enrollment with a join token: nodes with only a private key and a token
# get their node ID and certificate from the controller (the rendezvous,
# holding the network key).
#
#   r 203.0.113.254 (controller) -- inet -- router-e1 (cone) -- e1
#                                     \---- router-e2 (cone) -- e2
#                                     \---- router-e3 (cone) -- e3
#
# Checks: a new node gets the lowest free ID; the same key gets the same ID
# after losing its certificate; a taken ID is refused with a clear error; a
# forged token is refused; a node asking a free ID gets it; enrolled nodes
# ping each other.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_internet
lab_network join 10.26.0.0/24
R=$(nat_rendezvous join)
sed -i "s|^rendezvous = .*|rendezvous = { enabled = true; second_port = 3478; network_file = \"$LAB_DIR/join.network\"; };|" \
	"$LAB_DIR/r.conf"
lab_start "$R" r
token=$("$TUNCTL" network token "$LAB_DIR/join.network" -c "$LAB_DIR/r.cert" -e 203.0.113.254:51820 -d 1)
E1=$(nat_site e1 cone 1)
E2=$(nat_site e2 cone 2)
E3=$(nat_site e3 cone 3)

address_of() { ip -n "$1" -o -4 addr show dev "vpn-$2" 2>/dev/null | awk '{print $4}'; }

nat_enroll_config e1 "$token"
lab_start "$E1" e1
wait_until 10 test -n "$(address_of "$E1" e1)" || fail "e1 did not enroll"
[ "$(address_of "$E1" e1)" = 10.26.0.1/24 ] || fail "e1 got $(address_of "$E1" e1), not the lowest free ID"
pass "new node enrolled as 10.26.0.1"

lab_stop e1
rm -f "$LAB_DIR/e1.state/vpn-e1.cert"
lab_start "$E1" e1
wait_until 10 test -n "$(address_of "$E1" e1)" || fail "e1 did not enroll again"
[ "$(address_of "$E1" e1)" = 10.26.0.1/24 ] || fail "e1 came back as $(address_of "$E1" e1)"
pass "same key, certificate lost: the same ID again"

run_expecting_failure() { # NODE NS MESSAGE
	set +e
	timeout 20 ip netns exec "$2" "$VPND" -c "$LAB_DIR/$1.conf" > "$LAB_DIR/$1.out" 2>&1
	local status=$?
	set -e
	[ "$status" -eq 1 ] || fail "$1 exited $status, not 1"
	grep -q "$3" "$LAB_DIR/$1.out" || fail "$1: $(tail -n 3 "$LAB_DIR/$1.out")"
	[ -z "$(ip -n "$2" -o link show type tun)" ] || fail "$1 left an interface behind"
}

nat_enroll_config e2 "$token" 10.26.0.1
run_expecting_failure e2 "$E2" "enrollment failed: node ID 10.26.0.1 is taken"
pass "taken ID refused: $(grep -o 'enrollment failed.*' "$LAB_DIR/e2.out")"

forged=$(python3 -c 'import base64,sys; t=bytearray(base64.b64decode(sys.argv[1])); t[-20]^=1; print(base64.b64encode(bytes(t)).decode())' "$token")
nat_enroll_config e3 "$forged"
run_expecting_failure e3 "$E3" "enrollment failed: the join token is not valid"
pass "forged token refused: $(grep -o 'enrollment failed.*' "$LAB_DIR/e3.out")"

nat_enroll_config e2 "$token" 10.26.0.77
lab_start "$E2" e2
wait_until 10 test -n "$(address_of "$E2" e2)" || fail "e2 did not enroll with a free ID"
[ "$(address_of "$E2" e2)" = 10.26.0.77/24 ] || fail "e2 got $(address_of "$E2" e2)"
wait_until 10 ip netns exec "$E1" ping -c 1 -W 1 10.26.0.77 || fail "e1 cannot reach e2"
pass "free ID granted as asked (10.26.0.77); enrolled nodes ping each other"
