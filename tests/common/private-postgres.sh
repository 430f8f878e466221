#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A private PostgreSQL cluster for scripts (deploy/dev depot), the shell twin of PrivatePostgres.h:
#   private-postgres.sh start DIR            create the cluster in DIR the first time, then start it (waits)
#   private-postgres.sh stop DIR             stop it (fast shutdown); the data stays for the next start
#   private-postgres.sh url DIR DBNAME       print the database's URL: postgresql:///DBNAME?host=...&port=...&user=rs
#   private-postgres.sh createdb DIR DBNAME  CREATE DATABASE unless it exists (the server must be running)
#   private-postgres.sh psql DIR DBNAME [ARGS] psql -XAtq -v ON_ERROR_STOP=1 on that database, plus ARGS
#   private-postgres.sh remove DIR           stop it and delete it, DIR included
# Unix socket only (listen_addresses=''), its own port number, trust authentication, superuser rs, fsync and
# synchronous_commit on. Binaries: the newest /usr/lib/postgresql/*/bin (or $RS_PG_BINDIR).
# PostgreSQL's server refuses to run as root: as root, the cluster belongs to $RS_PG_USER (else postgres, else
# nobody) and initdb/pg_ctl run as it; clients connect as rs through the socket.
# The cluster lives in DIR (data/, sock/, server.log) unless the server's account cannot reach DIR or the
# socket's path would be too long (unix socket paths: ~107 bytes): then in /tmp/rs-pg-XXXXXX, named in DIR/home.
set -euo pipefail

die() { echo "private-postgres.sh: $*" >&2; exit 1; }

for v in $(compgen -e); do
    [[ $v == PG* ]] && unset "$v"
done
export LC_ALL=C

bindir=${RS_PG_BINDIR:-}
if [[ -z $bindir ]]; then
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[[ -n $bindir && -x $bindir/pg_ctl ]] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl; Debian package postgresql)"

account=
as_server=()
if [[ $(id -u) -eq 0 ]]; then
    account=${RS_PG_USER:-}
    if [[ -z $account ]]; then
        for a in postgres nobody; do
            if getent passwd "$a" >/dev/null; then account=$a; break; fi
        done
    fi
    [[ -n $account ]] || die "running as root, but there is no unprivileged account for the server (set RS_PG_USER)"
    if command -v runuser >/dev/null; then
        as_server=(runuser -u "$account" --)
    else
        as_server=(setpriv "--reuid=$account" "--regid=$(id -g "$account")" --init-groups --)
    fi
fi

# Runs a PostgreSQL program as the server's account, from a directory it can enter.
server() { (cd / && "${as_server[@]}" "$@"); }

usage() { sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || usage
dir=$(realpath -m "$dir")

home=
if [[ -f $dir/home ]]; then
    home=$(<"$dir/home")
fi

log_tail() { [[ -f $home/server.log ]] && { echo "--- $home/server.log (tail) ---"; tail -n 30 "$home/server.log"; } >&2 || true; }

running() { [[ -n $home && -f $home/data/postmaster.pid ]] && server "$bindir/pg_ctl" -D "$home/data" status >/dev/null 2>&1; }

create() {
    mkdir -p "$dir"
    local port=$((20000 + ($$ * 16) % 40000))
    home=$dir
    if ((${#dir} + 20 > 100)); then
        home=
    elif [[ -n $account ]]; then
        chown "$account:" "$dir"
        server test -w "$dir/." -a -x "$dir/." || home=
    fi
    if [[ -z $home ]]; then
        home=$(mktemp -d /tmp/rs-pg-XXXXXX)
        [[ -n $account ]] && chown "$account:" "$home"
    fi
    server mkdir -p "$home/sock"
    chmod 700 "$home/sock"
    server "$bindir/initdb" -D "$home/data" -U rs --auth=trust -E UTF8 --locale=C --no-instructions >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed for $home/data${account:+ (as $account)}"; }
    server tee -a "$home/data/postgresql.conf" >/dev/null <<EOF

# private-postgres.sh
listen_addresses = ''
port = $port
unix_socket_directories = '$home/sock'
unix_socket_permissions = 0700
fsync = on
synchronous_commit = on
recovery_init_sync_method = syncfs
shared_buffers = 32MB
max_connections = 100
log_line_prefix = '%m [%p] '
EOF
    echo "$home" >"$dir/home"
    echo "$port" >"$dir/port"
}

case $cmd in
start)
    if [[ -z $home || ! -f $home/data/PG_VERSION ]]; then
        create
    fi
    if running; then
        echo "PostgreSQL is already running in $home"
        exit 0
    fi
    server "$bindir/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 120 start >/dev/null ||
        { log_tail; die "pg_ctl start failed for $home/data"; }
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running in $home${account:+ as $account}, socket $home/sock, port $(<"$dir/port")"
    ;;
stop)
    if running; then
        server "$bindir/pg_ctl" -D "$home/data" -w -t 120 -m fast stop >/dev/null ||
            { log_tail; die "pg_ctl stop failed for $home/data"; }
    fi
    ;;
remove)
    if running; then
        server "$bindir/pg_ctl" -D "$home/data" -w -t 120 -m immediate stop >/dev/null || { log_tail; die "pg_ctl stop failed for $home/data"; }
    fi
    if [[ -n $home && $home != "$dir" && $home == /tmp/rs-pg-* ]]; then
        rm -rf "$home"
    fi
    rm -rf "$dir"
    ;;
psql)
    db=${3:-}
    [[ -n $db ]] || usage
    [[ -n $home && -f $dir/port ]] || die "no cluster in $dir (run: private-postgres.sh start $dir)"
    exec "$bindir/psql" -XAtq -v ON_ERROR_STOP=1 -h "$home/sock" -p "$(<"$dir/port")" -U rs -d "$db" "${@:4}"
    ;;
url | createdb)
    db=${3:-}
    [[ -n $db ]] || usage
    [[ -n $home && -f $dir/port ]] || die "no cluster in $dir (run: private-postgres.sh start $dir)"
    if [[ $cmd == url ]]; then
        encoded=$(python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""), u.quote(sys.argv[2], safe="/"))' "$db" "$home/sock")
        echo "postgresql:///${encoded% *}?host=${encoded#* }&port=$(<"$dir/port")&user=rs"
    else
        psql=("$bindir/psql" -XAtq -v ON_ERROR_STOP=1 -h "$home/sock" -p "$(<"$dir/port")" -U rs -d postgres)
        exists=$("${psql[@]}" -v name="$db" <<<"SELECT 1 FROM pg_database WHERE datname = :'name'") ||
            die "cannot reach the server in $home (is it started?)"
        if [[ -z $exists ]]; then
            "${psql[@]}" -v name="$db" <<<'CREATE DATABASE :"name"'
        fi
    fi
    ;;
*)
    usage
    ;;
esac
