"""CI helper: create or drop one throw-away database on the local PostgreSQL server.

Exit status 1 on `create` means "no server here", and CI then runs on SQLite alone.
"""

from __future__ import annotations

import asyncio
import sys

import asyncpg

DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


async def main(action: str, name: str) -> int:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(DSN), timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
        return 1
    try:
        if action == "create":
            await conn.execute(f'CREATE DATABASE "{name}"')
        else:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
