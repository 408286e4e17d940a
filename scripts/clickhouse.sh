#!/usr/bin/env bash
# Private ClickHouse instance for mcp-slo: own config, own ports, data under .data/clickhouse (git-ignored).
#   scripts/clickhouse.sh start|stop|status|install|url|reader-password|users
#   (reader-password prints the read-only user's password; users rewrites users.xml, which a running instance re-reads)
# Environment: MCP_SLO_CLICKHOUSE_HTTP_PORT (default 18123), MCP_SLO_CLICKHOUSE_TCP_PORT (default 19000),
#              MCP_SLO_DATA_DIR (default <repo>/.data).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${MCP_SLO_DATA_DIR:-$ROOT/.data}"
CH_DIR="$DATA_DIR/clickhouse"
HTTP_PORT="${MCP_SLO_CLICKHOUSE_HTTP_PORT:-18123}"
TCP_PORT="${MCP_SLO_CLICKHOUSE_TCP_PORT:-19000}"
PID_FILE="$CH_DIR/clickhouse.pid"
URL="http://127.0.0.1:$HTTP_PORT"
# The read-only user for dashboards (Grafana): its password is made once, owner-only, and kept with the tokens.
READER_USER="mcp_slo_reader"
READER_PASSWORD_FILE="$DATA_DIR/clickhouse-reader.password"

log() { printf '[clickhouse] %s\n' "$*" >&2; }

server_binary() {
  command -v clickhouse-server 2>/dev/null || { [ -x /usr/bin/clickhouse ] && echo /usr/bin/clickhouse-server; } || true
}

install_server() {
  if [ -n "$(server_binary)" ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "clickhouse-server is not installed and there is no apt-get here."
    log "Install ClickHouse yourself, or point mcp-slo at a running server with CLICKHOUSE_URL=http://host:8123"
    exit 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "installing clickhouse-server needs root (or sudo)"; exit 1; }
    sudo="sudo"
  fi
  log "installing Debian's clickhouse-server (once; takes a minute)..."
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clickhouse-server clickhouse-client >&2
}

answers() {
  curl -fsS --max-time 2 "$URL/ping" 2>/dev/null | grep -q "Ok"
}

reader_password() {
  if [ ! -s "$READER_PASSWORD_FILE" ]; then
    mkdir -p "$DATA_DIR"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$READER_PASSWORD_FILE")
  fi
  cat "$READER_PASSWORD_FILE"
}

write_config() {
  mkdir -p "$CH_DIR/data" "$CH_DIR/tmp" "$CH_DIR/log" "$CH_DIR/user_files" "$CH_DIR/format_schemas"
  cat > "$CH_DIR/config.xml" <<XML
<?xml version="1.0"?>
<!-- written by scripts/clickhouse.sh; changes are overwritten at the next start -->
<yandex>
  <logger>
    <level>warning</level>
    <log>$CH_DIR/log/clickhouse-server.log</log>
    <errorlog>$CH_DIR/log/clickhouse-server.err.log</errorlog>
    <size>50M</size>
    <count>3</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$HTTP_PORT</http_port>
  <tcp_port>$TCP_PORT</tcp_port>
  <path>$CH_DIR/data/</path>
  <tmp_path>$CH_DIR/tmp/</tmp_path>
  <user_files_path>$CH_DIR/user_files/</user_files_path>
  <format_schema_path>$CH_DIR/format_schemas/</format_schema_path>
  <users_config>$CH_DIR/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>268435456</mark_cache_size>
  <!-- 2 GiB, filled only as blocks are read: the rolled tables a dashboard reads over 30 days x 1,000 tools
       (~1 GiB decompressed, sketches included) stay decompressed; at 256 MiB they were evicted and
       decompressed again on every read -->
  <uncompressed_cache_size>2147483648</uncompressed_cache_size>
  <!-- a row per part written, merged or removed: what each table costs ClickHouse (the bench prints it) -->
  <part_log>
    <database>system</database>
    <table>part_log</table>
    <flush_interval_milliseconds>7500</flush_interval_milliseconds>
  </part_log>
</yandex>
XML
  write_users
}

# users.xml alone: ClickHouse re-reads it within seconds while running, so `users` brings the read-only user to
# an instance started before it existed.
write_users() {
  local reader_sha256
  reader_sha256="$(printf '%s' "$(reader_password)" | sha256sum | cut -d' ' -f1)"
  cat > "$CH_DIR/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
    <!-- readonly 2: reads only, no writes and no DDL; settings may change (the Grafana plugin sets
         max_execution_time on every query, and 18.16 has no per-setting constraints), readonly itself may not -->
    <reader>
      <readonly>2</readonly>
      <allow_ddl>0</allow_ddl>
      <max_memory_usage>2000000000</max_memory_usage>
    </reader>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <$READER_USER>
      <password_sha256_hex>$reader_sha256</password_sha256_hex>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>reader</profile>
      <quota>default</quota>
    </$READER_USER>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

running_pid() {
  if [ -f "$PID_FILE" ]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
  fi
  return 1
}

start() {
  if answers; then
    log "already answering at $URL"
    return 0
  fi
  install_server
  write_config
  log "starting private instance: $URL (data in $CH_DIR)"
  nohup "$(server_binary)" --config-file="$CH_DIR/config.xml" >"$CH_DIR/log/stdout.log" 2>&1 &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 120); do
    if answers; then
      log "ready at $URL"
      return 0
    fi
    if ! running_pid >/dev/null; then
      log "clickhouse-server exited during start; its last words:"
      tail -n 20 "$CH_DIR/log/stdout.log" "$CH_DIR/log/clickhouse-server.err.log" 2>/dev/null >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "no answer at $URL after 60 s; see $CH_DIR/log/"
  exit 1
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; return 0; }
      sleep 0.5
    done
    log "still running after 30 s; killing"
    kill -9 "$pid" 2>/dev/null || true
  else
    log "not running (no live pid in $PID_FILE)"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then log "answering at $URL"; else log "not answering at $URL"; exit 1; fi ;;
  install) install_server ;;
  url) echo "$URL" ;;
  reader-password) reader_password ;;
  users)
    [ -f "$CH_DIR/config.xml" ] || { log "no private instance configured in $CH_DIR"; exit 1; }
    write_users
    for _ in $(seq 1 40); do
      if curl -fsS --max-time 2 -u "$READER_USER:$(reader_password)" "$URL/" --data-binary 'SELECT 1' >/dev/null 2>&1; then
        exit 0
      fi
      sleep 0.5
    done
    log "the read-only user $READER_USER cannot log in at $URL (is it this data dir's instance?)"
    exit 1
    ;;
  *) echo "usage: $0 start|stop|status|install|url|reader-password|users" >&2; exit 2 ;;
esac
