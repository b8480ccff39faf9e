"""The asyncio peer of the echo benchmark (run-io-benchmarks.sh): asyncio streams, one task per
connection, each line sent back until EOF -- the same server as Coro's `echo` example.

    python3.13 echo_server.py --port P            # CPython's default event loop
    python3 echo_server.py --port P --uvloop      # the same on uvloop (Debian's python3-uvloop)
"""
import argparse
import asyncio


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    except (ConnectionError, asyncio.LimitOverrunError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print(f"asyncio echo server on 127.0.0.1:{port} ({type(asyncio.get_running_loop()).__module__})", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--uvloop", action="store_true")
    args = parser.parse_args()
    if args.uvloop:
        import uvloop
        uvloop.install()
    asyncio.run(main(args.port))
