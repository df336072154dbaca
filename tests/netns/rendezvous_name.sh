#!/bin/bash
# A rendezvous known by name: members find it through their /etc/hosts
# (ip netns exec puts /etc/netns/NS/hosts there), and find it again when
# the name moves to another address.
#
#   r 203.0.113.254, later 203.0.113.253 ("rendezvous.lab.test")
#        |
#      inet --- router-a (cone) --- a 10.26.0.1
#          \--- router-b (cone) --- b 10.26.0.2
#
# 1. a and b, configured with the name only, meet through r.
# 2. r's address changes and so does the name; a finds r at its new
#    address, and b, restarted with nothing cached, meets a through it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nat.sh"
lab_init
LAB_LOG_LEVEL=info
name=rendezvous.lab.test

nat_two_members_build named cone cone
for node in a b; do
	sed -i "s/endpoint = \"203.0.113.254:51820\"/endpoint = \"$name:51820\"/" "$LAB_DIR/$node.conf"
	grep -q "\"$name:51820\"" "$LAB_DIR/$node.conf" || fail "$node.conf does not name the rendezvous"
done
# Written in place, never replaced: the running daemons' view of /etc/hosts
# is a bind mount of this very file.
hosts_say() {
	for ns in "$A" "$B"; do
		mkdir -p "/etc/netns/$ns"
		echo "$1 $name" > "/etc/netns/$ns/hosts"
	done
}
hosts_say 203.0.113.254
nat_two_members_start

wait_until 10 ip netns exec "$A" ping -c 1 -W 1 10.26.0.2 || fail "a and b did not meet through r by name"
[ "$(peer_field a 10.26.0.254 endpoint)" = 203.0.113.254:51820 ] ||
	fail "a reaches r at $(peer_field a 10.26.0.254 endpoint)"

# (Deleting a primary address takes its secondaries with it: delete, then add.)
ip -n "$R" addr del 203.0.113.254/24 dev wan
ip -n "$R" addr add 203.0.113.253/24 dev wan
hosts_say 203.0.113.253
moved=$(date +%s%N)
lab_stop b
rm -rf "$LAB_DIR/b.state"
found=""
deadline=$((moved + 30000000000))
while [ "$(date +%s%N)" -lt "$deadline" ]; do
	if [ "$(peer_field a 10.26.0.254 endpoint)" = 203.0.113.253:51820 ] &&
		ip netns exec "$A" ping -c 1 -W 1 10.26.0.254 > /dev/null 2>&1; then
		found=$((($(date +%s%N) - moved) / 1000000))
		break
	fi
	sleep 0.1
done
[ -n "$found" ] || fail "a did not find r at its new address: $(peer_field a 10.26.0.254 endpoint)"
lab_start "$B" b
wait_until 15 ip netns exec "$B" ping -c 1 -W 1 10.26.0.1 || fail "b did not meet a through r's new address"
pass "by name: met through r; r moved, a found it in $found ms, b met a through it"
