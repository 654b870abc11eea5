#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL (scripts/postgres.sh) and TEST_POSTGRES_URL set
# to it: the database specs then run on PostgreSQL (each in a fresh database of its own).
#   scripts/with-postgres.sh npx jest --runInBand src/frontend/db
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(bash scripts/postgres.sh start)
dir=$(sed -n 's/^DIR=//p' <<<"$out")
url=$(sed -n 's/^URL=//p' <<<"$out")
trap 'bash scripts/postgres.sh stop "$dir"' EXIT
echo "[with-postgres] PostgreSQL at ${url#*@}"
TEST_POSTGRES_URL=$url "$@"
