#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the storage tests and print its URL.
#
#   eval "$(tests/storage_pg/pg_cluster.sh start)"   # exports KINDRED_TEST_PG_URL and KINDRED_TEST_PG_DIR
#   tests/storage_pg/pg_cluster.sh stop "$KINDRED_TEST_PG_DIR"
#
# Needs Debian's postgresql package (initdb/pg_ctl under /usr/lib/postgresql/<ver>/bin). initdb and
# pg_ctl refuse to run as root, so as root they run as the `postgres` user.
set -euo pipefail

pg_bin() {
    local found
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$found" ]; then
        echo "pg_cluster.sh: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
        exit 1
    fi
    echo "$found"
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    BIN=$(pg_bin)
    DIR=$(mktemp -d /tmp/kindred-pg.XXXXXX)
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync -E UTF8 >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    # fsync off: a throwaway test cluster; unix socket in the temp dir so nothing else is touched.
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=100" start >&2 \
        || { cat "$DIR/server.log" >&2; exit 1; }
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres kindred_test
    echo "export KINDRED_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PORT/kindred_test"
    echo "export KINDRED_TEST_PG_DIR=$DIR"
    ;;
stop)
    DIR=${2:?usage: pg_cluster.sh stop DIR}
    BIN=$(pg_bin)
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
    rm -rf "$DIR"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
