#!/usr/bin/env python3
# tls13-reset-proxy.py: a loopback proxy that resets TLS 1.3 ClientHellos
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: tls13-reset-proxy.py --target HOST:PORT [--host 127.0.0.1] [--timeout SECS]

Stands for a broken middlebox or server, one that resets the connection when
a ClientHello offers TLS 1.3 (some firewalls and old appliances in front of
mail servers do); no real server of this harness imitates that, so this
proxy goes in front of one (dovecot's IMAPS) and acts that part only.

Listens on HOST (loopback only) on a free port and prints "PORT <n>" as its
first stdout line. For every connection it reads the client's first TLS
record, right away (implicit TLS) or after the plaintext that came first
(STARTTLS: no plaintext line starts with byte 0x16, a TLS record does): a
ClientHello whose supported_versions extension (0x002b) lists TLS 1.3
(0x0304) gets a TCP reset (SO_LINGER 0) and the line "RESET <i>"; any
other is passed to TARGET unchanged, and everything after it both ways,
with the line "PASSED <i>" (i counts connections from 1). The TLS itself is
the real server's: the proxy never sees a key. Runs until SIGTERM/SIGINT or
--timeout.
"""

import argparse
import asyncio
import ipaddress
import signal
import socket
import struct
import sys

SUPPORTED_VERSIONS = 0x002B
TLS_1_3 = 0x0304


def offers_tls13(record):
    """Whether the ClientHello in RECORD (one whole record) lists TLS 1.3."""
    if len(record) < 9 or record[0] != 0x16 or record[5] != 0x01:
        return False
    body = record[9:]
    pos = 2 + 32                                   # client_version, random
    pos += 1 + body[pos]                           # session_id
    pos += 2 + struct.unpack("!H", body[pos:pos + 2])[0]  # cipher_suites
    pos += 1 + body[pos]                           # compression_methods
    if pos + 2 > len(body):
        return False
    end = pos + 2 + struct.unpack("!H", body[pos:pos + 2])[0]
    pos += 2
    while pos + 4 <= min(end, len(body)):
        kind, size = struct.unpack("!HH", body[pos:pos + 4])
        data = body[pos + 4:pos + 4 + size]
        if kind == SUPPORTED_VERSIONS and data:
            versions = data[1:1 + data[0]]
            return any(struct.unpack("!H", versions[i:i + 2])[0] == TLS_1_3
                       for i in range(0, len(versions) - 1, 2))
        pos += 4 + size
    return False


async def pump(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


class Proxy:
    def __init__(self, target):
        self.target = target
        self.count = 0

    async def client_to_server(self, number, client_reader, client_writer, server_writer):
        """Plaintext (before STARTTLS) passes byte by byte, so that the first
        TLS record is seen whole, whatever came before it."""
        while True:
            first = await client_reader.read(1)
            if not first:
                break
            if first[0] != 0x16:
                server_writer.write(first)
                await server_writer.drain()
                continue
            record = first + await client_reader.readexactly(4)
            record += await client_reader.readexactly(struct.unpack("!H", record[3:5])[0])
            if offers_tls13(record):
                print(f"RESET {number}", flush=True)
                sock = client_writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client_writer.transport.abort()
                server_writer.transport.abort()
                return
            print(f"PASSED {number}", flush=True)
            server_writer.write(record)
            break
        await pump(client_reader, server_writer)

    async def handle(self, client_reader, client_writer):
        self.count += 1
        number = self.count
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        try:
            await asyncio.gather(
                self.client_to_server(number, client_reader, client_writer, server_writer),
                pump(server_reader, client_writer))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        except asyncio.CancelledError:
            pass  # shutting down with the connection still open
        server_writer.close()
        client_writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        sys.exit("tls13-reset-proxy.py: --host must be a loopback address")
    host, _, port = args.target.rpartition(":")
    proxy = Proxy((host, int(port)))
    server = await asyncio.start_server(proxy.handle, args.host, 0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.timeout)
    except asyncio.TimeoutError:
        pass
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
