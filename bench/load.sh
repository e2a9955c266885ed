#!/usr/bin/env bash
# The load suite (docs/adr/0030, docs/benchmarks.md): the published Release build over a generated city-scale SQLite
# database, under wrk, next to a bare Kestrel endpoint (a fixed body, measured once per connection count) and the
# hand-written SQL of the same query (bench/Rectify.LoadBaseline), in the same run.
#
#   bench/load.sh           full run: 30 s per measurement, 1, 16 and 200 connections
#   bench/load.sh quick     smoke run: 5 s per measurement, 1 and 16 connections
#
# Installs nothing: it needs wrk (Debian: apt-get install wrk), curl and the .NET SDK. Settings (environment):
#   RECTIFY_BENCH_DATA   where the generated database is kept and reused (default /tmp/rectify-bench)
#   RECTIFY_BENCH_SCALE  small | city | province (default city; province on PostgreSQL); RECTIFY_BENCH_SEED (default 12)
#   RECTIFY_BENCH_POSTGRES  a PostgreSQL server to run on instead of SQLite, as a connection string without a database
#                        (e.g. "Host=127.0.0.1;Port=5432;Username=postgres"; the user may create databases; needs psql):
#                        the generated data is kept in database rectify_bench_<scale>_<seed> and reused; the server runs
#                        on it and adds an account, a token and audit rows each run. RECTIFY_BENCH_POOL (default 40):
#                        the connection pool of the product and of the baseline app, each
#   RECTIFY_BENCH_PORT   the product's port (default 5230; the baseline app takes the next one)
#   RECTIFY_BENCH_ANSWERS  on (default) | off: the ledger and overview kept per content version, or computed each time
#   DURATION, CONNECTIONS  override the mode's (e.g. DURATION=10s CONNECTIONS="1 16"); WARMUP per path (default 10s)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=${1:-full}
case "$mode" in
  full) duration=${DURATION:-30s}; connections=${CONNECTIONS:-"1 16 200"} ;;
  quick) duration=${DURATION:-5s}; connections=${CONNECTIONS:-"1 16"} ;;
  *) echo "usage: bench/load.sh [full|quick]" >&2; exit 2 ;;
esac

postgres=${RECTIFY_BENCH_POSTGRES:-}
tools="wrk curl dotnet"
[ -n "$postgres" ] && tools="$tools psql"
for tool in $tools; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench/load.sh needs $tool (wrk: apt-get install wrk; psql: apt-get install postgresql-client)." >&2
    exit 2
  fi
done

scale=${RECTIFY_BENCH_SCALE:-city}
seed=${RECTIFY_BENCH_SEED:-12}
data=${RECTIFY_BENCH_DATA:-/tmp/rectify-bench}
port=${RECTIFY_BENCH_PORT:-5230}
baseline_port=$((port + 1))
base="http://127.0.0.1:$port"
baseline="http://127.0.0.1:$baseline_port"
work=$(mktemp -d /tmp/rectify-load.XXXXXX)
mkdir -p "$data"
server_pid=""
baseline_pid=""
cleanup() {
  # A request still running (a path that answers in minutes) holds a graceful stop: 10 s, then the processes end.
  local pids=() p i
  for p in "$server_pid" "$baseline_pid"; do [ -n "$p" ] && pids+=("$p"); done
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.2; done
    kill -9 "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== publish (Release, ReadyToRun)"
# As the README installs it: ReadyToRun for this platform.
rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
dotnet publish src/Rectify -c Release -r "${rid:-linux-x64}" --self-contained false -p:PublishReadyToRun=true -o "$work/app" -v q --nologo >/dev/null
dotnet publish bench/Rectify.LoadBaseline -c Release -o "$work/baseline" -v q --nologo >/dev/null
rectify="$work/app/rectify"

if [ -n "$postgres" ]; then
  # psql reaches the same server through PG* variables taken from the connection string (Npgsql's keys).
  pg_value() { tr ';' '\n' <<<"$postgres" | awk -F= -v k="$1" 'tolower($1) == tolower(k) { print substr($0, index($0, "=") + 1) }' | tail -1; }
  export PGHOST=$(pg_value Host) PGPORT=$(pg_value Port) PGUSER=$(pg_value Username) PGPASSWORD=$(pg_value Password)
  [ -n "$PGPORT" ] || export PGPORT=5432
  sql() { psql -X -q -v ON_ERROR_STOP=1 -d postgres -tA -c "$1"; }
  pristine_db="rectify_bench_${scale}_$seed"
  # PostgreSQL's default max_connections is 100: the product and the baseline app each take at most this many.
  pool=${RECTIFY_BENCH_POOL:-40}
  if [ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$pristine_db'")" != 1 ]; then
    echo "== generate $scale (seed $seed) → PostgreSQL database $pristine_db"
    sql "DROP DATABASE IF EXISTS ${pristine_db}_partial"
    sql "CREATE DATABASE ${pristine_db}_partial"
    "$rectify" bench seed --scale "$scale" --seed "$seed" --database "$postgres;Database=${pristine_db}_partial"
    sql "ALTER DATABASE ${pristine_db}_partial RENAME TO $pristine_db"
  else
    echo "== reuse PostgreSQL database $pristine_db"
  fi
  # The server runs on the generated database itself and writes a few rows into it each run (its account, token,
  # sessions, audit): a copy would double the data the machine caches (an 11 GB province) and take minutes to make.
  # Planner statistics are autovacuum's, as on any installation (the product runs no ANALYZE of its own).
  served_connection="$postgres;Database=$pristine_db;Maximum Pool Size=$pool"
  database_options=(--Database:Provider=Postgres "--ConnectionStrings:Rectify=$served_connection")
  baseline_database=(--postgres "$postgres;Database=$pristine_db;Maximum Pool Size=$pool")
  database_size() { sql "SELECT pg_database_size('$pristine_db') / 1048576"; }
  database_label="PostgreSQL"
else
  pristine="$data/$scale-seed$seed.db"
  if [ ! -f "$pristine" ]; then
    echo "== generate $scale (seed $seed) → $pristine"
    "$rectify" bench seed --scale "$scale" --seed "$seed" --database "$pristine.partial"
    mv "$pristine.partial" "$pristine"
    rm -f "$pristine.partial-wal" "$pristine.partial-shm"
  else
    echo "== reuse $pristine"
  fi
  # The server writes (an account, a token, sessions, audit): it gets a copy, the generated file stays as it was.
  mkdir -p "$work/data"
  cp "$pristine" "$work/data/rectify.db"
  database_options=()
  baseline_database=(--database "$work/data/rectify.db")
  database_size() { du -m "$pristine" | cut -f1; }
  database_label="SQLite"
fi

mkdir -p "$work/data" "$work/secrets"
host_options=(--data "$work/data" "--Audit:KeyFile=$work/secrets/audit.key" "--AtRest:ColumnKeyFile=$work/secrets/column.key" "${database_options[@]}")
"$rectify" audit init-key --key-file "$work/secrets/audit.key" >/dev/null
"$rectify" keys init-column-key --key-file "$work/secrets/column.key" >/dev/null
# A database generated by an earlier build is brought up to this one's schema, as an upgrade would (docs/operations.md).
"$rectify" migrate "${host_options[@]}" >/dev/null

password="Ld-$(date +%s)-Pw#q7Z!x"
account="bench$(date +%s)"
echo "== account and token (as an administrator makes them)"
printf '%s\n' "$password" | "$rectify" user add "$account" --display-name 压测整改办 --org 1 --role RectificationOffice "${host_options[@]}" >/dev/null
token=$("$rectify" token create --user "$account" --name load --days 30 "${host_options[@]}" | tail -1 | tr -d '[:space:]')
[ -n "$token" ] || { echo "no API token was printed" >&2; exit 1; }

echo "== start"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s%N)
# The reminder scan stays off: generated data has no record of reminders already sent, so a first scan would write
# tens of thousands of catch-up reminders during the measurement, which a running installation never does at once.
# RECTIFY_BENCH_ANSWERS=off measures every read computed (ADR 0031: the ledger and overview are otherwise kept per content version).
answers=${RECTIFY_BENCH_ANSWERS:-on}
answer_option=()
[ "$answers" = off ] && answer_option=("--Caching:Answers=false")
"$rectify" serve --urls "$base" "${host_options[@]}" "--Security:SecondFactor:NotRequiredFor:0=RectificationOffice" "--Notifications:Background=false" "${answer_option[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.02
done
healthy_ms=$(( ($(date +%s%N) - started) / 1000000 ))
"$work/baseline/Rectify.LoadBaseline" "${baseline_database[@]}" --urls "$baseline" >"$work/baseline.log" 2>&1 &
baseline_pid=$!
until curl -fsS -o /dev/null "$baseline/bare" 2>/dev/null; do sleep 0.05; done

# Which inspections and measure: one of about 109 measures, the biggest, a measure in progress with supporting units.
read -r typical big measure < <(curl -fsS "$baseline/ids" | sed -E 's/typical=([0-9]+) big=([0-9]+) measure=([0-9]+)/\1 \2 \3/')

echo "== sign in (the sign-in form, as a browser does)"
jar="$work/cookies"
form_token() { grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -1 | sed -E 's/.*value="([^"]*)"/\1/'; }
# A session ends after 15 idle minutes (Security:Session:IdleTimeoutMinutes): a full run spends longer than that on the
# API paths, so each cookie path signs in afresh before it is measured, and a product run that ends answering anything
# but 200 (a 302 to the sign-in page is no error to wrk) is marked in the table.
sign_in() {
  rm -f "$jar"
  local t next
  t=$(curl -fsS -c "$jar" -b "$jar" "$base/Account/SignIn" | form_token)
  curl -sS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "userName=$account" --data-urlencode "password=$password" --data-urlencode "__RequestVerificationToken=$t" "$base/Account/SignIn"
  next=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$base/inspections")
  if [[ "$next" == *ChangePassword* ]]; then
    # A new account's first password is an initial one: the product asks for a new one before anything else.
    t=$(curl -fsS -c "$jar" -b "$jar" "$next" | form_token)
    curl -sS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "currentPassword=$password" --data-urlencode "newPassword=$password-2" \
      --data-urlencode "confirmPassword=$password-2" --data-urlencode "__RequestVerificationToken=$t" "$next"
    password="$password-2"
  fi
  cookie=$(awk -F'\t' 'NF >= 7 { printf "%s=%s; ", $6, $7 }' "$jar")
  local status
  status=$(curl -sS --max-time 60 -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/inspections/$typical" || true)
  [ "$status" = 200 ] || { echo "signed in, the ledger page answered $status" >&2; exit 1; }
}
sign_in

# name | product URL | auth (cookie; bearer; bearer-gzip: bearer, and Accept-Encoding as a browser or an HTTP library
# sends it, ADR 0038) | raw SQL (none: the row above measured it)
gzip_asked="Accept-Encoding: gzip, deflate, br"
targets=(
  "ledger page ($typical)|$base/inspections/$typical|cookie|$baseline/sql/ledger/$typical"
  "ledger API ($typical)|$base/api/v1/inspections/$typical/ledger?pageSize=50|bearer|$baseline/sql/ledger/$typical"
  "ledger API ($typical), gzip asked|$base/api/v1/inspections/$typical/ledger?pageSize=50|bearer-gzip|"
  "ledger API ($big)|$base/api/v1/inspections/$big/ledger?pageSize=50|bearer|$baseline/sql/ledger/$big"
  "overview API ($big)|$base/api/v1/inspections/$big/overview|bearer|$baseline/sql/overview/$big"
  "measure page ($measure)|$base/measures/$measure|cookie|$baseline/sql/measure/$measure"
  "export ($big)|$base/api/v1/inspections/$big/ledger.xlsx|bearer|$baseline/sql/export/$big"
  # Last: at city scale the root office's 待办 ran for minutes (docs/benchmarks.md); whatever it leaves running cannot slow the others.
  "待办 /work|$base/work|cookie|$baseline/sql/work"
)

results="$work/results"
: >"$results"
# wrk stops at the end of its time, but the server finishes what it had accepted (200 connections of a slow path leave
# seconds of work queued): wait until both processes are idle (under a tenth of a core over a second, at most 120 s)
# so that the next measurement starts on a quiet server.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# On PostgreSQL the server's process sits idle while its statements run in the database's processes: count those too.
busy_statements() {
  [ -n "$postgres" ] || { echo 0; return; }
  sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$pristine_db' AND state = 'active' AND pid <> pg_backend_pid()" 2>/dev/null || echo 0
}
settle() {
  local i a b x y
  for i in $(seq 120); do
    a=$(ticks "$server_pid"); x=$(ticks "$baseline_pid")
    sleep 1
    b=$(ticks "$server_pid"); y=$(ticks "$baseline_pid")
    if [ $((b - a)) -lt 10 ] && [ $((y - x)) -lt 10 ] && [ "$(busy_statements)" = 0 ]; then
      [ "$i" -gt 1 ] && echo "  (waited $i s for the server to finish the previous run's requests)"
      return 0
    fi
  done
  echo "  (still busy after 120 s)"
}

# The server's peak resident size in each of its runs: the kernel's high-water mark is reset to the current size before
# the run (clear_refs 5) and read after it; the whole suite's peak is the largest of them and of what came before.
peak_mib() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$server_pid/status"; }
max_peak=0
run() { # label variant connections url [header [header]]
  local threads=$(( $3 < 2 ? 1 : 2 ))
  local line peak="" serving=$baseline_pid before
  if [ "$2" = product ]; then
    serving=$server_pid
    [ "$(peak_mib)" -gt "$max_peak" ] && max_peak=$(peak_mib)
    echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || true
  fi
  # The CPU time the answering process spent during the run (user and system, in clock ticks): per request, what an
  # answer costs the server, apart from what wrk itself takes of the same cores.
  before=$(ticks "$serving")
  line=$(wrk -t"$threads" -c"$3" -d"$duration" --timeout 10s --latency -s bench/wrk-report.lua ${5:+-H "$5"} ${6:+-H "$6"} "$4" | grep '^RESULT' || echo "RESULT requests=0 seconds=0 p50=0 p95=0 p99=0 max=0 connect=0 read=0 write=0 status=0 timeout=0")
  line="$line cpu_ticks=$(( $(ticks "$serving") - before ))"
  if [ "$2" = product ]; then
    local answered
    answered=$(curl -sS --max-time 60 -o /dev/null -w '%{http_code}' ${5:+-H "$5"} ${6:+-H "$6"} "$4" || echo 000)
    [ "$answered" = 200 ] || line="$line answered=$answered"
    peak=$(peak_mib)
    [ "$peak" -gt "$max_peak" ] && max_peak=$peak
    line="$line peak=$peak"
  fi
  echo "$1|$2|$3|$line" >>"$results"
  echo "  $1 · $2 · $3 conn: $line"
  settle
}

# A server runs for days: the figures are those of a warm one (the JIT's second tier takes over in the first thousand
# or so calls of a method; cold, the first 30 s of the ledger answered at about half the rate).
warmup=${WARMUP:-10s}
# The peak so far (start, migrations of the content version, sign-in) and each path's first computations apart: a
# path's first answer is computed cold, which the measured runs (kept answers, warm) no longer see.
start_peak=$(peak_mib)
max_peak=$start_peak
# The request headers of a target's auth column: header (the credential) and extra (or empty).
headers() {
  [ "$auth" = cookie ] && sign_in
  header="Cookie: $cookie"
  extra=""
  case "$auth" in
    bearer) header="Authorization: Bearer $token" ;;
    bearer-gzip) header="Authorization: Bearer $token"; extra=$gzip_asked ;;
  esac
}
echo "== warm up ($warmup per path at 4 connections, not recorded; peak RSS so far $start_peak MB)"
warmup_peaks=""
for target in "${targets[@]}"; do
  IFS='|' read -r label url auth sql <<<"$target"
  headers
  echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || true
  wrk -t2 -c4 -d"$warmup" --timeout 10s -H "$header" ${extra:+-H "$extra"} "$url" >/dev/null 2>&1 || true
  settle
  peak=$(peak_mib)
  [ "$peak" -gt "$max_peak" ] && max_peak=$peak
  warmup_peaks="$warmup_peaks${warmup_peaks:+, }$label $peak"
  echo "  $label: peak RSS $peak MB"
done

echo "== load ($mode: $duration each, connections: $connections)"
# The same bare endpoint sending as many bytes as the ledger API's page: what moving that answer costs alone.
ledger_bytes=$(curl -sS -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $token" "$base/api/v1/inspections/$typical/ledger?pageSize=50")
ledger_gzip_bytes=$(curl -sS -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $token" -H "$gzip_asked" "$base/api/v1/inspections/$typical/ledger?pageSize=50")
for c in $connections; do
  run "fixed body" "bare Kestrel" "$c" "$baseline/bare" ""
  run "fixed body, $ledger_bytes B (ledger API's size)" "bare Kestrel" "$c" "$baseline/bare?bytes=$ledger_bytes" ""
  run "fixed body, $ledger_gzip_bytes B (ledger API's size gzipped)" "bare Kestrel" "$c" "$baseline/bare?bytes=$ledger_gzip_bytes" ""
done
for target in "${targets[@]}"; do
  IFS='|' read -r label url auth sql <<<"$target"
  headers
  for c in $connections; do
    run "$label" product "$c" "$url" "$header" "$extra"
    if [ -n "$sql" ]; then run "$label" "raw SQL" "$c" "$sql" ""; fi
  done
done

rss_kib=$(ps -o rss= -p "$server_pid" | tr -d ' ')
# The server gives back what a busy spell left once it has been quiet for a spell (Memory:QuietSeconds, 10 s; ADR
# 0034): the resident size again after 25 s of quiet, and the peak of the whole run.
sleep "${QUIET_WAIT:-25}"
rss_quiet_kib=$(ps -o rss= -p "$server_pid" | tr -d ' ')
[ "$(peak_mib)" -gt "$max_peak" ] && max_peak=$(peak_mib)
# What the quiet resident size is made of: the JIT's code and stubs (mapped twice under W^X, counted once), anonymous
# memory (the GC's heap, the C library's), mapped files (the ReadyToRun images and native libraries as far as they ran).
rss_parts=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { n = $6 } /^Rss:/ { if (n ~ /doublemapper/) d += $2; else if (n == "" || n ~ /^\[/) a += $2; else f += $2 }
  END { printf "code %d MB, anonymous %d MB, files %d MB", d / 1024, a / 1024, f / 1024 }' "/proc/$server_pid/smaps")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $scale (seed $seed) on $database_label, $mode, answers kept: $answers, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET $(dotnet --version)"
echo "load average before: $load_before; after: $load_after"
echo "database: $(database_size) MB; start to healthy: $healthy_ms ms; server RSS after load: $((rss_kib / 1024)) MB, after ${QUIET_WAIT:-25} s of quiet: $((rss_quiet_kib / 1024)) MB ($rss_parts), peak: $max_peak MB"
echo "peak RSS at start: $start_peak MB; in each path's warm-up: $warmup_peaks MB"
echo
# server CPU µs/req: the answering process's CPU time over the run divided by the answers in it, refusals (429) and
# errors included; "—" when the process was gone by the run's end. On PostgreSQL the statements' own time is spent in
# the database's processes and is not in it (said under the table).
clock_ticks=$(getconf CLK_TCK)
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' path variant conn "req/s" "p50 ms" "p95 ms" "p99 ms" errors timeouts "peak RSS MB" "server CPU µs/req"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
while IFS='|' read -r label variant c line; do
  declare -A f=()
  for kv in ${line#RESULT }; do f[${kv%%=*}]=${kv#*=}; done
  rps=$(awk -v r="${f[requests]}" -v s="${f[seconds]}" 'BEGIN { printf "%.1f", (s > 0 ? r / s : 0) }')
  ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
  errors=$(( f[connect] + f[read] + f[write] + f[status] ))
  # The export answers 429 beyond two at a time, by design; any other path must still answer 200 when its run ends.
  [ -n "${f[answered]:-}" ] && [ "${f[answered]}" != 429 ] && errors="$errors (answered ${f[answered]} at the end: not measured)"
  if [ "${f[requests]}" = 0 ]; then
    # wrk drops the requests still open at the end of the run: none answered within it.
    printf '| %s | %s | %s | 0 | — | — | — | %s | none answered in %s | %s | — |\n' "$label" "$variant" "$c" "$errors" "$duration" "${f[peak]:-—}"
    unset f
    continue
  fi
  cpu=$(awk -v t="${f[cpu_ticks]:-0}" -v hz="$clock_ticks" -v r="${f[requests]}" 'BEGIN { if (t < 0) print "—"; else printf "%.1f", t * 1000000 / hz / r }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$variant" "$c" "$rps" "$(ms "${f[p50]}")" "$(ms "${f[p95]}")" "$(ms "${f[p99]}")" "$errors" "${f[timeout]}" "${f[peak]:-—}" "$cpu"
  unset f
done <"$results"
if [ -n "$postgres" ]; then
  echo
  echo "(server CPU µs/req on PostgreSQL: the product's and the baseline's own processes only; the statements' time is spent in the database's processes.)"
fi
