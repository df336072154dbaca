#!/bin/bash
# cmake --install with the default prefix and with /usr: each layout works.
# The unit starts the binary where it was installed, reads the directory
# the daemon's default configuration is in, and lies where systemd looks;
# man pages, completion and examples are under the prefix.
#
# Usage: install_paths.sh SOURCE_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/vpnd-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

check_layout() { # PREFIX
	local prefix=$1 root="$work/root${1//\//_}" unit exec conf_dir default
	cmake -S "$src" -B "$work/build" -DVPND_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" > /dev/null ||
		fail "cmake with prefix $prefix"
	cmake --build "$work/build" -j"$(nproc)" > "$work/build.log" 2>&1 || fail "build: $(tail "$work/build.log")"
	DESTDIR="$root" cmake --install "$work/build" > /dev/null || fail "install with prefix $prefix"
	unit=$(find "$root" -name 'vpnd@.service')
	[ "$(echo "$unit" | wc -l)" = 1 ] && [ -n "$unit" ] || fail "prefix $prefix: unit files: $unit"
	unit=${unit#"$root"}
	systemd-analyze unit-paths | grep -qx "${unit%/*}" ||
		fail "prefix $prefix: systemd does not read units from ${unit%/*}"
	exec=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$root$unit")
	[ -x "$root$exec" ] || fail "prefix $prefix: the unit starts $exec, which was not installed"
	conf_dir=$(sed -n 's/^ExecStart=.* -c \(.*\)\/%i\.conf$/\1/p' "$root$unit")
	[ -d "$root$conf_dir" ] || fail "prefix $prefix: the unit reads $conf_dir, which was not created"
	default=$("$root$exec" --help | sed -n 's/.*(default \(.*\)\/vpnd\.conf).*/\1/p')
	[ "$default" = "$conf_dir" ] || fail "prefix $prefix: vpnd's default is $default, the unit's $conf_dir"
	for path in bin/tunctl share/man/man8/vpnd.8 share/man/man8/tunctl.8 share/man/man5/vpnd.conf.5 \
		share/bash-completion/completions/tunctl share/doc/vpnd/examples/example.conf; do
		[ -e "$root$prefix/$path" ] || fail "prefix $prefix: no $prefix/$path"
	done
	echo "PASS: prefix $prefix: $unit starts $exec -c $conf_dir/%i.conf"
	rm -rf "$work/build"
}

check_layout /usr/local
check_layout /usr
