"""Exit 0 when the PostgreSQL server of a DATABASE_URL answers, 1 (with the reason) when not."""

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        print(f"not a PostgreSQL URL: {url}", file=sys.stderr)  # noqa: T201
        return 1
    try:
        with psycopg.connect(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname=cfg["NAME"] or "postgres",
            connect_timeout=5,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        print(f"PostgreSQL unreachable: {exc}".strip(), file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
