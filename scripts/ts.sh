#!/usr/bin/env bash
# Runs a TypeScript entry point (worker, CLIs) the way the app resolves modules:
# the "react-server" condition makes `import "server-only"` a no-op outside Next.js,
# and .env (if present) fills variables the environment does not already set.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
args=(--conditions=react-server)
[[ -f "$root/.env" ]] && args+=("--env-file=$root/.env")
exec "$root/node_modules/.bin/tsx" "${args[@]}" "$@"
