#!/bin/bash
# Installs what vpnd needs to build and test on Debian 12, if it is missing.
set -euo pipefail

packages=(
	build-essential cmake pkg-config clang libclang-rt-14-dev
	libmnl-dev libwolfssl-dev libconfig-dev libjson-c-dev libcmocka-dev libsqlite3-dev
	libnatpmp-dev libminiupnpc-dev miniupnpd-nftables libcap-dev libsystemd-dev systemd
	iproute2 iputils-ping iperf3 python3 wireguard-go wireguard-tools nftables conntrack coturn iptables
	dpkg-dev autoconf automake libtool
	debhelper scdoc lintian man-db git
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	[ "$(id -u)" -eq 0 ] || { echo "run as root to install packages" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
