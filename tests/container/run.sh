#!/usr/bin/env bash
# What the Dockerfile does, without Docker (no engine runs on CI machines): publish the API (Release, no tests) to a
# temporary /app, then run it as the image would — the Dockerfile's ENV plus docker-compose.yml's default service
# (deploy/single.env), /data mapped to a temporary directory, as an unprivileged user when started as root — and
# check it: /healthz, /readyz, the --healthcheck probe, the dashboard, one run trained over REST, SIGTERM mid-run
# (clean exit within the compose file's 30 s grace period) and the interrupted run resuming after a restart.
# Last line: "N passed, N failed". Needs: dotnet SDK 10, curl, python3.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/ts-container.XXXXXX)"
chmod 755 "$work"
app="$work/app" data="$work/data" log="$work/app.log"
pid=""
passed=0 failed=0

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

check() { # name, then a command that succeeds when the check passes
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; [ -f "$log" ] && tail -n 20 "$log" | sed 's/^/    /'; fi
}
finish() { echo "${passed} passed, ${failed} failed"; [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; exit $?; }

echo "== publish (as the Dockerfile's build stage)"
if ! dotnet publish "$root/src/TrainingService.Api/TrainingService.Api.csproj" -c Release -o "$app" -nologo -v quiet >"$work/publish.log" 2>&1; then
  tail -n 30 "$work/publish.log"; failed=1; finish
fi
mkdir -p "$data"

# The environment: the Dockerfile's ENV lines, then the compose service's env_file; /data is the volume.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
declare -a envs=()
while IFS= read -r kv; do envs+=("${kv//\/data/$data}"); done < <(
  awk '/^ENV /{on=1; sub(/^ENV /,"")} on{line=$0; sub(/\\$/,"",line); n=split(line, parts, " "); for(i=1;i<=n;i++) if (parts[i] ~ /=/) print parts[i]; if ($0 !~ /\\$/) on=0}' "$root/Dockerfile"
  grep -Ev '^\s*(#|$)' "$root/deploy/single.env")
envs+=("ASPNETCORE_HTTP_PORTS=$port")   # the container's 8080, on a free port here
printf '   %s\n' "${envs[@]}"

# The image runs as a non-root user that owns /data only.
as_user=()
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  chown -R nobody "$data"
  # setpriv execs the app itself (runuser would sit in between and SIGKILL it 2 s after a SIGTERM).
  as_user=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups --)
fi
url="http://127.0.0.1:$port"

start() {
  (cd "$app" && exec "${as_user[@]}" env -i PATH="$PATH" HOME="$work" DOTNET_ROOT="${DOTNET_ROOT:-}" "${envs[@]}" dotnet "$app/TrainingService.Api.dll") >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
submit() { curl -fsS -X POST "$url/api/runs" -H 'content-type: application/json' -d "$1" | json 'd["id"]'; }
status() { curl -fsS "$url/api/runs/$1" | json 'd["status"]'; }
wait_status() { # id, wanted statuses (regex), seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do [[ "$(status "$1")" =~ ^($2)$ ]] && return 0; sleep 0.1; done; return 1
}
probe() { (cd "$app" && env -i PATH="$PATH" HOME="$work" "${envs[@]}" dotnet "$app/TrainingService.Api.dll" --healthcheck >/dev/null 2>&1); }

echo "== run the published app"
check "starts and answers /healthz" start
check "/readyz is Healthy (database and worker)" test "$(curl -fsS "$url/readyz")" = "Healthy"
check "the HEALTHCHECK command (--healthcheck) exits 0" probe
check "the dashboard is served from the published wwwroot" bash -c "curl -fsS '$url/' | grep -qi '<html'"
check "the database is created in the data volume" test -f "$data/training.db"
check "the process does not run as root" bash -c "[ \"\$(id -u)\" -ne 0 ] || [ \"\$(ps -o user= -p $pid)\" != root ]"

small='{"dataset":{"name":"moons"},"batchSize":16,"epochs":5,"seed":4}'
id=$(submit "$small")
check "a run submitted over REST succeeds" wait_status "$id" succeeded 60
check "its metrics hold one step per step of the run" bash -c "
  run=\$(curl -fsS '$url/api/runs/$id'); m=\$(curl -fsS '$url/api/runs/$id/metrics')
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); m=json.loads(sys.argv[2]); s=[p[\"step\"] for p in m[\"steps\"]]; t=r[\"progress\"][\"totalSteps\"]; sys.exit(0 if s==list(range(1,t+1)) and len(m[\"epochs\"])==5 else 1)' \"\$run\" \"\$m\""

slow='{"dataset":{"name":"spiral","samples":20000},"model":{"hidden":[128,128]},"batchSize":16,"epochs":3,"seed":3}'
long=$(submit "$slow")
wait_status "$long" running 30
sleep 2  # under way, past the first flushes
kill -TERM "$pid"
t0=$(date +%s%N); code=0
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then code=timeout; else wait "$pid"; code=$?; fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "   SIGTERM → exit $code after ${ms} ms"
check "SIGTERM mid-run stops the app cleanly (exit 0) within the 30 s grace period" test "$code" = 0
pid=""
probe_fails() { ! probe; }
check "the --healthcheck probe exits non-zero when the app is down" probe_fails
check "restarted on the same volume, it serves again" start
check "the run interrupted by SIGTERM resumed and succeeded" wait_status "$long" succeeded 180
check "earlier runs are intact after the restart" test "$(status "$id")" = succeeded
kill -TERM "$pid"; wait "$pid"; pid=""

finish
