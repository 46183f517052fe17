#!/usr/bin/env bash
# Installs (Debian's postgresql) and starts a local PostgreSQL for the registry tests, creates the
# test role and database, and prints the connection URL. Prints nothing if it cannot; the tests
# then say they were skipped.
set -u
{
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    fi
  fi
  ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  [ -n "$ver" ] || exit 0
  pg_lsclusters 2>/dev/null | grep -q "^$ver *main" || pg_createcluster "$ver" main
  pg_ctlcluster "$ver" main start 2>/dev/null || true
  for i in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='wenshu'\"" | grep -q 1 ||
    su postgres -c "psql -q -c \"CREATE ROLE wenshu LOGIN PASSWORD 'wenshu' SUPERUSER\""
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='wenshu_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O wenshu wenshu_test"
} >&2
pg_isready -q -h 127.0.0.1 && echo "postgres://wenshu:wenshu@127.0.0.1:5432/wenshu_test"
exit 0
