#!/usr/bin/env bash
# The production shape, run end to end (CI runs it from .ci/run; no Docker needed):
#   gunicorn, a Celery worker and Celery beat with the PRODUCTION settings
#   (cap_portal.settings.production) on a scratch PostgreSQL database and a Redis database of
#   its own, with uploads and rendered reports in S3-compatible object storage (moto's S3
#   server, `uv run moto_server`, a bucket of its own: OBJECT_STORAGE_*), and through the API:
#   - /healthz answers 200 with a worker;
#   - the first case manager is created with the documented command (create_case_manager);
#   - no account holds the demo password README publishes (the demo users do not exist here);
#   - the case manager invites a focal point through the API; the invitation e-mail (written to
#     files: EMAIL_URL=filemail://) carries the link; the person sets a password on the
#     acceptance page and signs in on /login/, holding the role for their Party;
#   - a one-Party report is rendered; the worker is killed (kill -9) while the job runs; a new
#     worker is started; the reaper (beat: reports.reap_stalled_renders, with a short stall
#     interval for this run) fails the dead job and queues it again once; the render ends done
#     with exactly one version, whose PDF (downloaded through the API) matches its SHA-256;
#   - that PDF is an object in the bucket (the same bytes), and nothing was written to MEDIA_ROOT;
#   - 2 × 100 concurrent PATCHes with If-Match (retrying on 412) of one report: none is lost.
# Everything it starts (the S3 server too) is stopped on exit, and the database and its Redis
# keys are dropped.
#
#   scripts/production_shape_check.sh
#
# DATABASE_URL names the PostgreSQL server (postgres://user[:password]@host:port/any; default
# postgres://postgres@127.0.0.1:5432/postgres): its database is never touched, the check creates
# cap_shape_<pid>_<random>. SHAPE_REDIS_URL (default redis://127.0.0.1:6379/12) is the Redis
# database it uses, under a key prefix of its own. Exits non-zero on any failed step.
set -euo pipefail
cd "$(dirname "$0")/.."

database_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
case "$database_url" in
  postgres://* | postgresql://*) ;;
  *) echo "production_shape_check.sh: DATABASE_URL is not PostgreSQL" >&2; exit 2 ;;
esac
server=${database_url%%\?*}
server=${server%/*}
suffix="$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
database="cap_shape_$suffix"
work=$(mktemp -d)
started=$SECONDS
processes=()
database_created=0

export DJANGO_SETTINGS_MODULE=cap_portal.settings.production
export DATABASE_URL="$server/$database"
export REDIS_URL="${SHAPE_REDIS_URL:-redis://127.0.0.1:6379/12}"
export REDIS_KEY_PREFIX="cap-shape-$suffix:"
export SECRET_KEY
SECRET_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
# Plain HTTP on localhost: the settings production reads, nothing else relaxed.
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false \
  CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static" CELERY_BROKER_DIR="$work/celery"
# A dead worker's job is noticed after 8 s without a heartbeat (two minutes in production).
export RENDER_HEARTBEAT_INTERVAL=1 RENDER_STALL_AFTER=8 RENDER_REAP_EVERY=2
# 2 × 100 read-write cycles with their retries pass 600 requests a minute on one token, the
# default per-token rate: this check lets one token send more (the throttle has its own tests).
export API_THROTTLE_TOKEN=6000/minute API_THROTTLE_USER=6000/minute
# E-mails (the invitation) are written to files the check reads.
export EMAIL_URL="filemail:///$work/mail"
export CAP_CASE_MANAGER_PASSWORD
CAP_CASE_MANAGER_PASSWORD="Shape-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

stop_group() {  # the process group of a background service: TERM, then KILL
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  for pid in "${processes[@]}"; do stop_group "$pid"; done
  for pid in "${processes[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$database_created" -eq 1 ]; then
    psql "$server/postgres" -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null || true
  fi
  redis-cli -u "$REDIS_URL" --scan --pattern "${REDIS_KEY_PREFIX}*" 2>/dev/null \
    | xargs -r redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -f "$log" ] && { echo "--- $(basename "$log") (last lines)"; tail -n 15 "$log"; }
    done >&2
  fi
  rm -rf "$work"
  if [ "$status" -eq 0 ]; then
    echo "PRODUCTION SHAPE PASSED ($((SECONDS - started)) s)"
  else
    echo "PRODUCTION SHAPE FAILED (exit $status)" >&2
  fi
}
trap cleanup EXIT

fail() {
  echo "production_shape_check.sh: $*" >&2
  exit 1
}
step() { echo "== shape: $*"; }
manage() { uv run python manage.py "$@"; }

start() {  # start NAME COMMAND…: in its own process group, logged to $work/NAME.log
  local name=$1
  shift
  setsid "$@" >"$work/$name.log" 2>&1 &
  processes+=($!)
  eval "pid_$name=$!"
}

start_worker() {
  start "$1" uv run celery -A cap_portal worker --pool=solo --concurrency=1 --loglevel=INFO \
    --without-gossip --without-mingle --hostname="shape-$1-$suffix@%h"
}

# The API client (standard library only): its steps are called below.
cat >"$work/client.py" <<'PY'
import hashlib
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

BASE = os.environ.get("SHAPE_URL", "")
TOKEN = os.environ.get("SHAPE_TOKEN", "")


def call(method, path, body=None, headers=None, raw=False):
    request = urllib.request.Request(
        BASE + path, method=method, data=None if body is None else json.dumps(body).encode()
    )
    request.add_header("Accept", "application/json")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if TOKEN:
        request.add_header("Authorization", f"Token {TOKEN}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
            return response.status, response.headers, data if raw else json.loads(data or b"null")
    except urllib.error.HTTPError as error:
        data = error.read()
        try:
            data = json.loads(data)
        except ValueError:
            data = data[:300]
        return error.code, error.headers, data


def expect(status, wanted, what, body):
    if status != wanted:
        sys.exit(f"{what}: HTTP {status} (expected {wanted}): {body}")


def wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    sys.exit(f"timed out ({timeout} s) waiting for {what}")


def token(username, password):
    status, _, body = call("POST", "/api/v1/auth/token/", {"username": username, "password": password})
    expect(status, 200, "token", body)
    print(body["token"])


def no_published_password():
    """README's demo accounts and password open nothing on the production shape."""
    for username in ("casemanager", "viewer", "ma.togo", "sa.togo", "donor.eu"):
        status, _, body = call("POST", "/api/v1/auth/token/", {"username": username, "password": "cap-demo-2025"})
        if status == 200:
            sys.exit(f"the demo account {username} signs in with README's password")
    print("no demo account signs in with README's published password")


class Browser:
    """A cookie-keeping client posting forms as a browser does (CSRF token from the page)."""

    def __init__(self):
        import http.cookiejar

        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        with self.opener.open(BASE + path, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path, fields):
        import re
        import urllib.parse

        _status, _url, page = self.get(path)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if csrf is None:
            sys.exit(f"{path}: no form with a CSRF token")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf.group(1), **fields}).encode()
        request = urllib.request.Request(BASE + path, data=data, method="POST")
        request.add_header("Referer", BASE + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode()[:500]


def onboard(mail_dir):
    """The case manager invites a focal point for Togo; the link from the e-mail; a password set
    on the acceptance page; a sign-in on /login/ with it; the role held (the API says so)."""
    import pathlib
    import re

    address = "focal.point@example.org"
    status, _, body = call(
        "POST", "/api/v1/invitations/", {"email": address, "role": "ma_focal_point", "party": "TG", "language": "fr"}
    )
    expect(status, 201, "invitation", body)
    mails = sorted(pathlib.Path(mail_dir).glob("*.log")) if pathlib.Path(mail_dir).exists() else []
    text = "".join(m.read_text(errors="replace") for m in mails)
    links = re.findall(r"(https?://\S+/people/invitations/accept/[^/\s]+/)", text)
    if address not in text or not links:
        sys.exit(f"no invitation e-mail with a link to {address} in {mail_dir}")
    path = "/" + links[-1].split("/", 3)[3]
    password = "Onboard-" + os.urandom(6).hex()
    status, url, page = Browser().post(
        path, {"username": "focal.togo", "password": password, "password_confirm": password}
    )
    if status != 200 or "/people/invitations/accept/" in url:
        sys.exit(f"accepting the invitation: HTTP {status} at {url}: {page[:300]}")
    person = Browser()
    status, url, page = person.post("/login/", {"login": "focal.togo", "password": password})
    if status != 200 or "/login/" in url:
        sys.exit(f"signing in with the new password: HTTP {status} at {url}")
    with person.opener.open(urllib.request.Request(BASE + "/api/v1/me/", headers={"Accept": "application/json"})) as r:
        me = json.loads(r.read())
    roles = [(role["role"], role["party"]) for role in me["roles"]]
    if roles != [("ma_focal_point", "TG")]:
        sys.exit(f"the new focal point holds {roles}, not the MA focal point role for Togo")
    print(f"invited {address}; the link from the e-mail set a password; signed in as focal.togo: {roles}")


def report():
    status, _, body = call(
        "POST",
        "/api/v1/reports/",
        {
            "symbol": "SC99 Doc. SHAPE",
            "meeting_name": "Production shape check",
            "meeting_place": "Concurrency 0",
            "meeting_start": "2025-02-03",
            "meeting_end": "2025-02-08",
            "agenda_headings": "Strategic matters",
            "language": "en",
            "as_of": "2024-12-01",
            "parties": ["TG"],
        },
    )
    expect(status, 201, "create the report", body)
    print(body["id"])


def render(report_id):
    status, _, body = call("POST", f"/api/v1/reports/{report_id}/render/", {})
    expect(status, 202, "POST render", body)
    print(body["id"])


def job(job_id):
    status, _, body = call("GET", f"/api/v1/report-renders/{job_id}/")
    expect(status, 200, "the render job", body)
    return body


def running(job_id):
    """Wait until the job runs with some progress (percent > 0); fail if it finished first."""
    body = wait(lambda: (b := job(job_id))["percent"] > 0 and b, 90, "the render to start")
    if body["state"] != "running":
        sys.exit(f"the render was {body['state']} before the worker could be killed: {body}")
    print(f"job {job_id}: {body['state']} {body['percent']} % ({body['message']})")


def still_running(job_id):
    body = job(job_id)
    if body["state"] != "running" or body["version"] is not None:
        sys.exit(f"the killed worker's job is {body['state']}, not running: {body}")
    print(f"job {job_id} after the kill: {body['state']} {body['percent']} %")


def finished(report_id, job_id):
    """The killed job is failed and queued again once by the reaper; the new job is done with
    exactly one version of the report, whose PDF matches its SHA-256."""

    def done():
        status, _, body = call("GET", f"/api/v1/report-renders/?report={report_id}&page_size=50")
        expect(status, 200, "the render jobs", body)
        jobs = body["results"] if isinstance(body, dict) else body
        return [j for j in jobs if j["state"] == "done"] and jobs

    jobs = wait(done, 120, "a render of the report to be done")
    finished_jobs = [j for j in jobs if j["state"] == "done"]
    if len(finished_jobs) != 1:
        sys.exit(f"expected one done job, got {finished_jobs}")
    final = finished_jobs[0]
    killed = job(job_id)
    if final["id"] != job_id:
        if final["retry_of"] != job_id or killed["state"] != "failed":
            sys.exit(f"the done job {final} is not the killed job's retry ({killed})")
        print(f"job {job_id}: {killed['state']}: {killed['message']}")
    print(f"job {final['id']}: done, version {final['version']['number']}")
    status, _, body = call("GET", f"/api/v1/report-versions/?report={report_id}")
    expect(status, 200, "the versions", body)
    versions = body["results"] if isinstance(body, dict) else body
    if len(versions) != 1 or versions[0]["render"] != final["id"]:
        sys.exit(f"expected exactly one version, of job {final['id']}: {versions}")
    status, headers, pdf = call("GET", f"/api/v1/report-versions/{versions[0]['id']}/pdf/", raw=True)
    expect(status, 200, "the PDF", pdf[:200])
    found = hashlib.sha256(pdf).hexdigest()
    if not pdf.startswith(b"%PDF") or found != versions[0]["sha256"]:
        sys.exit(f"the PDF does not match its SHA-256: {found} != {versions[0]['sha256']}")
    print(f"exactly one version; its PDF ({len(pdf)} bytes) matches SHA-256 {found[:16]}…")


def bucket(report_id):
    """The version's PDF is an object in the bucket (OBJECT_STORAGE_*), the bytes the API serves."""
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["OBJECT_STORAGE_ENDPOINT_URL"],
        region_name=os.environ["OBJECT_STORAGE_REGION"],
        aws_access_key_id=os.environ["OBJECT_STORAGE_ACCESS_KEY"],
        aws_secret_access_key=os.environ["OBJECT_STORAGE_SECRET_KEY"],
    )
    name = os.environ["OBJECT_STORAGE_BUCKET"]
    listing = s3.list_objects_v2(Bucket=name, Prefix=f"reports/{report_id}/")
    keys = [item["Key"] for item in listing.get("Contents", [])]
    status, _, body = call("GET", f"/api/v1/report-versions/?report={report_id}")
    expect(status, 200, "the versions", body)
    version = (body["results"] if isinstance(body, dict) else body)[0]
    status, _, served = call("GET", f"/api/v1/report-versions/{version['id']}/pdf/", raw=True)
    expect(status, 200, "the PDF", served[:200])
    stored = {key: s3.get_object(Bucket=name, Key=key)["Body"].read() for key in keys if key.endswith(".pdf")}
    matching = [key for key, data in stored.items() if hashlib.sha256(data).hexdigest() == version["sha256"]]
    if len(matching) != 1 or stored[matching[0]] != served:
        sys.exit(f"the version's PDF is not one object of bucket {name}: {keys}")
    print(f"bucket {name}: {len(keys)} objects under reports/{report_id}/; the PDF is {matching[0]}")


def make_bucket(name):
    import boto3

    boto3.client(
        "s3",
        endpoint_url=os.environ["OBJECT_STORAGE_ENDPOINT_URL"],
        region_name=os.environ["OBJECT_STORAGE_REGION"],
        aws_access_key_id=os.environ["OBJECT_STORAGE_ACCESS_KEY"],
        aws_secret_access_key=os.environ["OBJECT_STORAGE_SECRET_KEY"],
    ).create_bucket(Bucket=name)


def concurrency(report_id, loops=2, each=50):
    """loops × each read-increment-write updates of one report's meeting_place, with If-Match and
    a retry on 412: the counter ends at loops × each, or an update was lost."""
    path = f"/api/v1/reports/{report_id}/"
    refused, errors = [0], []

    def loop():
        for _ in range(each):
            for _attempt in range(200):
                status, headers, body = call("GET", path)
                if status != 200:
                    errors.append(f"GET {status} {body}")
                    return
                count = int(body["meeting_place"].rsplit(" ", 1)[1])
                status, _, body = call(
                    "PATCH", path, {"meeting_place": f"Concurrency {count + 1}"}, {"If-Match": headers["ETag"]}
                )
                if status == 200:
                    break
                if status != 412:
                    errors.append(f"PATCH {status} {body}")
                    return
                refused[0] += 1
            else:
                errors.append("200 attempts refused")
                return

    threads = [threading.Thread(target=loop) for _ in range(loops)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        sys.exit(f"concurrent updates failed: {errors[:3]}")
    status, _, body = call("GET", path)
    expect(status, 200, "the report", body)
    # Without If-Match the write is refused (428): no update can skip the check.
    refused_without, _, _ = call("PATCH", path, {"meeting_place": "Concurrency lost"})
    print(
        f"{loops} × {each} concurrent PATCHes: counter at {body['meeting_place'].rsplit(' ', 1)[1]}, "
        f"{refused[0]} stale writes refused (412) and retried; without If-Match: {refused_without}"
    )
    if body["meeting_place"] != f"Concurrency {loops * each}":
        sys.exit(f"an update was lost: {body['meeting_place']!r}, expected Concurrency {loops * each}")
    if refused_without != 428:
        sys.exit(f"a PATCH without If-Match answered {refused_without}, not 428")


if __name__ == "__main__":
    globals()[sys.argv[1]](*[int(a) if a.isdigit() else a for a in sys.argv[2:]])
PY
client() { uv run python "$work/client.py" "$@"; }

step "gunicorn is a locked dependency"
grep -q '^name = "gunicorn"$' uv.lock || fail "gunicorn is not in uv.lock"

step "scratch database $database; Redis $REDIS_URL under the prefix $REDIS_KEY_PREFIX"
psql "$server/postgres" -qAtc "CREATE DATABASE \"$database\"" || fail "could not create $database"
database_created=1
redis-cli -u "$REDIS_URL" ping >/dev/null || fail "Redis does not answer at $REDIS_URL"

step "S3-compatible object storage (moto_server) with a bucket of its own"
free_port() { uv run python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
s3_port=$(free_port)
start s3 uv run moto_server -H 127.0.0.1 -p "$s3_port"
export OBJECT_STORAGE_BUCKET="cap-shape-${suffix//_/-}" OBJECT_STORAGE_ENDPOINT_URL="http://127.0.0.1:$s3_port" \
  OBJECT_STORAGE_REGION=us-east-1 OBJECT_STORAGE_ACCESS_KEY=shape OBJECT_STORAGE_SECRET_KEY=shape-secret
for _ in $(seq 1 60); do
  curl --silent --max-time 2 --output /dev/null "$OBJECT_STORAGE_ENDPOINT_URL/" && break
  sleep 0.5
done
client make_bucket "$OBJECT_STORAGE_BUCKET" || fail "could not create the bucket at $OBJECT_STORAGE_ENDPOINT_URL"

step "migrate, the CITES Parties, the first case manager (create_case_manager --no-input)"
manage migrate --no-input -v 0
manage load_parties
manage create_case_manager --username shape-manager --email shape-manager@example.org --no-input

step "gunicorn, a Celery worker and Celery beat (production settings)"
port=$(free_port)
export SHAPE_URL="http://127.0.0.1:$port" PORTAL_URL="http://127.0.0.1:$port"  # links in e-mails
start web uv run gunicorn cap_portal.wsgi:application --bind "127.0.0.1:$port" --workers 2 --threads 2 \
  --timeout 60 --log-level warning
start_worker worker1
start beat uv run celery -A cap_portal beat --loglevel=INFO --schedule "$work/celerybeat-schedule"

step "/healthz answers 200 with a worker"
health=""
for _ in $(seq 1 90); do
  if health=$(curl --silent --show-error --max-time 5 --fail "$SHAPE_URL/healthz" 2>&1) \
    && grep -q '"status": *"ok"' <<<"$health" && grep -q '"workers": *[1-9]' <<<"$health"; then
    break
  fi
  health="not healthy: $health"
  sleep 1
done
echo "/healthz: $health"
grep -q '"status": *"ok"' <<<"$health" || fail "/healthz is not green"
grep -q '"jobs"' <<<"$health" || fail "/healthz has no jobs check"

step "no account holds README's published demo password"
client no_published_password

step "an API token for the case manager; they invite a focal point, who sets a password and signs in"
SHAPE_TOKEN=$(client token shape-manager "$CAP_CASE_MANAGER_PASSWORD")
export SHAPE_TOKEN
client onboard "$work/mail"

step "a one-Party report, POST render (202)"
report_id=$(client report)
job_id=$(client render "$report_id")
echo "report $report_id, render job $job_id"

step "kill -9 the worker while the job runs, start another"
client running "$job_id"
kill -KILL -- "-$pid_worker1"
{ wait "$pid_worker1"; } 2>/dev/null || true
client still_running "$job_id"
start_worker worker2

step "the reaper notices the dead worker; the render ends done with exactly one version"
client finished "$report_id" "$job_id"
grep -q "reports.reap_stalled_renders" "$work/beat.log" || fail "beat did not send the reaper task"

step "the PDF is in the bucket, and nothing was written to MEDIA_ROOT"
client bucket "$report_id"
[ -z "$(find "$MEDIA_ROOT" -type f 2>/dev/null)" ] || fail "files were written under MEDIA_ROOT: $(find "$MEDIA_ROOT" -type f)"

step "concurrency: 2 × 100 PATCHes with If-Match of one report, retried on 412"
client concurrency "$report_id" 2 100

step "/healthz is still green"
curl --silent --fail --max-time 5 "$SHAPE_URL/healthz" >/dev/null || fail "/healthz is not green at the end"
