#!/usr/bin/env python3
"""Captures one vpnd transport packet on an interface and sends it again.

usage: replay.py IFNAME DST_ADDR DST_PORT COUNT
Sniffs (AF_PACKET) for a UDP datagram to DST_ADDR:DST_PORT whose payload is
a transport data message (type 4), then sends the same payload COUNT times.
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def capture(ifname, dst_addr, dst_port, timeout=10.0):
    sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    sniffer.bind((ifname, 0))  # 0: keep the socket's protocol
    sniffer.settimeout(timeout)
    want = socket.inet_aton(dst_addr)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            packet = sniffer.recv(65535)
        except TimeoutError:
            return None
        if len(packet) < 28 or packet[0] >> 4 != 4:
            continue
        ihl = (packet[0] & 0x0F) * 4
        if packet[9] != socket.IPPROTO_UDP or packet[16:20] != want:
            continue
        _, port, length, _ = struct.unpack("!HHHH", packet[ihl:ihl + 8])
        payload = packet[ihl + 8:ihl + length]
        if port == dst_port and len(payload) >= 32 and payload[0] == 4:
            return payload
    return None


def main():
    ifname, dst_addr, dst_port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    payload = capture(ifname, dst_addr, dst_port)
    if payload is None:
        sys.exit(1)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(count):
        sender.sendto(payload, (dst_addr, dst_port))
        time.sleep(0.05)
    print(f"replayed {count} copies of a {len(payload)}-byte transport packet")


if __name__ == "__main__":
    main()
