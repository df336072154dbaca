#!/bin/bash
# Builds wolfSSL from Debian's own source package - the version installed as
# libwolfssl-dev, configured as Debian configures it - with wolfSSL's x86-64
# assembly added (--enable-intelasm), as a static library in DIR/prefix.
# wolfSSL still checks the CPU at run time, so the binary runs on CPUs
# without AVX2.
#
# The source comes through apt-get source with a private sources list
# (deb-src lines made from the machine's own deb lines): the machine's apt
# configuration is not touched. A second run for the same version does
# nothing.
#
# usage: wolfssl-asm.sh DIR
set -euo pipefail

dir=$1
version=$(dpkg-query -W -f='${Version}' libwolfssl-dev)
prefix="$dir/prefix"
[ -f "$prefix/.built-$version" ] && exit 0

for tool in dpkg-source autoreconf libtoolize make; do
	command -v "$tool" > /dev/null || {
		echo "wolfssl-asm: $tool is missing (apt-get install dpkg-dev autoconf automake libtool)" >&2
		exit 1
	}
done

apt_dir="$dir/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/source"

# deb-src lines for every Debian deb source of the machine, one-line or deb822.
python3 - "$apt_dir/sources.list" <<'PY'
import glob, re, sys

lines = []
def add(uri, suite, comps, signed_by):
    opts = f"[signed-by={signed_by}] " if signed_by else ""
    lines.append(f"deb-src {opts}{uri} {suite} {' '.join(comps)}")

for path in glob.glob("/etc/apt/sources.list") + glob.glob("/etc/apt/sources.list.d/*.list"):
    for line in open(path):
        m = re.match(r"\s*deb\s+(\[[^]]*\]\s+)?(\S+)\s+(\S+)\s+(.+)", line)
        if m and "debian" in m.group(2):
            signed = re.search(r"signed-by=(\S+?)[\] ]", m.group(1) or "")
            add(m.group(2), m.group(3), m.group(4).split(), signed.group(1) if signed else "")
for path in glob.glob("/etc/apt/sources.list.d/*.sources"):
    for stanza in open(path).read().split("\n\n"):
        fields = dict(re.findall(r"^([\w-]+):\s*(.*)$", stanza, re.M))
        if "deb" not in fields.get("Types", "").split() or "debian" not in fields.get("URIs", ""):
            continue
        for uri in fields["URIs"].split():
            for suite in fields.get("Suites", "").split():
                add(uri, suite, fields.get("Components", "main").split(), fields.get("Signed-By", ""))
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY

apt_options=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1
	-o APT::Sandbox::User=root)
cd "$dir/source"
if ! ls wolfssl_*.dsc > /dev/null 2>&1; then
	apt-get -q "${apt_options[@]}" update > /dev/null
	apt-get -q "${apt_options[@]}" source --download-only "wolfssl=$version"
fi
rm -rf tree
# apt checked the files against the signed Sources index already.
dpkg-source --no-check -x wolfssl_*.dsc tree > /dev/null
cd tree
./autogen.sh > /dev/null 2>&1
./configure -q --enable-distro --enable-pkcs11 --disable-examples --enable-intelasm \
	--enable-static --disable-shared --prefix="$prefix" CFLAGS="-O2 -fPIC"
make -s -j"$(nproc)" > /dev/null
make -s install > /dev/null
# The options the library was built with: the headers must see the same.
install -m 644 wolfssl/options.h "$prefix/include/wolfssl/options.h"
touch "$prefix/.built-$version"
echo "wolfssl-asm: wolfSSL $version with assembly in $prefix"
