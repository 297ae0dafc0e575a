#!/usr/bin/env bash
# Writes .env from .env.example with fresh random secrets, once. An existing .env is
# never touched (it holds the master key: losing it loses every stored secret).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f .env ]] && exit 0
rand() { node -e 'console.log(require("crypto").randomBytes(+process.argv[1]).toString(process.argv[2]))' "$@"; }
db_password=$(rand 18 hex)
{
  sed -e "s|^APP_ENCRYPTION_KEY=.*|APP_ENCRYPTION_KEY=$(rand 32 base64)|" \
      -e "s|^NEXTAUTH_SECRET=.*|NEXTAUTH_SECRET=$(rand 32 base64)|" \
      -e "s|^DATABASE_URL=.*|DATABASE_URL=postgresql://iceconnector:${db_password}@127.0.0.1:5432/iceconnector|" \
      .env.example
  echo
  echo "# Demo only (npm start seeds these users)."
  echo "DEMO_ADMIN_EMAIL=admin@example.com"
  echo "DEMO_ADMIN_PASSWORD=$(rand 12 base64url)"
} > .env
chmod 600 .env
echo "wrote .env with new secrets (keep it safe: APP_ENCRYPTION_KEY decrypts stored secrets)"
