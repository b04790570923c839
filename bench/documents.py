"""Documents: upload throughput through the API against writing the same bytes with the storage
API directly (target ≥ 0.5×), and the peak RSS growth of a web process streaming a 200 MB
document (target ≤ 30 MB). Prints figures, asserts nothing.

Run from the repository root: ``python bench/documents.py [--upload-mb 20] [--uploads 3]
[--stream-mb 200]``. A fresh SQLite database and a document folder in a temporary directory;
one gunicorn worker (sync) on 127.0.0.1 at a free port. Both figures come from the same run:
the reference (direct storage writes) is measured in this run, on this machine, just after the
API uploads. The peak RSS is the worker's VmHWM (/proc) before and after the download, on a
fresh worker (nothing else ran in it but a warm-up request).
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


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "motcua.wsgi",
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
        from motcua.documents import services, storage
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

        # 2. upload throughput through the API vs the storage API directly (same bytes)
        data = PNG_HEAD + os.urandom(args.upload_mb * 1024 * 1024 - len(PNG_HEAD))
        body, content_type = multipart("tai-len.png", data)
        proc, base = serve(env)
        try:
            url = f"{base}/api/v1/dossiers/{dossier.code}/documents"
            urllib.request.urlopen(urllib.request.Request(url, headers=auth), timeout=60).read()  # noqa: S310
            started = time.perf_counter()
            for _ in range(args.uploads):
                request = urllib.request.Request(  # noqa: S310
                    url, data=body, headers={**auth, "Content-Type": content_type}, method="POST"
                )
                with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
                    assert answer.status == 201  # noqa: S101
            api_seconds = time.perf_counter() - started
        finally:
            stop(proc)
        started = time.perf_counter()
        for _ in range(args.uploads):
            storage.save(storage.new_key("bench"), io.BytesIO(data))
        direct_seconds = time.perf_counter() - started
        total_mb = args.upload_mb * args.uploads
        api_rate, direct_rate = total_mb / api_seconds, total_mb / direct_seconds
        print(f"upload {args.uploads} × {args.upload_mb} MB through the API: {api_rate:.1f} MB/s")
        print(f"the same bytes through the storage API directly: {direct_rate:.1f} MB/s")
        print(f"ratio API / direct: {api_rate / direct_rate:.2f}× (target ≥ 0.5×)")
    except BaseException:
        log = tmp / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:])
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
