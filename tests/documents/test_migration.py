"""The upload manifests of before the documents app become Document rows (migration 0002), their
bytes copied into the document storage; running it again adds nothing twice."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.documents import services
from motcua.documents.models import Document
from tests.documents.conftest import PNG, online_dossier, pdf_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def test_the_manifests_on_disk_become_document_rows(settings, tmp_path, office, procedure):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MOTCUA_DOCUMENTS = {
        **settings.MOTCUA_DOCUMENTS,
        "ROOT": str(tmp_path / "docs"),
        "S3_BUCKET": "",
    }
    d = online_dossier(procedure, office.ward)
    folder = tmp_path / "uploads" / "dossiers" / d.code
    folder.mkdir(parents=True)
    pdf = pdf_bytes(2)
    files = [
        ("a" * 32 + ".pdf", pdf, "Tờ khai đăng ký", "to-khai.pdf", "application/pdf", "submission"),
        ("b" * 32 + ".png", PNG, "Giấy khai sinh", "khai-sinh.png", "image/png", "supplement"),
    ]
    manifest = []
    for stored, data, paper, sent, mime, kind in files:
        (folder / stored).write_bytes(data)
        manifest.append(
            {
                "document": paper,
                "stored_name": stored,
                "sent_name": sent,
                "size": len(data),
                "content_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "at": "2026-11-30T08:00:00+00:00",
                "kind": kind,
            }
        )
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False), encoding="utf-8"
    )
    migrate([("documents", "0001_initial")])
    migrate([("documents", "0002_from_upload_manifests")])
    docs = list(Document.objects.filter(dossier=d).order_by("pk"))
    assert [(x.paper.name, x.name, x.kind, x.source, x.pages) for x in docs] == [
        ("Tờ khai đăng ký", "to-khai.pdf", "submitted", "online", 2),
        ("Giấy khai sinh", "khai-sinh.png", "supplement", "online", None),
    ]
    assert b"".join(services.content_of(docs[0])) == pdf
    assert docs[0].events.get().kind == "migrated"
    migrate([("documents", "0001_initial")])
    migrate([("documents", "0002_from_upload_manifests")])
    assert Document.objects.filter(dossier=d).count() == 2
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
