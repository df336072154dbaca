#!/usr/bin/env python3
"""Holds as many TCP connections to a vpnd listener as it can, as a stranger
would: each sends a 1-byte junk frame every 2 s, and one that is closed is
opened again at once.

usage: tcphold.py DST_ADDR DST_PORT SECONDS COUNT SRC_ADDR...
COUNT connections from each source address. Prints how many were open at
the end and how many it opened in all.
"""
import errno
import select
import socket
import sys
import time

JUNK_FRAME = b"\x00\x01\x00"  # a 2-byte length (1) and one byte
JUNK_EVERY = 2.0


def connect(src, dst):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.bind((src, 0))
    err = sock.connect_ex(dst)
    if err not in (0, errno.EINPROGRESS):
        sock.close()
        return None
    return sock


def main():
    dst = (sys.argv[1], int(sys.argv[2]))
    seconds, count = float(sys.argv[3]), int(sys.argv[4])
    sources = sys.argv[5:]
    slots = [(src, None) for src in sources for _ in range(count)]
    opened = 0
    end = time.monotonic() + seconds
    next_junk = 0.0
    while time.monotonic() < end:
        now = time.monotonic()
        for i, (src, sock) in enumerate(slots):
            if sock is None:
                sock = connect(src, dst)
                opened += sock is not None
                slots[i] = (src, sock)
        socks = [s for _, s in slots if s is not None]
        readable, _, _ = select.select(socks, [], [], 0.2)
        for sock in readable:  # closed by the other end, or junk back
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                sock.close()
                slots = [(src, None if s is sock else s) for src, s in slots]
        if now >= next_junk:
            next_junk = now + JUNK_EVERY
            for i, (src, sock) in enumerate(slots):
                if sock is None:
                    continue
                try:
                    sock.send(JUNK_FRAME)
                except OSError:
                    sock.close()
                    slots[i] = (src, None)
    held = sum(1 for _, s in slots if s is not None)
    print(f"held {held} of {len(slots)} connections at the end, opened {opened}")


if __name__ == "__main__":
    main()
