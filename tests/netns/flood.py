#!/usr/bin/env python3
"""Floods a vpnd node with handshake initiations that carry a valid mac1.

usage: flood.py DST_ADDR DST_PORT RESPONDER_PUBLIC_KEY_BASE64 SECONDS RATE
Prints how many initiations were sent and how many cookie replies came back.
The initiations are otherwise garbage: only the responder's public key is
known, which is all mac1 needs.
"""
import base64
import hashlib
import os
import socket
import struct
import sys
import time

INITIATION_LEN = 148
MAC1_OFFSET = INITIATION_LEN - 32
COOKIE_REPLY = 3
COOKIE_REPLY_LEN = 64


def initiation(mac1_key):
    body = struct.pack("<I", 1) + os.urandom(MAC1_OFFSET - 4)
    mac1 = hashlib.blake2s(body, key=mac1_key, digest_size=16).digest()
    return body + mac1 + bytes(16)


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    public_key = base64.b64decode(sys.argv[3])
    seconds, rate = float(sys.argv[4]), int(sys.argv[5])
    mac1_key = hashlib.blake2s(b"mac1----" + public_key).digest()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    sent = cookies = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        sock.sendto(initiation(mac1_key), (addr, port))
        sent += 1
        deadline = start + sent / rate
        while time.monotonic() < deadline:
            try:
                reply = sock.recv(2048)
                if len(reply) == COOKIE_REPLY_LEN and reply[0] == COOKIE_REPLY:
                    cookies += 1
            except BlockingIOError:
                time.sleep(0.0005)
    print(f"sent {sent} initiations, got {cookies} cookie replies")


if __name__ == "__main__":
    main()
