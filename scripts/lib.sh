# Shared helpers for run.sh and test.sh. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NEXT_TELEMETRY_DISABLED=1 PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $*: this is not a Debian/Ubuntu machine; install them yourself"
  if [[ $APT_UPDATED -eq 0 ]]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  say "installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# npm ci when node_modules is missing or older than package-lock.json.
ensure_node_modules() {
  command -v node >/dev/null || die "Node.js 20 or newer is required"
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [[ $major -ge 20 ]] || die "Node.js 20 or newer is required (found $(node -v))"
  local stamp="$ROOT/node_modules/.install-stamp" want
  want=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    say "installing npm dependencies"
    # Dev dependencies too: the web app is built here and the Prisma client generated.
    (cd "$ROOT" && npm ci --include=dev --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
  say "generating the Prisma client"
  bash "$ROOT/scripts/prisma-generate.sh" >/dev/null
}

url_part() { node -e 'const u=new URL(process.argv[1]); const p=process.argv[2]; console.log(p==="db"?decodeURIComponent(u.pathname.slice(1)):p==="port"?(u.port||process.argv[3]):p==="user"?decodeURIComponent(u.username):p==="password"?decodeURIComponent(u.password):u.hostname)' "$@"; }

is_local_host() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 || $1 == "[::1]" ]]; }

tcp_open() { node -e 'const s=require("net").connect({host:process.argv[1],port:+process.argv[2]});s.setTimeout(2000);s.on("connect",()=>{s.end();process.exit(0)});s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1))' "$1" "$2"; }

wait_for_tcp() {
  local host=$1 port=$2 what=$3 seconds=${4:-60}
  for _ in $(seq 1 "$seconds"); do tcp_open "$host" "$port" && return 0; sleep 1; done
  die "$what did not start on $host:$port"
}

# PostgreSQL: reuse a reachable server; otherwise install and start the local cluster.
# Then make sure the role in DATABASE_URL exists (created over the local socket as the
# postgres OS user, with the password from .env) and can create databases.
ensure_postgres() {
  local url=$1 host port user password
  host=$(url_part "$url" host); port=$(url_part "$url" port 5432)
  user=$(url_part "$url" user); password=$(url_part "$url" password)
  if ! tcp_open "$host" "$port"; then
    is_local_host "$host" || die "PostgreSQL at $host:$port is not reachable"
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    local version; version=$(ls /etc/postgresql | sort -V | tail -1)
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for_tcp "$host" "$port" PostgreSQL
  fi
  if is_local_host "$host" && id postgres >/dev/null 2>&1 && [[ -n $user && $user != postgres ]]; then
    local sql="DO \$\$BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
        CREATE ROLE \"$user\" LOGIN CREATEDB PASSWORD '$password';
      ELSE
        ALTER ROLE \"$user\" LOGIN CREATEDB PASSWORD '$password';
      END IF; END\$\$;"
    as_root runuser -u postgres -- psql -qAt -p "$port" -c "$sql" >/dev/null 2>&1 \
      || say "could not check role $user over the local socket; assuming it exists"
  fi
}

# Test databases are disposable: drop them as the local superuser when we can, so a
# database left by another role (an older checkout, a manual run) cannot block the suite.
drop_test_databases() {
  local url=$1 host port
  host=$(url_part "$url" host); port=$(url_part "$url" port 5432)
  is_local_host "$host" && id postgres >/dev/null 2>&1 || return 0
  local db
  for db in iceconnector_test iceconnector_e2e iceconnector_test_migrations; do
    as_root runuser -u postgres -- psql -qAt -p "$port" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
}

# Redis: reuse a reachable server; otherwise install and start one configured as the
# worker needs (noeviction: BullMQ must never lose a key; AOF: jobs survive a restart).
ensure_redis() {
  local url=$1 host port
  host=$(url_part "$url" host); port=$(url_part "$url" port 6379)
  tcp_open "$host" "$port" && return 0
  is_local_host "$host" || die "Redis at $host:$port is not reachable"
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on $host:$port"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir /var/lib/redis \
    --appendonly yes --maxmemory-policy noeviction --logfile /var/log/redis/ice-chat-connector.log
  wait_for_tcp "$host" "$port" Redis
}

load_dotenv() {
  [[ -f "$ROOT/.env" ]] || return 0
  set -a; # shellcheck disable=SC1091
  source "$ROOT/.env"; set +a
}
