#!/usr/bin/env bash
# Generates the Prisma 7 client offline. The CLI insists on a schema-engine binary
# even though `generate` never runs it; any existing file satisfies the check.
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(node -p process.execPath)}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
exec npx --no-install prisma generate "$@"
