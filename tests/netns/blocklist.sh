#!/bin/bash
# The blocklist at run time, as a user of tunctl sees it.
#
#   r 203.0.113.254 (rendezvous, relay) -- inet -- a 203.0.113.11 (10.26.0.1)
#                                              \--- b 203.0.113.12 (10.26.0.2)
#                                              \--- c 203.0.113.13 (10.26.0.3)
#
# 1. a blocks b's node ID: no ping either way, not directly and not with b
#    sending through the relay; a counts what it dropped.
# 2. The block survives a's restart; unblocking restores the pings.
# 3. r blocks b's public key: r relays nothing between a and b (their
#    direct path cut by a firewall), and c, joining meanwhile, is not
#    introduced to b.
#    Unblocked, b comes back and c reaches it.
# 4. A damaged blocklist file stops the daemon with its file and line; a
#    bad entry from tunctl is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info

nat_two_members_build blk public public
C=$(nat_site c public 3)
nat_member c blk 10.26.0.3
nat_two_members_start

pings() { ip netns exec "$1" ping -c "${3:-1}" -i 0.2 -W 1 "$2" > /dev/null 2>&1; }
no_pings() { ! pings "$1" "$2" 3; }
blocked_drops() {
	tunctl_of "$1" blocks --json | python3 -c 'import json, sys
print(sum(b["drops"] for b in json.load(sys.stdin)["blocks"]))'
}

wait_until 10 pings "$A" 10.26.0.2 || fail "a cannot reach b before any block"

# 1
tunctl_of a block 10.26.0.2 | grep -q "10.26.0.2: blocked" || fail "tunctl block did not say it blocked"
no_pings "$A" 10.26.0.2 || fail "a still reaches b it blocked"
no_pings "$B" 10.26.0.1 || fail "b still reaches a, which blocked it"
tunctl_of b pin 10.26.0.1 relay > /dev/null || fail "cannot pin b's route to a to the relay"
no_pings "$B" 10.26.0.1 || fail "b reaches a, which blocked it, through the relay"
[ "$(peer_field a 10.26.0.2 session)" = False ] || fail "a keeps a session with b"
drops=$(blocked_drops a)
[ "$drops" -gt 0 ] || fail "a counted no packet dropped for the block"
tunctl_of a blocks | grep -q "^10.26.0.2 .* node" || fail "tunctl blocks does not list b"

# 2
lab_stop a
lab_start "$A" a
tunctl_of a blocks | grep -q "^10.26.0.2 " || fail "the block did not survive a's restart"
sleep 2
no_pings "$A" 10.26.0.2 || fail "a reaches b after its restart"
no_pings "$B" 10.26.0.1 || fail "b reaches a after a's restart"
tunctl_of a unblock 10.26.0.2 | grep -q "10.26.0.2: unblocked" || fail "tunctl unblock did not say so"
wait_until 10 pings "$A" 10.26.0.2 || fail "a cannot reach b after unblocking it"
wait_until 5 pings "$B" 10.26.0.1 || fail "b cannot reach a after a unblocked it"
tunctl_of a blocks | grep -q "nothing is blocked" || fail "the unblocked entry is still listed"

# 3. While a blocked it, b's checks of its route through r went unanswered
# (from where b stands, a black hole), and b routes around r to a for a
# minute: a fresh b.
lab_stop b
lab_start "$B" b
ip netns exec "$A" nft -f - <<'NFT'
table inet cut {
	chain input { type filter hook input priority filter; ip saddr 203.0.113.12 drop; }
	chain output { type filter hook output priority filter; ip daddr 203.0.113.12 drop; }
}
NFT
tunctl_of a pin 10.26.0.2 relay > /dev/null || fail "cannot pin a's route to b to the relay"
wait_until 10 pings "$A" 10.26.0.2 || fail "a cannot reach b through the relay: $(tunctl_of a paths 10.26.0.2; tunctl_of b paths 10.26.0.1; tunctl_of r peers)"
tunctl_of r block "$(cat "$LAB_DIR/b.pub")" | grep -q ": blocked" || fail "r did not block b's key"
no_pings "$A" 10.26.0.2 || fail "r still relays between a and b"
[ "$(blocked_drops r)" -gt 0 ] || fail "r counted nothing dropped for the blocked key"
lab_start "$C" c
wait_until 10 pings "$C" 10.26.0.1 || fail "c cannot reach a through r's introduction"
sleep 1
[ -z "$(peer_field c 10.26.0.2 node_id 2>/dev/null)" ] || fail "r introduced the blocked b to c"
tunctl_of r unblock "$(cat "$LAB_DIR/b.pub")" > /dev/null || fail "r cannot unblock b's key"
wait_until 20 pings "$C" 10.26.0.2 || fail "c cannot reach b after r unblocked it"
wait_until 10 pings "$A" 10.26.0.2 || fail "a cannot reach b through the relay after r unblocked it"

# 4
tunctl_of a block 10.26.0 2> "$LAB_DIR/bad.err" && fail "tunctl block took a bad entry"
grep -q "node ID or a base64 public key" "$LAB_DIR/bad.err" || fail "no clear error for a bad entry: $(cat "$LAB_DIR/bad.err")"
lab_stop a
echo "10.26.0.999" >> "$LAB_DIR/a.state/vpn-a.blocks"
timeout 10 ip netns exec "$A" "$VPND" -c "$LAB_DIR/a.conf" > "$LAB_DIR/bad-start.log" 2>&1 &&
	fail "vpnd started with a damaged blocklist"
grep -q "vpn-a.blocks:2: not a node ID" "$LAB_DIR/bad-start.log" ||
	fail "no file and line for the damaged blocklist: $(tail -n 3 "$LAB_DIR/bad-start.log")"
pass "blocked: no pings either way or through the relay ($drops dropped), kept over a restart; a blocking relay relays nothing and introduces no one; unblocked, all back"
