"""Documents: upload throughput through the API against writing the same bytes with the storage
API directly (target ≥ 0.5×), and the peak RSS growth of a web process streaming a 200 MB
document (target ≤ 30 MB). Prints figures, asserts nothing.

Run from the repository root: ``python bench/documents.py [--upload-mb 20] [--uploads 3]
[--stream-mb 200]``. A fresh SQLite database and a document folder in a temporary directory;
one gunicorn worker (sync) on 127.0.0.1 at a free port. Every figure comes from the same run:

* the peak RSS is the worker's VmHWM (/proc) before and after the download, on a fresh worker
  (nothing else ran in it but a warm-up request);
* uploads are measured on both stores MotCua runs on — the filesystem and an S3-compatible
  server (moto's, started on 127.0.0.1) — each against direct writes of the same bytes through
  the storage API to the same store, just after the API uploads;
* and against the ceiling of the HTTP server itself: the same gunicorn running an app that only
  reads the request body. On the filesystem a direct write is a copy into the page cache, faster
  than any HTTP server can receive bytes; "API / the HTTP server alone" says how much of that
  ceiling MotCua's own work (multipart, checks, hash, storing, the row) leaves.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker_of(master: int) -> int:
    for _ in range(100):
        kids = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if kids:
            return int(kids[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def serve(env: dict[str, str], app: str = "motcua.wsgi") -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "600",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["MOTCUA_VAR_DIR"]) / "gunicorn.log", "ab"),  # noqa: SIM115
        start_new_session=True,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    b = "motcua-bench"
    head = (
        f'--{b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscan\r\n'
        f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{b}--\r\n".encode(), f"multipart/form-data; boundary={b}"


def api_upload_seconds(
    env: dict[str, str], code: str, auth: dict[str, str], body: bytes, content_type: str, n: int
) -> float:
    """Seconds for ``n`` uploads of ``body`` through the API of a fresh web process (after one
    warm-up request)."""
    proc, base = serve(env)
    try:
        url = f"{base}/api/v1/dossiers/{code}/documents"
        urllib.request.urlopen(urllib.request.Request(url, headers=auth), timeout=60).read()  # noqa: S310
        started = time.perf_counter()
        for _ in range(n):
            request = urllib.request.Request(  # noqa: S310
                url, data=body, headers={**auth, "Content-Type": content_type}, method="POST"
            )
            with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
                assert answer.status == 201  # noqa: S101
        return time.perf_counter() - started
    finally:
        stop(proc)


BARE_APP = """
def app(environ, start_response):
    stream, size = environ["wsgi.input"], 0
    while block := stream.read(65536):
        size += len(block)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(size).encode()]
"""


def bare_upload_seconds(
    env: dict[str, str], tmp: Path, body: bytes, content_type: str, n: int
) -> float:
    """Seconds for ``n`` posts of ``body`` to the same gunicorn running an app that only reads
    the body: what the HTTP server costs before any of MotCua runs."""
    (tmp / "bare_app.py").write_text(BARE_APP)
    proc, base = serve({**env, "PYTHONPATH": str(tmp)}, app="bare_app:app")
    try:
        started = time.perf_counter()
        for _ in range(n):
            request = urllib.request.Request(  # noqa: S310
                base, data=body, headers={"Content-Type": content_type}, method="POST"
            )
            with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
                assert int(answer.read()) == len(body)  # noqa: S101
        return time.perf_counter() - started
    finally:
        stop(proc)


def start_moto(tmp: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """moto's S3 server on 127.0.0.1 with the bucket made, and the settings that point MotCua
    at it."""
    import boto3

    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "moto.log", "ab"),  # noqa: SIM115
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench-secret",  # noqa: S106 — moto's, loopback only
    ).create_bucket(Bucket="motcua-bench")
    return proc, {
        "MOTCUA_S3_BUCKET": "motcua-bench",
        "MOTCUA_S3_ENDPOINT_URL": endpoint,
        "MOTCUA_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench-secret",
    }


def direct_seconds(extra: dict[str, str], data: bytes, n: int) -> float:
    """Seconds for ``n`` writes of ``data`` through the storage API of this process, pointed at
    the store that ``extra`` names (none: the filesystem)."""
    from django.conf import settings

    from motcua.documents import storage

    saved = dict(settings.MOTCUA_DOCUMENTS)
    if extra:
        settings.MOTCUA_DOCUMENTS.update(
            S3_BUCKET=extra["MOTCUA_S3_BUCKET"],
            S3_ENDPOINT_URL=extra["MOTCUA_S3_ENDPOINT_URL"],
            S3_REGION=extra["MOTCUA_S3_REGION"],
            S3_ACCESS_KEY=extra["AWS_ACCESS_KEY_ID"],
            S3_SECRET_KEY=extra["AWS_SECRET_ACCESS_KEY"],
        )
    try:
        started = time.perf_counter()
        for _ in range(n):
            storage.save(storage.new_key("bench"), io.BytesIO(data))
        return time.perf_counter() - started
    finally:
        settings.MOTCUA_DOCUMENTS.clear()
        settings.MOTCUA_DOCUMENTS.update(saved)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upload-mb", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--stream-mb", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-documents-"))
    env = {
        **os.environ,
        "MOTCUA_VAR_DIR": str(tmp),
        "MOTCUA_DOCUMENTS_ROOT": str(tmp / "documents"),
        "MOTCUA_DOCUMENT_MAX_FILE_BYTES": str((args.stream_mb + args.upload_mb + 10) * 1024 * 1024),
        "MOTCUA_DOCUMENT_MAX_DOSSIER_BYTES": str(50 * 1024**3),
        "MOTCUA_DOCUMENT_MAX_DOSSIER_FILES": "100000",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex(),
        "MOTCUA_LOOKUP_KEY": os.environ.get("MOTCUA_LOOKUP_KEY") or os.urandom(32).hex(),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DATABASE_REPLICA_URL", None)
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    try:
        subprocess.run([str(BIN / "motcua"), "migrate", "-v", "0"], env=env, check=True)
        import django

        django.setup()
        from motcua.access.services import issue_token
        from motcua.documents import services
        from motcua.dossiers.services import ApplicantData, receive_dossier
        from tests.factories import make_procedure, make_staff, make_unit, papers

        unit = make_unit(code="B.01", name="Phường Đo Đạc")
        desk = make_staff(username="bench", roles=[(unit, "receptionist")])
        procedure = make_procedure(units=[unit])
        dossier = receive_dossier(
            actor=desk,
            procedure_code=procedure.code,
            unit_code=unit.code,
            applicant=ApplicantData(name="Nguyễn Văn Đo"),
            documents=papers(procedure),
        ).dossier
        token, _ = issue_token(staff=desk)
        auth = {"Authorization": f"Bearer {token}"}

        # 1. the peak RSS growth of a fresh web process streaming a large document
        big = services.add_document(
            dossier_id=dossier.pk,
            data=io.BytesIO(PNG_HEAD + b"\0" * (args.stream_mb * 1024 * 1024)),
            name="lon.png",
            kind="scan",
            source="counter",
            actor=desk,
        )
        proc, base = serve(env)
        try:
            url = f"{base}/api/v1/dossiers/{dossier.code}/documents"
            urllib.request.urlopen(urllib.request.Request(url, headers=auth), timeout=60).read()  # noqa: S310
            worker = worker_of(proc.pid)
            before_rss, before_hwm = kib(worker, "VmRSS"), kib(worker, "VmHWM")
            got = 0
            started = time.perf_counter()
            with urllib.request.urlopen(  # noqa: S310
                urllib.request.Request(f"{url}/{big.pk}/content", headers=auth),  # noqa: S310
                timeout=600,
            ) as answer:
                while block := answer.read(1024 * 1024):
                    got += len(block)
            seconds = time.perf_counter() - started
            after_hwm = kib(worker, "VmHWM")
        finally:
            stop(proc)
        growth = (after_hwm - max(before_rss, 0)) / 1024
        print(
            f"stream {args.stream_mb} MB: {got / 1024 / 1024:.0f} MB in {seconds:.2f} s; worker RSS {before_rss / 1024:.1f} MB before (peak {before_hwm / 1024:.1f}), peak {after_hwm / 1024:.1f} MB during"
        )
        print(
            f"peak RSS growth while streaming {args.stream_mb} MB: {growth:.1f} MB (target ≤ 30 MB)"
        )

        # 2. upload throughput through the API vs the storage API directly (same bytes), on
        # both stores, and the ceiling of the HTTP server itself (an app that only reads the body)
        data = PNG_HEAD + os.urandom(args.upload_mb * 1024 * 1024 - len(PNG_HEAD))
        body, content_type = multipart("tai-len.png", data)
        total_mb = args.upload_mb * args.uploads
        floor_rate = total_mb / bare_upload_seconds(env, tmp, body, content_type, args.uploads)
        print(
            f"the HTTP server alone (gunicorn, an app that only reads the body): {floor_rate:.1f} MB/s"
        )
        moto_proc, moto = start_moto(tmp)
        try:
            for store, extra in (("filesystem", {}), ("S3 (moto on 127.0.0.1)", moto)):
                api_rate = total_mb / api_upload_seconds(
                    {**env, **extra}, dossier.code, auth, body, content_type, args.uploads
                )
                direct_rate = total_mb / direct_seconds(extra, data, args.uploads)
                print(f"{store}:")
                print(
                    f"  upload {args.uploads} × {args.upload_mb} MB through the API: {api_rate:.1f} MB/s"
                )
                print(f"  the same bytes through the storage API directly: {direct_rate:.1f} MB/s")
                print(f"  ratio API / direct: {api_rate / direct_rate:.2f}× (target ≥ 0.5×)")
                print(f"  ratio API / the HTTP server alone: {api_rate / floor_rate:.2f}×")
        finally:
            moto_proc.terminate()
            moto_proc.wait(timeout=30)
    except BaseException:
        log = tmp / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:])
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
