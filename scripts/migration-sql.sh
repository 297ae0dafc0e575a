#!/usr/bin/env bash
# Writes the SQL that takes the database from the last committed migration to
# prisma/schema.prisma, as a new folder in Prisma's layout:
#   npm run db:migration-sql -- <name>
# Runs offline: Prisma 6.19's CLI diffs two datamodels on its wasm engine (Prisma 7's
# CLI would download a native engine). Both datamodels are rebuilt from files, so no
# database state is involved: the "from" side is the schema as of the last migration,
# kept in prisma/migrations/schema.snapshot.prisma.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run db:migration-sql -- <name>}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "migration name must be lower_snake_case" >&2; exit 2; }

export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
# The CLI checks that a query-engine library exists although diffing never loads it.
export PRISMA_QUERY_ENGINE_LIBRARY="${PRISMA_QUERY_ENGINE_LIBRARY:-$(node -p process.execPath)}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Prisma 6 requires `url` in the datasource block; Prisma 7 forbids it there.
with_url() { sed 's|^\(\s*provider\s*=\s*"postgresql"\)|\1\n  url = env("DATABASE_URL")|' "$1" > "$2"; }
with_url prisma/schema.prisma "$tmp/to.prisma"
snapshot=prisma/migrations/schema.snapshot.prisma
if [[ -f "$snapshot" ]]; then
  with_url "$snapshot" "$tmp/from.prisma"; from=(--from-schema-datamodel "$tmp/from.prisma")
else
  from=(--from-empty)
fi

sql=$(node node_modules/prisma6/build/index.js migrate diff --config prisma/prisma6.config.ts \
  "${from[@]}" --to-schema-datamodel "$tmp/to.prisma" --script)
if [[ "$sql" == "-- This is an empty migration." ]]; then echo "schema.prisma has no changes"; exit 0; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
cp prisma/schema.prisma "$snapshot"
echo "wrote $dir/migration.sql"
