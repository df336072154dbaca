#!/bin/bash
# The Debian package, built, checked, installed on this machine and purged.
#
#   source tree --dpkg-buildpackage--> vpnd_VERSION_amd64.deb
#        contents, Depends, lintian --> apt-get install ./vpnd_*.deb
#        --> installed vpnd -n, --version, man -l, systemd-analyze verify,
#            the vpnd group, /run/vpnd --> apt-get purge: nothing left
#
# The maintainer scripts must stop every instance on removal and restart
# them on upgrade (through vpnd.service, which each vpnd@ is part of).
#
# Usage: deb.sh SOURCE_DIR. Needs root; refuses to run where vpnd is
# installed already (it would remove it).
set -euo pipefail
src=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/vpnd-deb.XXXXXX)
installed=0
group_was_there=0
getent group vpnd > /dev/null && group_was_there=1

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
pass() {
	echo "PASS: $*"
}
cleanup() {
	[ "$installed" = 0 ] || apt-get purge -y -q vpnd > /dev/null 2>&1 || true
	# The group stays after a purge, as Debian's system groups do; one this
	# test made goes, so that it changes nothing on the machine.
	[ "$group_was_there" = 1 ] || ! getent group vpnd > /dev/null || groupdel vpnd
	rm -rf "$work"
}
trap cleanup EXIT

[ "$(dpkg-query -W -f='${Status}' vpnd 2> /dev/null || true)" = "install ok installed" ] &&
	fail "vpnd is installed on this machine: this test installs and purges it; remove it first"

# Built from the tracked and new files of the tree, as a clean checkout would.
version=$(sed -n '1s/^vpnd (\([^)]*\)).*/\1/p' "$src/debian/changelog")
tree="$work/vpnd-$version"
mkdir "$tree"
git -C "$src" ls-files -co --exclude-standard | grep -v '^Testing/' |
	tar -C "$src" -cf - -T - | tar -C "$tree" -xf -
(cd "$tree" && dpkg-buildpackage -b -us -uc -j"$(nproc)") > "$work/build.log" 2>&1 ||
	fail "dpkg-buildpackage: $(tail -20 "$work/build.log")"
deb="$work/vpnd_${version}_amd64.deb"
[ -f "$deb" ] || fail "no $deb"
pass "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# Contents.
dpkg-deb -c "$deb" > "$work/listing"
awk '{print $6}' "$work/listing" | sed 's|^\./|/|' > "$work/contents"
for path in /usr/sbin/vpnd /usr/bin/tunctl /lib/systemd/system/vpnd@.service /lib/systemd/system/vpnd.service \
	/usr/lib/tmpfiles.d/vpnd.conf /usr/lib/sysusers.d/vpnd.conf /etc/vpnd/ \
	/usr/share/man/man8/vpnd.8.gz /usr/share/man/man8/tunctl.8.gz \
	/usr/share/man/man5/vpnd.conf.5.gz /usr/share/bash-completion/completions/tunctl \
	/usr/share/doc/vpnd/examples/example.conf /usr/share/doc/vpnd/examples/member.conf \
	/usr/share/doc/vpnd/examples/rendezvous.conf /usr/share/doc/vpnd/examples/join.conf \
	/usr/share/doc/vpnd/copyright; do
	grep -qxF "$path" "$work/contents" || fail "$path is not in the package"
done
grep '^/etc/vpnd/.' "$work/contents" && fail "the package ships files in /etc/vpnd (it must stay the administrator's)"
grep -q '^drwx------ root/root .* \./etc/vpnd/$' "$work/listing" || fail "/etc/vpnd is not root's alone (0700)"
dpkg-deb -e "$deb" "$work/control"
grep -q "deb-systemd-invoke stop 'vpnd.service'" "$work/control/prerm" ||
	fail "removal does not stop the instances: $(cat "$work/control/prerm")"
grep -q "_dh_action=.*restart" "$work/control/postinst" && grep -q "deb-systemd-invoke \$_dh_action 'vpnd.service'" "$work/control/postinst" ||
	fail "an upgrade does not restart the instances"
grep -q '^PartOf=vpnd.service$' "$tree/debian/vpnd/lib/systemd/system/vpnd@.service" || fail "vpnd@.service is not part of vpnd.service"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libnatpmp1 libminiupnpc17 libwolfssl libmnl0 libconfig9 libjson-c5 libsqlite3-0 libcap2 libsystemd0; do
	echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
done
pass "contents: binaries, unit, tmpfiles, sysusers, man pages, completion, examples; Depends: $depends"

lintian --fail-on error "$deb" > "$work/lintian" 2>&1 ||
	fail "lintian: $(cat "$work/lintian")"
pass "lintian: no errors ($(grep -c '^W:' "$work/lintian" || true) warnings)"

# Installed as a user would.
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" > "$work/install.log" 2>&1 ||
	fail "apt-get install: $(tail -20 "$work/install.log")"
[ "$(/usr/sbin/vpnd --version)" = "vpnd $version" ] || fail "vpnd --version: $(/usr/sbin/vpnd --version)"
[ "$(/usr/bin/tunctl --version)" = "tunctl $version" ] || fail "tunctl --version: $(/usr/bin/tunctl --version)"
getent group vpnd > /dev/null || fail "no vpnd group after install"
[ -d /run/vpnd ] || fail "tmpfiles did not create /run/vpnd"
/usr/sbin/vpnd -n -c /usr/share/doc/vpnd/examples/example.conf > "$work/example.out" 2> /dev/null ||
	fail "the installed vpnd refuses the installed example"
grep -q 'name = "vpn0"' "$work/example.out" || fail "vpnd -n printed: $(head -5 "$work/example.out")"
/usr/sbin/vpnd -n -q -c /usr/share/doc/vpnd/examples/member.conf > "$work/member.out" 2>&1 ||
	fail "vpnd -n -q refuses the installed member.conf: $(cat "$work/member.out")"
[ -z "$(grep -v 'may read it' "$work/member.out")" ] || fail "vpnd -n -q printed: $(cat "$work/member.out")"
pass "installed: $(/usr/sbin/vpnd --version), $(/usr/bin/tunctl --version), group vpnd, /run/vpnd; vpnd -n takes the examples"

for page in /usr/share/man/man8/vpnd.8.gz /usr/share/man/man8/tunctl.8.gz /usr/share/man/man5/vpnd.conf.5.gz; do
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 > "$work/page")
	[ -z "$warnings" ] || fail "man -l $page: $warnings"
	[ "$(wc -l < "$work/page")" -gt 20 ] || fail "man -l $page rendered $(wc -l < "$work/page") lines"
done
pass "man -l renders vpnd(8), tunctl(8), vpnd.conf(5) without warnings"

systemd-analyze verify vpnd@vpn0.service vpnd.service > "$work/verify" 2>&1 ||
	fail "systemd-analyze verify: $(cat "$work/verify")"
[ ! -s "$work/verify" ] || fail "systemd-analyze verify: $(cat "$work/verify")"
pass "systemd-analyze verify vpnd@vpn0.service vpnd.service: clean"

# Purged: none of its files, no state, no socket directory, no enabled
# instance left pointing at a unit that is gone.
mkdir -p /var/lib/vpnd && touch /var/lib/vpnd/vpn0.peers
systemctl enable vpnd@vpn0 > "$work/enable.log" 2>&1 || fail "systemctl enable vpnd@vpn0: $(cat "$work/enable.log")"
[ -L /etc/systemd/system/multi-user.target.wants/vpnd@vpn0.service ] || fail "enabling vpnd@vpn0 made no link"
apt-get purge -y -q vpnd > "$work/purge.log" 2>&1 || fail "apt-get purge: $(tail -20 "$work/purge.log")"
installed=0
left=""
while read -r path; do
	path=${path%/}
	# Gone, or a directory another package owns (/usr, /lib/systemd/system).
	[ -z "$path" ] || [ ! -e "$path" ] || dpkg-query -S "$path" > /dev/null 2>&1 || left="$left $path"
done < "$work/contents"
for path in /var/lib/vpnd /run/vpnd /etc/vpnd /etc/systemd/system/*/vpnd*; do
	[ -e "$path" ] && left="$left $path"
done
[ -z "$left" ] || fail "left behind after purge:$left"
pass "purged: nothing left behind"
