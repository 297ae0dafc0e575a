#!/usr/bin/env bash
# `npm start`: the whole product on one machine, as a demo. Installs what is missing,
# provisions PostgreSQL and Redis, migrates, seeds the demo users, builds, then runs
# the web app and the worker until Ctrl-C.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/ensure-env.sh
load_dotenv
# Demo overrides (environment wins over .env): the SFTP simulator listens on loopback.
export SFTP_ALLOW_PRIVATE_NETWORKS=true SFTP_ALLOWED_PORTS="${SFTP_ALLOWED_PORTS:-22},2222"
export PORT="${PORT:-3000}" NODE_ENV=production

ensure_node_modules
ensure_postgres "$DATABASE_URL"
ensure_redis "$REDIS_URL"
say "migrating the database"
npm run -s db:migrate
say "seeding the demo"
npm run -s db:seed
if [[ ! -f .next/BUILD_ID || -n "$(find app components lib -newer .next/BUILD_ID -type f -print -quit)" ]]; then
  say "building the web app"
  npx next build >/dev/null
fi

pids=()
cleanup() { trap - EXIT INT TERM; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Started without npm/npx wrappers, so each pid is the process itself (ts.sh execs tsx,
# which passes signals on): a SIGTERM to this script (systemd, docker stop, kill) stops
# them all, not only a Ctrl-C that reaches the whole process group.
bash scripts/ts.sh workers/main.ts & pids+=($!)
node_modules/.bin/next start -p "$PORT" & pids+=($!)
say "starting the demo ICE Chat SFTP site (first start generates the platform keys: a few seconds)"
bash scripts/ts.sh scripts/demo-site.ts & pids+=($!)
wait_for_tcp 127.0.0.1 "$PORT" "the web app"
wait_for_tcp 127.0.0.1 2222 "the demo SFTP site" 300
cat <<MSG

  ICE Chat Connector is running: $NEXTAUTH_URL
  Sign in as $DEMO_ADMIN_EMAIL with password $DEMO_ADMIN_PASSWORD
  (read-only demo user: viewer@${DEMO_ADMIN_EMAIL#*@}, same password)

  Add a connector: Data connectors > ICE Chat > View > Add connector, choose the keys
  provided by this service, and enter the SFTP details printed above. Then Run now, and
  read the imported mail under Archive.

  Ctrl-C stops the web app, the worker and the demo SFTP site.
MSG
wait -n "${pids[@]}"
