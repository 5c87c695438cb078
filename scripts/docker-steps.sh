#!/usr/bin/env bash
# The Dockerfile's steps without a Docker engine, on a clean copy of the committed tree, and the way compose.yaml
# runs the image: the build stage (the context as .dockerignore leaves it, npm ci, npm run build), the run stage
# (npm ci --omit=dev in a fresh folder, the built files copied in, no dev package, pg_dump 15+), then as the image's
# non-root user: the migrate service's command as the database's owner (not a superuser, as deploy/postgres-init.sh
# sets up), the image's CMD as a milkrun_app login, its HEALTHCHECK, a login, a list, the admin, and a backup as
# `docker compose exec api npm run backup` takes one. On PostgreSQL (a scratch database and roles) when one answers,
# else on PGlite. The Dockerfile's instructions are listed below: when it changes, this script must follow (it fails).
# Usage: scripts/docker-steps.sh [PORT]   (CI runs it; it leaves nothing behind)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
PORT="${1:-3199}"
PGHOST_URL="${DOCKER_STEPS_PG:-postgres://postgres@127.0.0.1:5432}"
fail() { echo "docker-steps: $*" >&2; exit 1; }

# Every instruction of the Dockerfile, as this script mirrors it (comments and blank lines aside). Not mirrored:
# `npm cache clean --force` (the image's size only; it would empty CI's cache), EXPOSE and PORT=3000 (a free port here).
mirrored='FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/admin/dist ./admin/dist
COPY scripts/launch.mjs ./scripts/launch.mjs
RUN mkdir -p /app/.data /backups && chown node:node /app/.data /backups
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('"'"'http://127.0.0.1:'"'"'+process.env.PORT+'"'"'/api/health'"'"').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/server.js"]'
if ! drift=$(diff <(printf '%s\n' "$mirrored") <(grep -v -e '^#' -e '^[[:space:]]*$' Dockerfile)); then
  printf '%s\n' "$drift"
  fail "the Dockerfile changed (above: < what this script mirrors, > the Dockerfile): make the steps below do the same, then update the list"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "the image runs Node 20 (FROM node:20-bookworm-slim), this machine $(node -v)"

work="$(mktemp -d)"
db=""
roles=()
server=""
cleanup() {
  # The server is a process group of its own (setsid): it goes whole.
  [ -n "$server" ] && kill -- "-$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "$db" ] && psql "$PGHOST_URL/postgres" -q -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  for role in "${roles[@]}"; do psql "$PGHOST_URL/postgres" -q -c "drop role if exists $role" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)
step() { echo "== docker-steps ($(( $(date +%s) - started )) s): $*"; }

step "build stage: the committed tree as the build context, less what .dockerignore keeps out"
mkdir -p "$work/build" "$work/app"
git archive HEAD | tar -x -C "$work/build"
(cd "$work/build" && while read -r pattern; do
  case "$pattern" in ''|'#'*) continue ;; esac
  # Relative to the context's root, as Docker matches them (the patterns here are paths and *.ext globs).
  for match in $pattern; do if [ -e "$match" ]; then rm -rf -- "$match"; fi; done
done <.dockerignore)

step "build stage: npm ci, npm run build"
(cd "$work/build" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error && npm run build --silent >"$work/build.log" 2>&1) || { cat "$work/build.log"; exit 1; }

step "run stage: pg_dump 15 or newer, npm ci --omit=dev, the built files"
pg_major=$(pg_dump --version 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p')
[ "${pg_major:-0}" -ge 15 ] || fail "the image installs postgresql-client-15 for npm run backup; this machine's pg_dump: ${pg_major:-none}"
cp "$work/build/package.json" "$work/build/package-lock.json" "$work/app/"
(cd "$work/app" && npm ci --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error)
mkdir -p "$work/app/scripts" "$work/app/admin"
cp -r "$work/build/dist" "$work/app/dist"
cp -r "$work/build/admin/dist" "$work/app/admin/dist"
cp "$work/build/scripts/launch.mjs" "$work/app/scripts/"
for dev in tsx vite typescript esbuild vitest; do
  if [ -e "$work/app/node_modules/$dev" ]; then fail "a dev package is installed in the production folder: $dev"; fi
done

# USER node: the files belong to root, only .data and /backups are the user's. As root here, the image's steps run as
# nobody with the same rights (a HOME of its own for npm's logs); as another user, as that user.
mkdir -p "$work/app/.data" "$work/backups" "$work/home"
as_user=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  chown nobody: "$work/app/.data" "$work/backups" "$work/home"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
export HOME="$work/home" NODE_ENV=production PORT APP_SECRET="docker-steps-app-secret-$(date +%s)-0123456789abcdef" \
  RAZORPAY_WEBHOOK_SECRET=docker-steps-webhook LOG_LEVEL=warn COOKIE_SECURE=false
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  # deploy/postgres-init.sh with names of this run's own: the owner owns the database, the API's login is in
  # milkrun_app (cluster-wide: made once, as the init script makes it before the migrations).
  db="milkrun_dockersteps_$$_test"
  owner="milkrun_dockersteps_owner_$$" apirole="milkrun_dockersteps_api_$$"
  roles=("$apirole" "$owner")
  psql "$PGHOST_URL/postgres" -q -v ON_ERROR_STOP=1 \
    -c "do \$\$ begin if not exists (select from pg_roles where rolname = 'milkrun_app') then create role milkrun_app nologin; end if; end \$\$" \
    -c "create role $owner login" -c "create database $db owner $owner" -c "create role $apirole login in role milkrun_app" >/dev/null
  server_url="${PGHOST_URL#*@}"
  migration_url="postgres://$owner@$server_url/$db"
  api_url="postgres://$apirole@$server_url/$db"
  where="PostgreSQL ($db, migrated by $owner, served to $apirole)"
else
  migration_url="" api_url=""
  export MILKRUN_DEMO=0
  where="PGlite (.data/pglite)"
fi

cd "$work/app"
step "compose's migrate service: node scripts/launch.mjs migrate on $where"
env ${migration_url:+MIGRATION_DATABASE_URL=$migration_url} "${as_user[@]}" node scripts/launch.mjs migrate
# compose's api service: both URLs (the owner's for backups), the API's connections as the login.
if [ -n "$api_url" ]; then export DATABASE_URL="$api_url" MIGRATION_DATABASE_URL="$migration_url"; fi
# Support: a role without required two-factor sign-in, so a password login opens a session.
EMAIL=ops@docker-steps.test PASSWORD="docker-steps-$$-password"
"${as_user[@]}" npm run user:create --silent -- --email "$EMAIL" --name "Docker Steps" --role support --password "$PASSWORD" >/dev/null

step "the image's CMD (node dist/api/server.js) on port $PORT"
setsid "${as_user[@]}" node dist/api/server.js >"$work/server.log" 2>&1 &
server=$!
healthcheck=$(sed -n 's/^HEALTHCHECK .* CMD //p' "$root/Dockerfile")
healthy=""
for _ in $(seq 1 60); do
  if bash -c "$healthcheck" 2>/dev/null; then healthy=1; break; fi
  kill -0 "$server" 2>/dev/null || { echo "the server exited:"; cat "$work/server.log"; exit 1; }
  sleep 1
done
[ -n "$healthy" ] || { echo "the Dockerfile's HEALTHCHECK never passed:"; cat "$work/server.log"; exit 1; }

login=$(curl -s -D - -o "$work/login.json" -H 'content-type: application/json' -H 'x-requested-with: XMLHttpRequest' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/auth/login")
cookie=$(printf '%s' "$login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)
[ -n "$cookie" ] || { echo "login failed:"; printf '%s\n' "$login"; cat "$work/login.json"; cat "$work/server.log"; exit 1; }
list=$(curl -s -o /dev/null -w '%{http_code}' -H "cookie: $cookie" -H 'x-requested-with: XMLHttpRequest' "http://127.0.0.1:$PORT/api/customers?_start=0&_end=10")
[ "$list" = 200 ] || { echo "GET /api/customers answered $list"; cat "$work/server.log"; exit 1; }
admin=$(curl -s "http://127.0.0.1:$PORT/" | grep -c '<div id="root"' || true)
[ "$admin" -ge 1 ] || fail "the admin's index.html is not served"

if [ -n "$db" ]; then
  step "a backup into the backups volume, as docker compose exec api npm run backup takes it"
  "${as_user[@]}" npm run backup --silent -- "$work/backups/docker-steps.dump" >/dev/null
  [ -s "$work/backups/docker-steps.dump" ] || fail "npm run backup wrote no dump"
fi
step "ok: the image's steps build, migrate, serve health, a login, a list and the admin, and back up, as a non-root user"
