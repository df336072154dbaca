#!/bin/bash
# What vpnd creates, it removes; what it refuses, it leaves untouched.
#
#   +---------------- ns a ----------------+
#   | vpn-a 10.26.0.1/24, route 10.26.0.0/24|
#   | veth 192.168.55.1/24 ----------------+---- ns b (a peer, not started)
#   +--------------------------------------+
#
# 1. an invalid configuration: exit 1, "file:line: problem", no interface;
#    vpnd -n prints no secret, and warns of a file others may read
# 2. a valid one: interface, address, MTU and route appear; the daemon keeps
#    only CAP_NET_ADMIN
# 3. SIGHUP with a good file adds a peer; with a broken file changes nothing
# 4. SIGTERM: interface, route and control socket are gone
# 5. tunctl against the stopped daemon says it is not running, exit 1
#    (and an unprivileged user gets "permission denied" while it runs)
. "$(dirname "$0")/lib.sh"
lab_init

A=$(lab_ns a)
B=$(lab_ns b)
lab_link "$A" 192.168.55.1/24 "$B" 192.168.55.2/24
lab_network lab 10.26.0.0/24
lab_node a lab 10.26.0.1
lab_node b lab 10.26.0.2
lab_node c lab 10.26.0.3
lab_config a lab 51820 "b 192.168.55.2:51820"

# 1. A bad value on a known line.
cp "$LAB_DIR/a.conf" "$LAB_DIR/bad.conf"
sed -i 's/mtu = 1420/mtu = 99/' "$LAB_DIR/bad.conf"
line=$(grep -n 'mtu = 99' "$LAB_DIR/bad.conf" | cut -d: -f1)
set +e
ip netns exec "$A" "$VPND" -c "$LAB_DIR/bad.conf" > "$LAB_DIR/bad.out" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || fail "bad config exited $status, not 1"
grep -q "^$LAB_DIR/bad.conf:$line: 'mtu' must be between 576 and" "$LAB_DIR/bad.out" ||
	fail "error does not name file, line and problem: $(cat "$LAB_DIR/bad.out")"
[ -z "$(ip -n "$A" -o link show type tun)" ] || fail "an interface was left behind"
[ ! -e "$LAB_DIR/a.sock" ] || fail "a control socket was left behind"
pass "invalid config: $(cat "$LAB_DIR/bad.out")"

# 1b. vpnd -n: no secret on stdout
# unless asked for; a warning that others may read the file holding them.
key=$(cat "$LAB_DIR/a.key")
secret=$(sed -n 's/.*secret = "\(.*\)";/\1/p' "$LAB_DIR/lab.part")
chmod 644 "$LAB_DIR/a.conf"
"$VPND" -n -c "$LAB_DIR/a.conf" > "$LAB_DIR/check.out" 2> "$LAB_DIR/check.err" || fail "vpnd -n refused a.conf"
for s in "$key" "$secret"; do
	quiet_grep -F "$s" < "$LAB_DIR/check.out" && fail "vpnd -n printed a secret"
	quiet_grep -F "$s" < "$LAB_DIR/check.err" && fail "vpnd -n logged a secret"
done
quiet_grep 'private_key = "(hidden)"' < "$LAB_DIR/check.out" || fail "no (hidden) key: $(cat "$LAB_DIR/check.out")"
quiet_grep "group or others may read it (mode 0644)" < "$LAB_DIR/check.err" ||
	fail "no warning about a readable file: $(cat "$LAB_DIR/check.err")"
"$VPND" -n --show-secrets -c "$LAB_DIR/a.conf" 2> /dev/null | quiet_grep -F "$key" ||
	fail "vpnd -n --show-secrets did not print the key"
chmod 600 "$LAB_DIR/a.conf"
"$VPND" -n -c "$LAB_DIR/a.conf" 2>&1 > /dev/null | quiet_grep "may read it" && fail "warned about a private file"
pass "vpnd -n hides the key and secret, and warns while others may read them"

# 2. Up.
lab_start "$A" a
ip -n "$A" -o addr show dev vpn-a | quiet_grep 'inet 10.26.0.1/24' || fail "address missing"
ip -n "$A" link show vpn-a | quiet_grep 'mtu 1420' || fail "MTU not set"
ip -n "$A" link show vpn-a | quiet_grep ',UP' || fail "link not up"
ip -n "$A" route show 10.26.0.0/24 | quiet_grep 'dev vpn-a' || fail "route missing"
pass "interface, address, MTU and route configured"
# Started by hand as root: once set up it keeps CAP_NET_ADMIN alone, and its
# bounding set too (the unit's case is in the service test).
for field in CapEff CapPrm CapBnd; do
	value=$(sed -n "s/^$field:[[:space:]]*//p" "/proc/$(cat "$LAB_DIR/a.pid")/status")
	[ "$value" = 0000000000001000 ] || fail "$field is $value, not CAP_NET_ADMIN alone"
done
pass "capabilities after setup: CAP_NET_ADMIN alone (effective, permitted, bounding)"

# 3. Reload.
[ "$(tunctl_of a peers --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["peers"]))')" = 1 ] ||
	fail "expected one peer before reload"
lab_config a lab 51820 "b 192.168.55.2:51820" "c 192.168.55.3:51820"
kill -HUP "$(cat "$LAB_DIR/a.pid")"
wait_until 3 bash -c "'$TUNCTL' -s '$LAB_DIR/a.sock' peers | grep -q '^10.26.0.3 '" ||
	fail "reload did not add peer c"
echo "this is not a config" >> "$LAB_DIR/a.conf"
kill -HUP "$(cat "$LAB_DIR/a.pid")"
wait_until 3 grep -q "reload failed" "$LAB_DIR/a.log" || fail "broken reload not reported"
tunctl_of a peers | quiet_grep '^10.26.0.3 ' || fail "a broken reload changed the peers"
kill -0 "$(cat "$LAB_DIR/a.pid")" || fail "a broken reload stopped the daemon"
pass "SIGHUP reloads peers; a broken file changes nothing"

# Other users are refused by the socket's permissions, with a clear message.
set +e
setpriv --reuid=nobody --regid=nogroup --clear-groups "$TUNCTL" -s "$LAB_DIR/a.sock" status \
	> "$LAB_DIR/nobody.out" 2>&1
status=$?
set -e
[ "$status" -ne 0 ] || fail "an unprivileged user could query vpnd"
grep -q "permission denied" "$LAB_DIR/nobody.out" || fail "unclear: $(cat "$LAB_DIR/nobody.out")"
pass "unprivileged tunctl refused: $(cat "$LAB_DIR/nobody.out")"

# 4. Down.
lab_stop a
! ip -n "$A" link show vpn-a >/dev/null 2>&1 || fail "interface survived SIGTERM"
[ -z "$(ip -n "$A" route show 10.26.0.0/24)" ] || fail "route survived SIGTERM"
[ ! -e "$LAB_DIR/a.sock" ] || fail "control socket survived SIGTERM"
pass "SIGTERM removed interface, route and socket"

# 5. tunctl with no daemon.
set +e
tunctl_of a status > "$LAB_DIR/tunctl.out" 2>&1
status=$?
set -e
[ "$status" -ne 0 ] || fail "tunctl succeeded with no daemon"
grep -q "vpnd is not running" "$LAB_DIR/tunctl.out" || fail "unclear: $(cat "$LAB_DIR/tunctl.out")"
pass "tunctl without a daemon: $(cat "$LAB_DIR/tunctl.out")"
