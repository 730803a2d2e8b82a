"""Settings for CAP Portal.

- ``base``: everything, read from the environment (django-environ); embedded defaults
  (SQLite, in-process Celery, console e-mail) when no service is configured.
- ``production``: hardened (HTTPS, secure cookies, HSTS); refuses to start without SECRET_KEY.
- ``test``: ``base`` plus fast password hashing; CI points it at PostgreSQL and Redis.
"""
