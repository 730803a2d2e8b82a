#!/usr/bin/env bash
# Production backup of the portal on PostgreSQL, with the tools operators trust:
#   <dir>/cap-portal-<stamp>.dump        pg_dump custom format (-Fc): restore with pg_restore
#   <dir>/cap-portal-<stamp>-media.tar.gz  every uploaded file and rendered report under MEDIA_ROOT
#   <dir>/cap-portal-<stamp>.sha256      their SHA-256 (sha256sum -c checks them)
#
#   DATABASE_URL=postgres://user@host:5432/cap_portal MEDIA_ROOT=/srv/cap/media scripts/pg_backup.sh /backups
#
# The database is dumped first, then the files: every file a dumped row names was written before
# the dump began, so it is in the tar (files are only ever added, never changed in place).
# With the files in an object-storage bucket instead of MEDIA_ROOT, set MEDIA_ROOT= (empty) and
# back the bucket up with its own versioning or replication (see docs/operations.md).
# Prints the paths written; exits non-zero on any failure and leaves no partial backup behind.
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=${1:?usage: scripts/pg_backup.sh OUTPUT_DIR}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database of the portal, postgres://…}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "pg_backup.sh: DATABASE_URL is not PostgreSQL; use manage.py backup_portal" >&2; exit 2 ;;
esac
media_root=${MEDIA_ROOT-var/media}
stamp=$(date -u +%Y%m%d-%H%M%S)
base="$out_dir/cap-portal-$stamp"
mkdir -p "$out_dir"
trap 'rm -f "$base.dump.partial" "$base-media.tar.gz.partial"' EXIT

# libpq reads the URL itself; postgres:// is the Django spelling, postgresql:// libpq's: both work.
pg_dump --format=custom --no-owner --no-privileges --file="$base.dump.partial" "$DATABASE_URL"
mv "$base.dump.partial" "$base.dump"

if [ -n "$media_root" ]; then
  if [ -d "$media_root" ]; then
    tar --create --gzip --file="$base-media.tar.gz.partial" --directory="$media_root" --exclude='./.restore-*' .
  else
    # A portal with no upload yet: an empty archive, so the restore procedure is the same.
    tar --create --gzip --file="$base-media.tar.gz.partial" --files-from=/dev/null
  fi
  mv "$base-media.tar.gz.partial" "$base-media.tar.gz"
fi

written=("$(basename "$base").dump")
[ -n "$media_root" ] && written+=("$(basename "$base")-media.tar.gz")
(cd "$out_dir" && sha256sum "${written[@]}") > "$base.sha256"
for name in "${written[@]}"; do echo "$out_dir/$name"; done
echo "$base.sha256"
