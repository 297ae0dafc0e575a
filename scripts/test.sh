#!/usr/bin/env bash
# `npm test`: provisions what the tests need, then runs every check: lint, types,
# unit, integration (real PostgreSQL, Redis, SFTP and Graph peers) and browser specs.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/ensure-env.sh
load_dotenv
ensure_node_modules
ensure_postgres "$DATABASE_URL"
ensure_redis "$REDIS_URL"
drop_test_databases "$DATABASE_URL"
missing=()
command -v gpg >/dev/null || missing+=(gnupg)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v openssl >/dev/null || missing+=(openssl)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}"

export ICE_TESTS_REQUIRE_TOOLS=1
say "lint"
npx eslint --max-warnings=0 .
say "typecheck"
npx tsc --noEmit
say "unit tests"
npx vitest run --project unit
say "integration tests"
npx vitest run --project integration
say "building the web app for browser tests"
npx next build >/dev/null
say "browser and HTTP tests"
bash scripts/ts.sh tests/support/prepare-e2e.ts
npx playwright test
