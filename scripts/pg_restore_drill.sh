#!/usr/bin/env bash
# Restore drill on PostgreSQL: a backup made by scripts/pg_backup.sh is restored into a new
# database with pg_restore, its files put back, and the portal must come up on it:
#   - no migration pending (manage.py migrate --check);
#   - the portal under gunicorn (production settings) answers /healthz with 200 "ok" (with
#     REDIS_URL set, a Celery worker is started too, under a Redis key prefix of the drill's own);
#   - every rendered report's PDF in the restored files matches the SHA-256 the database holds;
#   - made by the drill itself: the restored database has the row count of every model of the
#     portal it backed up.
#
#   scripts/pg_restore_drill.sh                     # CI: make a portal (sample portfolio, a rendered
#                                                   # report), back it up, restore it, check
#   scripts/pg_restore_drill.sh DUMP MEDIA_TAR      # an operator's backup, restored into a scratch
#                                                   # database (migrated forward if older), checked
#
# DATABASE_URL names the PostgreSQL server (postgres://user[:password]@host:port/any): its database
# is never touched; the drill creates its own (cap_drill_source_<pid>_<random>,
# cap_drill_restored_<pid>_<random>) and drops them on exit. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to a database on the PostgreSQL server to drill on, postgres://…}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "pg_restore_drill.sh: DATABASE_URL is not PostgreSQL" >&2; exit 2 ;;
esac
server=${DATABASE_URL%%\?*}
server=${server%/*}
suffix="$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
source_db="cap_drill_source_$suffix"
target_db="cap_drill_restored_$suffix"
work=$(mktemp -d)
databases=()
processes=()

cleanup() {
  local status=$?
  for pid in "${processes[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${processes[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "${databases[@]}"; do
    psql "$server/postgres" -qAtc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true
  done
  rm -rf "$work"
  if [ "$status" -eq 0 ]; then echo "DRILL PASSED"; else echo "DRILL FAILED (exit $status)" >&2; fi
}
trap cleanup EXIT

fail() {
  echo "pg_restore_drill.sh: $*" >&2
  exit 1
}
step() { echo "== drill: $*"; }
create_database() {
  psql "$server/postgres" -qAtc "CREATE DATABASE \"$1\""
  databases+=("$1")
}
manage() { uv run python manage.py "$@"; }

export DJANGO_SETTINGS_MODULE=cap_portal.settings.local
export REDIS_KEY_PREFIX="cap-drill-$suffix:"
export REDIS_URL="${REDIS_URL:-}"

# Row counts of every backed-up model, one "label count" a line.
ROW_COUNTS='from cap_portal.backup import row_counts
for label, n in sorted(row_counts().items()):
    print(label, n)'

if [ $# -eq 0 ]; then
  step "a portal to back up ($source_db): migrate, sample portfolio, one rendered report"
  create_database "$source_db"
  export DATABASE_URL="$server/$source_db" MEDIA_ROOT="$work/media-source"
  manage migrate --no-input -v 0
  # Rendered in-process whatever REDIS_URL says: no worker runs yet.
  CELERY_TASK_ALWAYS_EAGER=true manage shell -c '
import datetime
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from parties.models import Party
from reports.models import ReportVersion
from reports.services import report_create, report_render_request

call_command("load_sample_data", verbosity=0)
user = get_user_model().objects.get(username="casemanager")
report = report_create(user=user, data={
    "symbol": "SC99 Doc. DRILL", "meeting_name": "Restore drill", "meeting_place": "Geneva",
    "meeting_start": datetime.date(2025, 2, 3), "meeting_end": datetime.date(2025, 2, 8),
    "agenda_headings": "Drill", "language": "en", "as_of": datetime.date(2024, 12, 1),
    "parties": [Party.objects.get(code="TG")],
})
with transaction.atomic():
    render = report_render_request(report=report, user=user)
assert ReportVersion.objects.filter(render=render).exists(), "the drill report was not rendered"
' >/dev/null
  manage shell -c "$ROW_COUNTS" >"$work/source-counts.txt"

  step "backup with scripts/pg_backup.sh"
  scripts/pg_backup.sh "$work/backups" >"$work/backup-files.txt"
  dump=$(grep '\.dump$' "$work/backup-files.txt")
  media_tar=$(grep -- '-media\.tar\.gz$' "$work/backup-files.txt")
  self_made=1
elif [ $# -eq 2 ]; then
  dump=$1
  media_tar=$2
  self_made=0
else
  fail "usage: scripts/pg_restore_drill.sh [DUMP MEDIA_TAR]"
fi

sums="${dump%.dump}.sha256"
if [ -f "$sums" ]; then
  step "checksums ($sums)"
  (cd "$(dirname "$sums")" && sha256sum --check --quiet "$(basename "$sums")") || fail "the backup files do not match $sums"
fi

step "pg_restore into a new database ($target_db), files into a new MEDIA_ROOT"
create_database "$target_db"
export DATABASE_URL="$server/$target_db" MEDIA_ROOT="$work/media-restored"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dump" \
  || fail "pg_restore failed"
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$media_tar" --directory="$MEDIA_ROOT" || fail "the files could not be extracted"

step "migrations"
if ! manage migrate --check -v 0; then
  [ "$self_made" -eq 1 ] && fail "the restored database has migrations pending"
  echo "the backup is of an older schema: migrating it forward"
  manage migrate --no-input -v 0
fi

if [ "$self_made" -eq 1 ]; then
  step "row counts of every model against the portal backed up"
  manage shell -c "$ROW_COUNTS" >"$work/restored-counts.txt"
  diff -u "$work/source-counts.txt" "$work/restored-counts.txt" || fail "row counts differ after restore"
fi

step "every rendered report's PDF against its checksum"
manage shell -c '
import hashlib
from pathlib import Path
from django.conf import settings
from reports.models import ReportVersion

bad, checked = [], 0
for version in ReportVersion.objects.order_by("pk"):
    file = Path(settings.MEDIA_ROOT) / version.pdf.name
    found = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else "missing"
    if found != version.sha256:
        bad.append((version.pk, version.pdf.name, found))
    checked += 1
print(f"{checked} report versions checked")
if bad:
    raise SystemExit(f"report PDFs that do not match their checksum: {bad}")
' >"$work/reports.txt" || { cat "$work/reports.txt"; fail "report checksums"; }
cat "$work/reports.txt"
if [ "$self_made" -eq 1 ] && grep -q '^0 report versions' "$work/reports.txt"; then
  fail "no report version was restored"
fi

step "the portal on the restored database: /healthz"
port=$(uv run python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ -n "$REDIS_URL" ]; then
  setsid uv run celery -A cap_portal worker --pool=solo --concurrency=1 --loglevel=WARNING \
    --hostname="drill-$suffix@%h" >"$work/worker.log" 2>&1 &
  processes+=($!)
fi
SECRET_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') DJANGO_SETTINGS_MODULE=cap_portal.settings.production \
  ALLOWED_HOSTS=127.0.0.1 setsid uv run gunicorn cap_portal.wsgi:application --bind "127.0.0.1:$port" \
  --workers 1 --log-level warning >"$work/gunicorn.log" 2>&1 &
processes+=($!)
health=""
for _ in $(seq 1 60); do
  if health=$(curl --silent --show-error --max-time 5 --fail "http://127.0.0.1:$port/healthz" 2>&1) \
    && grep -q '"status": *"ok"' <<<"$health"; then
    break
  fi
  health="not healthy: $health"
  sleep 1
done
echo "/healthz: $health"
if ! grep -q '"status": *"ok"' <<<"$health"; then
  tail -n 20 "$work/gunicorn.log" "$work/worker.log" 2>/dev/null || true
  fail "/healthz is not green on the restored database"
fi
