#!/bin/bash
# Sets everything up on a fresh Debian 12 machine and runs the demo:
# installs the dependencies, builds vpnd and tunctl, and runs two nodes in
# network namespaces that ping each other over the encrypted overlay.
set -euo pipefail
cd "$(dirname "$0")/.."
# Namespaces and TUN devices need root: ask for it when not root already.
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "run this as root" >&2; exit 1; }
	exec sudo bash "$0" "$@"
fi
bash tests/deps.sh
# wolfSSL with its assembly (built once from Debian's source package, about a
# minute), or the system's where that cannot be fetched.
if ! cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPND_WOLFSSL_ASM=ON >/dev/null; then
	echo "note: could not build wolfSSL with assembly; using the system wolfSSL"
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPND_WOLFSSL_ASM=OFF >/dev/null
fi
cmake --build build -j "$(nproc)" >/dev/null
VPND=build/vpnd/vpnd TUNCTL=build/tunctl/tunctl bash tests/netns/demo.sh
