# Sourced by tests/scale/run.sh and bench.sh: a throwaway PostgreSQL 15 on 127.0.0.1 and a free port, in $work
# (which the caller creates and removes). As root, the server runs as the postgres user. Sets $port and $as_pg.
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
pgdata="$work/pgdata"
as_pg=()

start_postgres() {
  [ -x "$pg_bin/initdb" ] || { echo "scale: no PostgreSQL server binaries in $pg_bin (apt-get install postgresql-15, or set PG_BIN)" >&2; return 1; }
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; chmod 755 "$work"; as_pg=(runuser -u postgres --); fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -A trust -U postgres >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; return 1; }
  pg_options="-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200"
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -o "$pg_options" -w start >&2 \
    || { cat "$work/pg.log" >&2; return 1; }
  psql "postgresql://postgres@127.0.0.1:$port/postgres" -qAt -c 'CREATE DATABASE scale' || return 1
  export SCALE_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=scale"
  export SCALE_PSQL_URL="postgresql://postgres@127.0.0.1:$port/scale"
  export TRAINING_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  # restart.test.mjs restarts, stops and starts the server mid-run as an operator would: "$SCALE_PG_CTL -m fast restart".
  export SCALE_PG_CTL="${as_pg[*]} $pg_bin/pg_ctl -D $pgdata -l $work/pg.log -w -o '$pg_options'"
}

stop_postgres() {
  [ -f "$pgdata/postmaster.pid" ] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1
  return 0
}
