#!/usr/bin/env bash
# Runs once, when the compose Postgres volume is first created: one database per service, owned
# by erp_<service>_owner (runs migrations) and used by erp_<service>_app (no BYPASSRLS, not the
# table owner, so row-level security applies). Passwords come from the environment.
set -euo pipefail
for service in ${ERP_DATABASES}; do
    owner="erp_${service}_owner" app="erp_${service}_app"
    owner_password_var="PG_${service^^}_OWNER_PASSWORD" app_password_var="PG_${service^^}_APP_PASSWORD"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v owner="$owner" -v app="$app" -v db="erp_$service" \
        -v owner_password="${!owner_password_var}" -v app_password="${!app_password_var}" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE :"db" OWNER :"owner";
\connect :"db"
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
GRANT ALL ON SCHEMA public TO :"owner";
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
SQL
done
