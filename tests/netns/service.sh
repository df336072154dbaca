#!/bin/bash
# vpnd run the way vpnd@.service runs it: the unit's flags, its credentials,
# its capability bounding set and no-new-privileges, its notify socket,
# stderr as the journal.
#
#   +------------- ns a --------------+          +------ ns b ------+
#   | vpnd -c vpn-a.conf              |          | vpnd (plain)     |
#   |  NOTIFY_SOCKET  notify_listen.py| veth     | 10.26.0.2        |
#   |  CREDENTIALS_DIRECTORY key,secret+----------+ 192.168.71.2     |
#   |  JOURNAL_STREAM = its stderr    |          +------------------+
#   | 10.26.0.1, 192.168.71.1         |
#   +---------------------------------+
#
# 1. ExecStartPre (vpnd -n -q): prints nothing for a good configuration
#    whose key and secret are credentials; a missing credential file and a
#    bad line are named
# 2. READY=1 arrives once, after the interface is up with its address and
#    route and the control socket exists
# 3. every log line carries a syslog priority (<6> for "up", <7> debug,
#    <4> a failed reload); no secret is logged
# 4. after setup the event loop keeps CAP_NET_ADMIN alone and its other
#    threads (two crypto workers, port mapping) nothing; the daemon still
#    works: a pings b, SIGHUP reloads (RELOADING=1 then READY=1), a broken
#    reload is a warning
# 5. the socket's group may look (status) but not change (block); bash
#    completion offers the running daemon's peers
# 6. SIGTERM: STOPPING=1; the interface and its route are gone
. "$(dirname "$0")/lib.sh"
lab_init

A=$(lab_ns a)
B=$(lab_ns b)
lab_link "$A" 192.168.71.1/24 "$B" 192.168.71.2/24
lab_network lab 10.26.0.0/24
lab_node a lab 10.26.0.1
lab_node b lab 10.26.0.2
lab_node c lab 10.26.0.3
lab_config b lab 51820 "a 192.168.71.1:51820"
lab_start "$B" b

# The unit's layout: /etc/vpnd/vpn-a.conf names vpn-a.key and vpn-a.secret,
# which systemd hands over in the credentials directory.
creds="$LAB_DIR/credentials"
mkdir -m 700 "$creds"
secret=$(sed -n 's/.*secret = "\(.*\)";/\1/p' "$LAB_DIR/lab.part")
key=$(cat "$LAB_DIR/a.key")
(umask 077 && echo "$key" > "$creds/vpn-a.key" && echo "$secret" > "$creds/vpn-a.secret")
# The control socket where others may reach it, given to the group nogroup.
chmod 711 "$LAB_DIR"
mkdir -m 755 "$LAB_DIR/run"
sock="$LAB_DIR/run/a.sock"
unit_config() {
	LAB_WORKERS=2 lab_config a lab 51820 "$@"
	sed -i -e "s|private_key = \"[^\"]*\";|private_key_file = \"vpn-a.key\";|" \
		-e "s|secret = \"[^\"]*\";|secret_file = \"vpn-a.secret\";|" \
		-e "s|^control = .*|control = { socket = \"$sock\"; group = \"nogroup\"; };|" "$LAB_DIR/a.conf"
	chmod 600 "$LAB_DIR/a.conf"
}
unit_config "b 192.168.71.2:51820"
quiet_grep -F "$key" < "$LAB_DIR/a.conf" && fail "the key is still inline"
as_unit() {
	CREDENTIALS_DIRECTORY="$creds" "$@"
}

# 1. ExecStartPre.
as_unit "$VPND" -n -q -c "$LAB_DIR/a.conf" > "$LAB_DIR/check.out" 2>&1 ||
	fail "vpnd -n -q refused the unit's configuration: $(cat "$LAB_DIR/check.out")"
[ ! -s "$LAB_DIR/check.out" ] || fail "vpnd -n -q printed: $(cat "$LAB_DIR/check.out")"
mkdir -m 700 "$LAB_DIR/nokey"
(umask 077 && echo vpnd-credential-missing > "$LAB_DIR/nokey/vpn-a.key" && cp "$creds/vpn-a.secret" "$LAB_DIR/nokey/")
CREDENTIALS_DIRECTORY="$LAB_DIR/nokey" "$VPND" -n -q -c "$LAB_DIR/a.conf" > "$LAB_DIR/nokey.out" 2>&1 &&
	fail "a missing key file passed the check"
quiet_grep "vpn-a.key': systemd found no file to load it from (LoadCredential=)" < "$LAB_DIR/nokey.out" ||
	fail "the missing key file is not named: $(cat "$LAB_DIR/nokey.out")"
pass "ExecStartPre: silent for a good configuration; $(cat "$LAB_DIR/nokey.out")"

# 2, 3. ExecStart under a notify socket, stderr the journal, and the unit's
# capability bounding set (CapabilityBoundingSet=, as setpriv spells it).
unit="$(dirname "$0")/../../packaging/vpnd@.service.in"
bounding=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
[ -n "$bounding" ] || fail "no CapabilityBoundingSet= in $unit"
ip netns exec "$A" python3 "$(dirname "$0")/notify_listen.py" "$LAB_DIR/notify" vpn-a \
	"$sock" "$LAB_DIR/notify.out" 60 &
listener=$!
LAB_PIDS+=("$listener")
wait_until 5 test -S "$LAB_DIR/notify" || fail "the notify listener did not start"
: > "$LAB_DIR/a.log"
journal_stream=$(stat -c '%d:%i' "$LAB_DIR/a.log")
ip netns exec "$A" setpriv --bounding-set "-all,$bounding" --no-new-privs \
	env NOTIFY_SOCKET="$LAB_DIR/notify" CREDENTIALS_DIRECTORY="$creds" \
	JOURNAL_STREAM="$journal_stream" "$VPND" -c "$LAB_DIR/a.conf" >> "$LAB_DIR/a.log" 2>&1 &
pid=$!
LAB_PIDS+=("$pid")
echo "$pid" > "$LAB_DIR/a.pid"
wait_until 5 grep -q "^READY=1" "$LAB_DIR/notify.out" || fail "no READY=1: $(cat "$LAB_DIR/notify.out")"
[ "$(grep -c '^READY=1' "$LAB_DIR/notify.out")" = 1 ] || fail "READY=1 more than once"
quiet_grep "^READY=1 interface=yes control=yes$" < "$LAB_DIR/notify.out" ||
	fail "READY=1 before the interface and control socket: $(cat "$LAB_DIR/notify.out")"
pass "READY=1 once the interface is up (address, route) and the control socket exists"

ip netns exec "$A" ping -c 1 -W 5 10.26.0.2 > /dev/null || fail "a cannot ping b"
quiet_grep "^<6>vpn-a up: node 10.26.0.1" < "$LAB_DIR/a.log" || fail "no <6> 'up' line: $(head -3 "$LAB_DIR/a.log")"
quiet_grep "^<7>" < "$LAB_DIR/a.log" || fail "no <7> debug line"

# 4. What it kept.
caps() { # PID TASK FIELD
	sed -n "s/^$3:[[:space:]]*//p" "/proc/$1/task/$2/status"
}
[ "$(caps "$pid" "$pid" CapEff)" = 0000000000001000 ] || fail "CapEff $(caps "$pid" "$pid" CapEff), not CAP_NET_ADMIN alone"
[ "$(caps "$pid" "$pid" CapPrm)" = 0000000000001000 ] || fail "CapPrm $(caps "$pid" "$pid" CapPrm)"
tasks=0
for task in /proc/"$pid"/task/*; do
	tid=${task##*/}
	tasks=$((tasks + 1))
	[ "$(caps "$pid" "$tid" NoNewPrivs)" = 1 ] || fail "thread $tid may gain privileges"
	[ "$tid" = "$pid" ] && continue
	[ "$(caps "$pid" "$tid" CapEff)" = 0000000000000000 ] || fail "thread $tid kept $(caps "$pid" "$tid" CapEff)"
	[ "$(caps "$pid" "$tid" CapPrm)" = 0000000000000000 ] || fail "thread $tid kept $(caps "$pid" "$tid" CapPrm)"
done
[ "$tasks" -ge 4 ] || fail "$tasks threads: the loop, two workers and port mapping expected"
pass "after setup (bounding set $bounding): the loop keeps CAP_NET_ADMIN alone, $((tasks - 1)) other threads nothing, no new privileges"

unit_config "b 192.168.71.2:51820" "c 192.168.71.3:51820"
kill -HUP "$pid"
wait_until 5 bash -c "'$TUNCTL' -s '$sock' peers | grep -q '^10.26.0.3 '" || fail "reload did not add c"
wait_until 5 bash -c "grep -A1 '^RELOADING=1' '$LAB_DIR/notify.out' | grep -q '^MONOTONIC_USEC=' &&
	[ \$(grep -c '^READY=1' '$LAB_DIR/notify.out') = 2 ]" ||
	fail "no RELOADING=1 then READY=1: $(cat "$LAB_DIR/notify.out")"
echo "this is not a config" >> "$LAB_DIR/a.conf"
kill -HUP "$pid"
wait_until 5 grep -q "^<4>reload failed" "$LAB_DIR/a.log" || fail "a broken reload is no <4> warning"
ip netns exec "$A" ping -c 1 -W 5 10.26.0.2 > /dev/null || fail "a cannot ping b after the reloads"
pass "SIGHUP: RELOADING=1, READY=1; the peers reloaded without privileges; a broken file is a <4> warning"

# 5. The socket's group looks but does not change.
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$TUNCTL" -s "$sock" "$@"
}
as_nobody status > "$LAB_DIR/viewer.out" 2>&1 || fail "the socket's group cannot look: $(cat "$LAB_DIR/viewer.out")"
quiet_grep "10.26.0.1" < "$LAB_DIR/viewer.out" || fail "status for the group: $(cat "$LAB_DIR/viewer.out")"
as_nobody block 10.26.0.2 > "$LAB_DIR/viewer.out" 2>&1 && fail "the socket's group could block a peer"
quiet_grep "only root may change routes or the blocklist" < "$LAB_DIR/viewer.out" ||
	fail "unclear refusal: $(cat "$LAB_DIR/viewer.out")"
as_nobody pin 10.26.0.2 relay > /dev/null 2>&1 && fail "the socket's group could pin a route"
[ -z "$("$TUNCTL" -s "$sock" blocks | grep 10.26.0.2)" ] || fail "a refused block took effect"
pass "the socket's group: status yes; block and pin: $(cat "$LAB_DIR/viewer.out")"

# Completion of a peer argument from the running daemon.
completion="$(dirname "$0")/../../doc/tunctl.bash-completion"
offered=$(PATH="$(dirname "$TUNCTL"):$PATH" bash -c '
	source "$1"
	COMP_WORDS=(tunctl -s "$2" ping "")
	COMP_CWORD=4
	_tunctl tunctl "" ping
	printf "%s\n" "${COMPREPLY[@]}"' completion "$completion" "$sock")
echo "$offered" | quiet_grep -x 10.26.0.2 || fail "completion did not offer peer 10.26.0.2: $offered"
pass "completion offers the daemon's peers: $(echo $offered)"

# 6. Stop.
kill -TERM "$pid"
wait_until 5 bash -c "! kill -0 $pid" || fail "vpnd did not exit on SIGTERM"
quiet_grep "^STOPPING=1" < "$LAB_DIR/notify.out" || fail "no STOPPING=1"
! ip -n "$A" link show vpn-a > /dev/null 2>&1 || fail "the interface survived SIGTERM"
[ -z "$(ip -n "$A" route show 10.26.0.0/24)" ] || fail "the route survived SIGTERM"
bad=$(grep -v '^<[0-7]>' "$LAB_DIR/a.log" || true)
[ -z "$bad" ] || fail "log lines without a priority: $bad"
for s in "$key" "$secret"; do
	quiet_grep -F "$s" < "$LAB_DIR/a.log" && fail "a secret was logged"
done
pass "STOPPING=1; interface and route removed; $(wc -l < "$LAB_DIR/a.log") log lines, all with priorities: $(cut -c1-3 "$LAB_DIR/a.log" | sort | uniq -c | tr '\n' ' ')"
