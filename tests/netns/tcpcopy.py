#!/usr/bin/env python3
"""Copies one file over one TCP connection: `receive ADDR PORT OUT` or
`send ADDR PORT IN [BYTES_PER_SECOND]` (paced, to keep a transfer running
across events)."""
import socket
import sys
import time


def receive(addr, port, path):
    with socket.create_server((addr, port)) as server:
        server.settimeout(30)
        conn, _ = server.accept()
        conn.settimeout(30)
        with conn, open(path, "wb") as out:
            while chunk := conn.recv(1 << 16):
                out.write(chunk)


def send(addr, port, path, rate=0):
    with socket.create_connection((addr, port), timeout=30) as conn, open(path, "rb") as src:
        if not rate:
            conn.sendfile(src)
            return
        chunk, start, sent = rate // 20, time.monotonic(), 0
        while data := src.read(chunk):
            conn.sendall(data)
            sent += len(data)
            time.sleep(max(0.0, start + sent / rate - time.monotonic()))


if __name__ == "__main__":
    mode, addr, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if mode == "receive":
        receive(addr, port, path)
    else:
        send(addr, port, path, int(sys.argv[5]) if len(sys.argv) > 5 else 0)
