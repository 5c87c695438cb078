#!/usr/bin/env bash
# A rolling deploy's situation, proven: the previous release's code (.ci/previous-release) on the schema the newest
# migrations make. It extracts that release's tree into a temporary folder, replaces its db/migrations with this
# checkout's, and runs that release's API tests on a fresh PostgreSQL database: its test harness migrates the
# database with the folder it finds, so the old queries meet the new tables, columns, constraints and grants.
#
# Which of the old tests: tests/api, every route through the old code (in-process and as API processes), on
# PostgreSQL as deployed (the API connects as milkrun_app). Not tests/db: those are raw-SQL tests of the schema
# itself (a constraint refusing a row, by its name; the app role's grants), the new release's to test with its own
# suite; a later migration may legitimately rename or tighten what they check. Not tests/e2e (the admin in a browser:
# the admin ships with the server, never two at once), tests/seeds, tests/import or tests/ops (scripts an operator
# runs with the new release's code during a deploy).
#
# Usage: scripts/rolling-deploy-check.sh   (CI runs it after npm test; it leaves nothing behind)
#   ROLLING_PG=postgres://user@host:port (default postgres://postgres@127.0.0.1:5432), ROLLING_KEEP=1 keeps the folder,
#   ROLLING_TESTS="tests/api/customers.test.ts ..." runs only those of its tests (to look into a failure; CI runs all).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
PG="${ROLLING_PG:-postgres://postgres@127.0.0.1:5432}"
started=$(date +%s)
step() { echo "== rolling-deploy-check ($(( $(date +%s) - started )) s): $*"; }
fail() { echo "rolling-deploy-check: $*" >&2; exit 1; }

commit=$(sed -n 's/^commit=//p' .ci/previous-release)
migration=$(sed -n 's/^migration=//p' .ci/previous-release)
[ -n "$commit" ] && [ -n "$migration" ] || fail ".ci/previous-release needs commit= and migration= lines"
git cat-file -e "$commit^{commit}" 2>/dev/null ||
  fail "the previous release $commit is not in this clone's history (a shallow clone? git fetch --unshallow)"

# The pointer's migration is that release's last one, and its migrations are unchanged here: production ran them
# once and never runs an edited one again.
old_tags=$(git show "$commit:db/migrations/meta/_journal.json" | sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p')
[ "$(printf '%s\n' "$old_tags" | tail -n 1)" = "$migration" ] ||
  fail "migration=$migration in .ci/previous-release, but $commit's last migration is $(printf '%s\n' "$old_tags" | tail -n 1)"
# edited= in .ci/previous-release names the exceptions: an edit that only a fresh database runs (no database that
# ran the migration runs it again), each with its reason there; an entry whose file no longer differs is stale.
edited=" $(sed -n 's/^edited=//p' .ci/previous-release | tr ',' ' ') "
for tag in $edited; do
  grep -qxF "$tag" <<<"$old_tags" || fail "edited=$tag in .ci/previous-release is not a migration of the previous release"
done
for tag in $old_tags; do
  if git diff --quiet "$commit" -- "db/migrations/$tag.sql"; then
    [[ "$edited" != *" $tag "* ]] || fail "edited=$tag in .ci/previous-release, but it is as the previous release has it: remove it"
  elif [[ "$edited" != *" $tag "* ]]; then
    fail "db/migrations/$tag.sql differs from the previous release's: a released migration never changes (write a new one)"
  fi
done

work="$(mktemp -d)"
db=""
cleanup() {
  [ -n "$db" ] && psql "$PG/postgres" -q -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  if [ "${ROLLING_KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step "the previous release ${commit:0:10} (last migration $migration) into $work/old"
mkdir -p "$work/old"
git archive "$commit" | tar -x -C "$work/old"

if cmp -s package-lock.json "$work/old/package-lock.json"; then
  step "same package-lock.json: this checkout's node_modules"
  ln -s "$root/node_modules" "$work/old/node_modules"
else
  # Its own dependencies, from npm's cache when it holds them (CI's npm ci has just filled it).
  step "package-lock.json differs: npm ci for the previous release"
  (cd "$work/old" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
fi

new_tags=$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' db/migrations/meta/_journal.json)
added=$(printf '%s\n' "$new_tags" | grep -vxF -f <(printf '%s\n' "$old_tags") || true)
step "this checkout's db/migrations in its place; newer than the release: ${added:-none}" | tr '\n' ' '; echo
rm -rf "$work/old/db/migrations"
cp -r db/migrations "$work/old/db/migrations"

db="milkrun_rolling_$$_test"
psql "$PG/postgres" -q -v ON_ERROR_STOP=1 -c "create database $db" >/dev/null
step "the previous release's tests/api on PostgreSQL ($db), the newest schema"
cd "$work/old"
# Its own vitest config (the postgres project, forks in parallel as the project allows); no race project on
# PostgreSQL, no typecheck (its types are its own and were checked when it was released). One retry of a failed
# test: a released test cannot be fixed in place, and a timing flake of it on a loaded machine passes the second
# time, while the old code failing on the new schema fails both times.
# shellcheck disable=SC2086 # a list of paths
TEST_DATABASE_URL="$PG/$db" npx vitest run --project postgres --retry 1 ${ROLLING_TESTS:-tests/api}
step "ok: the previous release's API tests pass on the newest migrations"
