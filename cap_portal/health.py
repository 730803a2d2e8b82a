"""/healthz: is the database answering, the broker reachable, a worker alive, no job stuck?"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from cap_portal.celery import app as celery_app


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as error:  # any failure is a health finding, not a crash
        return {"ok": False, "error": str(error)}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process"}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "broker", "transport": conn.transport_cls}
    except Exception as error:
        return {"ok": False, "error": str(error)}


def check_worker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process", "workers": 0}
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception as error:
        return {"ok": False, "error": str(error)}
    return {"ok": bool(replies), "workers": len(replies)}


def check_jobs() -> dict:
    """Render jobs running without a heartbeat for RENDER_STALL_AFTER: their worker died. The
    reaper (reports.reap_stalled_renders, every minute) deals with them; until it has, or when
    beat is not running, the portal is unhealthy."""
    from reports.services import render_stall_after, running_stalled_q

    try:
        from reports.models import ReportRender

        stalled = ReportRender.objects.filter(running_stalled_q()).count()
    except Exception as error:
        return {"ok": False, "error": str(error)}
    return {
        "ok": stalled == 0,
        "stalled_renders": stalled,
        "stalled_after_seconds": int(render_stall_after().total_seconds()),
    }


@never_cache
def healthz(request):
    checks = {
        "database": check_database(),
        "broker": check_broker(),
        "worker": check_worker(),
        "jobs": check_jobs(),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503
    )
