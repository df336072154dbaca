#!/usr/bin/env python3
"""A stranger on the LAN: catches one LAN beacon of VICTIM, then sends it,
from its own address, COUNT times to TARGET's beacon port, with truncated
copies and junk between.

beacon_replay.py LOCAL_ADDR VICTIM_ADDR TARGET_ADDR PORT COUNT
"""
import socket
import struct
import sys

GROUP = "239.255.26.26"


def main():
    local, victim, target = sys.argv[1], sys.argv[2], sys.argv[3]
    port, count = int(sys.argv[4]), int(sys.argv[5])
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("", port))
    join = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(local))
    listener.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
    listener.settimeout(12)  # each recvfrom
    beacon, source = listener.recvfrom(2048)
    for _ in range(10):  # bounded: beacons come every 5 s from each node
        if source[0] == victim:
            break
        beacon, source = listener.recvfrom(2048)
    if source[0] != victim:
        sys.exit(f"no beacon from {victim}")
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind((local, 0))
    for i in range(count):
        sender.sendto(beacon, (target, port))
        sender.sendto(beacon[: i % len(beacon)] + b"junk", (target, port))
    print(f"caught a {len(beacon)}-byte beacon from {source[0]}, sent it {count} times")


if __name__ == "__main__":
    main()
