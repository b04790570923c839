"""Where the bytes of documents live: Django's storage API, the filesystem under var/documents
by default, an S3-compatible object store when ``MOTCUA_DOCUMENTS["S3_BUCKET"]`` is set.

Keys are random (``d/<dossier id>/<32 hex>``, ``s/<32 hex>`` for the portal's staging): a file
is stored under its key BEFORE the row naming it commits; a rollback or a killed process leaves
an orphan that `services.sweep_orphans` deletes after a grace period."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage

CHUNK = 256 * 1024


def _config() -> tuple[tuple[str, Any], ...]:
    cfg = settings.MOTCUA_DOCUMENTS
    keys = ("ROOT", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY")
    return tuple((k, cfg.get(k, "")) for k in keys)


@lru_cache(maxsize=8)
def _storage(config: tuple[tuple[str, Any], ...]) -> Storage:
    cfg = dict(config)
    if cfg["S3_BUCKET"]:
        from storages.backends.s3 import S3Storage

        return S3Storage(
            bucket_name=cfg["S3_BUCKET"],
            endpoint_url=cfg["S3_ENDPOINT_URL"] or None,
            region_name=cfg["S3_REGION"] or None,
            access_key=cfg["S3_ACCESS_KEY"] or None,
            secret_key=cfg["S3_SECRET_KEY"] or None,
            default_acl=None,
            querystring_auth=True,
            file_overwrite=True,  # keys are random; skips an existence probe per write
            max_memory_size=CHUNK,  # a file opened through the storage spills to disk
        )
    return FileSystemStorage(
        location=cfg["ROOT"], file_permissions_mode=0o640, directory_permissions_mode=0o750
    )


def document_storage() -> Storage:
    """The storage of documents for the current settings."""
    return _storage(_config())


def new_key(prefix: str) -> str:
    return f"{prefix}/{secrets.token_hex(16)}"


def save(key: str, stream: IO[bytes]) -> str:
    """Store ``stream`` (from its start) under ``key``; returns the key the storage used."""
    from django.core.files import File

    stream.seek(0)
    if hasattr(stream, "temporary_file_path") and hasattr(stream, "chunks"):
        # an upload Django already wrote to disk: the filesystem storage moves it in place
        return document_storage().save(key, stream)
    return document_storage().save(key, File(stream, name=key))


def chunks(key: str) -> Iterator[bytes]:
    """The bytes under ``key``, in chunks (a large file never loads into memory): read from
    the object store's response body as it arrives, or from the file. The file is opened HERE,
    before the first chunk is asked for: a missing one raises FileNotFoundError at the call,
    never in the middle of an answer already under way."""
    st = document_storage()
    bucket = getattr(st, "bucket", None)
    if bucket is not None:
        from botocore.exceptions import ClientError

        try:
            body = bucket.Object(key).get()["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from exc
            raise
        return _body_chunks(body)
    return _file_chunks(st.open(key, "rb"))


def _body_chunks(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


def _file_chunks(f: IO[bytes]) -> Iterator[bytes]:
    with f:
        while block := f.read(CHUNK):
            yield block


def exists(key: str) -> bool:
    return document_storage().exists(key)


def delete(key: str) -> None:
    document_storage().delete(key)


def walk(prefix: str) -> Iterator[str]:
    """Every key under ``prefix`` (recursively)."""
    storage = document_storage()
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}/{name}"
    for d in dirs:
        yield from walk(f"{prefix}/{d}")
