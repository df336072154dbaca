#!/usr/bin/env python3
"""Copies one file over one TCP connection: `receive ADDR PORT OUT` or `send ADDR PORT IN`."""
import socket
import sys


def receive(addr, port, path):
    with socket.create_server((addr, port)) as server:
        server.settimeout(30)
        conn, _ = server.accept()
        conn.settimeout(30)
        with conn, open(path, "wb") as out:
            while chunk := conn.recv(1 << 16):
                out.write(chunk)


def send(addr, port, path):
    with socket.create_connection((addr, port), timeout=30) as conn, open(path, "rb") as src:
        conn.sendfile(src)


if __name__ == "__main__":
    mode, addr, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    (receive if mode == "receive" else send)(addr, port, path)
