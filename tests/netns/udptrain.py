#!/usr/bin/env python3
"""An application's own UDP GSO train: `send ADDR PORT COUNT SIZE` hands the
kernel COUNT datagrams of SIZE bytes in one sendmsg (UDP_SEGMENT);
`receive ADDR PORT COUNT SIZE` expects them one by one, each with the bytes
it was sent with, and exits 0 only then."""
import socket
import sys

SOL_UDP, UDP_SEGMENT = 17, 103


def datagram(n, size):
    return bytes((n * 31 + i) & 0xFF for i in range(size))


def send(addr, port, count, size):
    train = b"".join(datagram(n, size) for n in range(count))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(SOL_UDP, UDP_SEGMENT, size)
        s.sendto(train, (addr, port))


def receive(addr, port, count, size):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((addr, port))
        s.settimeout(10)
        for n in range(count):
            data = s.recv(65536)
            if data != datagram(n, size):
                sys.exit(f"datagram {n}: {len(data)} bytes, not the {size} sent")
    print(f"{count} datagrams of {size} bytes received in order")


if __name__ == "__main__":
    mode, addr = sys.argv[1], sys.argv[2]
    port, count, size = (int(a) for a in sys.argv[3:6])
    (send if mode == "send" else receive)(addr, port, count, size)
