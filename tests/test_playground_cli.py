"""`berdaya playground` as a person runs it: a real process, its address, Ctrl-C, a busy port."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import aiohttp


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("BERDAYA_")}


async def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "playground", "--port", str(port), cwd=tmp_path,
            env=clean_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1
    errors = [line for line in stderr.decode().splitlines() if "error" in line.lower()]
    assert errors == [f"berdaya: error: port {port} on 127.0.0.1 is already in use; "
                      f"choose another with --port (e.g. --port {port + 1})"]
    assert "Traceback" not in stderr.decode()
    assert b"Sampai jumpa" not in stdout
    assert not (tmp_path / "berdaya-playground.db").exists()  # failed before touching anything


async def test_runs_in_its_own_database_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "playground", "--port", "0", "--fresh", cwd=tmp_path,
        env=clean_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        printed = ""
        async with asyncio.timeout(60):
            while not (found := re.search(r"open (http://127\.0\.0\.1:\d+)", printed)):
                line = await process.stdout.readline()
                assert line, printed
                printed += line.decode()
        async with aiohttp.ClientSession() as http:
            response = await http.get(found.group(1) + "/api/personas")
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert stdout.decode().rstrip().endswith("Playground stopped. Sampai jumpa!")
    assert "Traceback" not in stderr.decode()
    assert (tmp_path / "berdaya-playground.db").exists()
