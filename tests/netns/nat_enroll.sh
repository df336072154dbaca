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
# ping each other. The controller fails closed (its registry, SQLite): a
# token enrolls as many keys as it says (-u 2) and no more; an ID signed by
# hand and recorded (tunctl cert sign -r), or held by a member the
# controller saw before it restarted, is refused; a registry it cannot open
# refuses everything.
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
token=$("$TUNCTL" network token "$LAB_DIR/join.network" -c "$LAB_DIR/r.cert" -e 203.0.113.254:51820 -d 1 -u 2)
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

# The token enrolled two keys: a third is refused.
nat_enroll_config e3 "$token"
run_expecting_failure e3 "$E3" "enrollment failed: the join token is used up (it enrolls 2 nodes)"
pass "token used up: $(grep -o 'enrollment failed.*' "$LAB_DIR/e3.out")"

# An ID signed by hand and recorded in the registry is never given away.
registry="$LAB_DIR/r.state/vpn-r.registry"
"$TUNCTL" genkey | "$TUNCTL" pubkey > "$LAB_DIR/hand.pub"
"$TUNCTL" cert sign -N "$LAB_DIR/join.network" -n 10.26.0.50 -k "$(cat "$LAB_DIR/hand.pub")" \
	-r "$registry" > /dev/null || fail "tunctl cert sign -r"
"$TUNCTL" cert sign -N "$LAB_DIR/join.network" -n 10.26.0.50 -k "$("$TUNCTL" pubkey < "$LAB_DIR/e1.key")" \
	-r "$registry" > /dev/null 2>&1 && fail "a second key was recorded for 10.26.0.50"
token=$("$TUNCTL" network token "$LAB_DIR/join.network" -c "$LAB_DIR/r.cert" -e 203.0.113.254:51820 -d 1 -u 5)
nat_enroll_config e3 "$token" 10.26.0.50
run_expecting_failure e3 "$E3" "enrollment failed: node ID 10.26.0.50 is taken"
pass "hand-signed ID refused: $(grep -o 'enrollment failed.*' "$LAB_DIR/e3.out")"

# A member signed by hand that r saw holds its ID across r's restart.
H=$(nat_site h cone 4)
nat_member h join 10.26.0.60
lab_start "$H" h
wait_until 10 [ "$(peer_field r 10.26.0.60 certificate 2>/dev/null)" = verified ] || fail "r did not see h"
lab_stop h
lab_stop r
lab_start "$R" r
nat_enroll_config e3 "$token" 10.26.0.60
run_expecting_failure e3 "$E3" "enrollment failed: node ID 10.26.0.60 is taken"
pass "a member's ID held across a controller restart: $(grep -o 'enrollment failed.*' "$LAB_DIR/e3.out")"

# A registry that cannot be opened (a directory in its place): refused,
# and nothing handed out.
lab_stop r
mv "$registry" "$registry.kept"
mkdir "$registry"
lab_start "$R" r
nat_enroll_config e3 "$token"
run_expecting_failure e3 "$E3" "enrollment failed: cannot open the registry"
[ -z "$(ls "$LAB_DIR/e3.state/" 2>/dev/null | grep cert)" ] || fail "e3 kept a certificate"
pass "registry unusable: $(grep -o 'enrollment failed.*' "$LAB_DIR/e3.out" | cut -c1-80)..."
