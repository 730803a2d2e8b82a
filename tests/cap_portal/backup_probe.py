"""Run inside ``manage.py shell -c`` by the backup tests, on the database of ``DATABASE_URL`` and
the files of ``MEDIA_ROOT`` (never the pytest-django test database).

``prepare()`` gives a portal something to back up: the sample portfolio, an uploaded file and a
rendered SC report (rendered in-process, as the embedded default does). ``snapshot(path)`` writes
what a restore must give back as JSON: every model's rows (a SHA-256 of their serialized form, in
primary-key order, content types by natural key), the row counts, every file under MEDIA_ROOT with
its SHA-256, and every report version's recorded checksum beside the checksum of its PDF file.
"""

import hashlib
import json
from pathlib import Path

UPLOAD = Path("deliverables") / "ndf.pdf"
UPLOAD_BYTES = b"%PDF-1.7 sample bytes"


def prepare() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from cap_portal.celery import app
    from parties.models import Party
    from reports.models import ReportVersion
    from reports.services import report_render_request
    from tests.reports.conftest import make_report

    call_command("load_sample_data", verbosity=0)
    upload = Path(settings.MEDIA_ROOT) / UPLOAD
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(UPLOAD_BYTES)
    app.conf.update(task_always_eager=True)
    user = get_user_model().objects.get(username="casemanager")
    report = make_report([Party.objects.get(code="TG")], user=user, symbol="SC99 Doc. 1")
    with transaction.atomic():
        render = report_render_request(report=report, user=user)
    version = ReportVersion.objects.get(render=render)
    assert version.pdf.name and version.sha256, "the report was rendered"


def snapshot(path: str) -> None:
    from django.apps import apps
    from django.conf import settings
    from django.core import serializers

    from reports.models import ReportVersion

    tables, counts = {}, {}
    for model in apps.get_models():
        meta = model._meta
        if (
            meta.proxy
            or meta.app_label in {"contenttypes", "sessions"}
            or meta.label_lower == "auth.permission"
        ):
            continue
        digest = hashlib.sha256()
        rows = model._base_manager.order_by("pk")
        for row in serializers.serialize("python", rows, use_natural_foreign_keys=True):
            for name, value in row["fields"].items():
                if isinstance(value, list) and meta.get_field(name).many_to_many:
                    row["fields"][name] = sorted(value, key=json.dumps)
            digest.update(json.dumps(row, sort_keys=True, default=str).encode())
        tables[meta.label_lower] = digest.hexdigest()
        counts[meta.label_lower] = rows.count()
    media_root = Path(settings.MEDIA_ROOT)
    media = {
        str(file.relative_to(media_root)): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(media_root.rglob("*"))
        if file.is_file()
    }
    reports = [
        {
            "pk": version.pk,
            "sha256": version.sha256,
            "pdf_sha256": hashlib.sha256((media_root / version.pdf.name).read_bytes()).hexdigest()
            if (media_root / version.pdf.name).is_file()
            else None,
        }
        for version in ReportVersion.objects.order_by("pk")
    ]
    tg_authorities = apps.get_model("parties", "Party").objects.get(code="TG").authorities.count()
    Path(path).write_text(
        json.dumps(
            {
                "tables": tables,
                "counts": counts,
                "media": media,
                "reports": reports,
                "tg_authorities": tg_authorities,
            },
            indent=1,
        )
    )
