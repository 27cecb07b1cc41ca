#!/usr/bin/env python3
# delay-proxy.py: a loopback TCP proxy that delays every chunk by a fixed time
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: delay-proxy.py --target HOST:PORT [--delay-ms 50] [--host 127.0.0.1]
                      [--timeout SECS]

Listens on HOST (loopback only) on a free port, prints "PORT <n>" as its
first stdout line (flushed), and forwards every connection to TARGET, holding
each chunk back DELAY ms in each direction (so a round trip costs twice that),
as a slow network would. Chunks queue rather than wait for each other, so
throughput is not cut. Runs until SIGTERM/SIGINT, or --timeout seconds
(default 600) as a safety net. For benchmarks and timeout tests.
"""

import argparse
import asyncio
import ipaddress
import signal
import sys

EOF = object()


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read():
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((loop.time() + delay, data if data else EOF))
                if not data:
                    return
        except (ConnectionError, OSError):
            queue.put_nowait((loop.time() + delay, EOF))

    async def write():
        try:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if data is EOF:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass

    await asyncio.gather(read(), write())


async def handle(client_reader, client_writer, target, delay):
    try:
        server_reader, server_writer = await asyncio.open_connection(*target)
    except OSError as e:
        print("delay-proxy: cannot reach %s:%d: %s" % (target[0], target[1], e), file=sys.stderr)
        client_writer.close()
        return
    try:
        await asyncio.gather(pump(client_reader, server_writer, delay),
                             pump(server_reader, client_writer, delay))
    finally:
        for w in (client_writer, server_writer):
            w.close()


async def run(args):
    host, _, port = args.target.rpartition(":")
    target = (host.strip("[]") or "127.0.0.1", int(port))
    delay = args.delay_ms / 1000.0
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, target, delay), args.host, 0)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.timeout)
    except asyncio.TimeoutError:
        pass
    server.close()


def main():
    parser = argparse.ArgumentParser(description="loopback TCP proxy with a fixed delay")
    parser.add_argument("--target", required=True, help="HOST:PORT to forward to")
    parser.add_argument("--delay-ms", type=float, default=50.0,
                        help="one-way delay per chunk in milliseconds (default 50)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        print("delay-proxy: listens on loopback addresses only", file=sys.stderr)
        return 2
    target_host = args.target.rpartition(":")[0].strip("[]")
    if target_host not in ("", "localhost") and not ipaddress.ip_address(target_host).is_loopback:
        print("delay-proxy: forwards to loopback addresses only", file=sys.stderr)
        return 2
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
