"""The online uploads of before this app: each dossier folder under MEDIA_ROOT/dossiers/<code>/
had a manifest.json listing its files. Each listed file becomes a Document row, its bytes
copied into the document storage under a random key (stored before the rows commit). The old
folders are left as they were (nothing reads them any more; an operator may delete them once
the migration has run); running again adds nothing twice (matched by dossier and SHA-256)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def _pages(path):
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            return None
        return len(reader.pages) or None
    except Exception:  # noqa: BLE001 - an old file that does not parse keeps no page count
        return None


def forwards(apps, schema_editor):
    from motcua.documents import storage

    Dossier = apps.get_model("dossiers", "Dossier")
    RequiredDocument = apps.get_model("catalog", "RequiredDocument")
    Document = apps.get_model("documents", "Document")
    DocumentEvent = apps.get_model("documents", "DocumentEvent")
    root = Path(settings.MEDIA_ROOT) / "dossiers"
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            continue
        dossier = Dossier.objects.filter(code=folder.name).first()
        if dossier is None:
            continue
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        papers = {p.name: p for p in RequiredDocument.objects.filter(procedure_id=dossier.procedure_id)}
        for entry in entries:
            source = folder / str(entry.get("stored_name", ""))
            if not source.is_file() or source.parent != folder:
                continue
            sha = str(entry.get("sha256", ""))
            if Document.objects.filter(dossier=dossier, sha256=sha).exists():
                continue
            with open(source, "rb") as f:  # noqa: PTH123
                key = storage.save(storage.new_key(f"d/{dossier.pk}"), f)
            at = parse_datetime(str(entry.get("at", ""))) or timezone.now()
            kind = "supplement" if entry.get("kind") == "supplement" else "submitted"
            paper = papers.get(str(entry.get("document", "")))
            doc = Document.objects.create(
                dossier=dossier,
                paper=paper,
                paper_name=str(entry.get("document", ""))[:500],
                kind=kind,
                source="online",
                name=str(entry.get("sent_name", "") or source.name)[:255],
                media_type=str(entry.get("content_type", "application/octet-stream"))[:100],
                size=int(entry.get("size") or source.stat().st_size),
                sha256=sha,
                pages=_pages(source) if entry.get("content_type") == "application/pdf" else None,
                storage_key=key,
                added_at=at,
            )
            DocumentEvent.objects.create(
                dossier=dossier,
                document=doc,
                at=timezone.now(),
                kind="migrated",
                from_status=dossier.status,
                to_status=dossier.status,
                note=f"{doc.name} ({doc.paper_name})",
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
