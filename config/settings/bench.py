"""Settings for measuring the pages (bench/bench_pages.py): what production does where it
bears on speed — DEBUG off, Django's cached template loader (the default without DEBUG),
sessions in the database, the two-factor check on every request, PostgreSQL with JIT off
(base) — without production's host and HTTPS settings, since Django's test client speaks plain
HTTP to ``testserver``. Never used to serve anything; generate_scale runs under it (it refuses
only ``production``)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver"]
TANDEM_ENVIRONMENT = "bench"
# The default, written out: the bench logs its users in with a confirmed second factor, as
# production asks of every role that reads case files.
TANDEM_REQUIRE_2FA = True
