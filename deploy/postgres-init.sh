#!/bin/sh
# Run once by the postgres image on its first start (/docker-entrypoint-initdb.d), as the superuser: the schema's
# owner (runs migrations, backups, restores) and the API's login in milkrun_app (rows only), as README's PostgreSQL
# section sets up by hand. The migrations find milkrun_app already there (0008 allows it).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE milkrun_owner LOGIN PASSWORD '$OWNER_DB_PASSWORD';
CREATE DATABASE milkrun OWNER milkrun_owner;
CREATE ROLE milkrun_app NOLOGIN;
CREATE ROLE milkrun_api LOGIN PASSWORD '$API_DB_PASSWORD' IN ROLE milkrun_app;
SQL
