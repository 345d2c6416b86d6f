# shellcheck shell=bash
# Helpers shared by scripts/run.sh and scripts/test.sh. Source it, do not run it.
#
# Conventions: every helper either succeeds or calls `die` with a one-line
# explanation. Nothing here installs Odoo itself: Odoo 18 Community must be
# importable as `odoo` by python3, or found at $ODOO_PATH.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$REPO_ROOT/.run"
RUN_CONF="$RUN_DIR/odoo.conf"
PYTHON="${PYTHON:-python3}"

DB_HOST=127.0.0.1
DB_PORT=5432
DB_USER=odoo
DB_PASSWORD=odoo

export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_ROOT_USER_ACTION=ignore
export DEBIAN_FRONTEND=noninteractive

log() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command as root (directly, or through non-interactive sudo).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Run a command as the postgres system user, from a directory it can read.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    elif [ "$(id -un)" = postgres ]; then
        (cd / && "$@")
    else
        (cd / && sudo -n -u postgres "$@")
    fi
}

# Addon directories (names) under addons/ that have a __manifest__.py.
list_addons() {
    local manifest
    for manifest in "$REPO_ROOT"/addons/*/__manifest__.py; do
        [ -f "$manifest" ] || continue
        basename "$(dirname "$manifest")"
    done
}

# Comma-separated list of our addons; dies when there is none.
addons_csv() {
    local csv
    csv="$(list_addons | paste -sd, -)"
    [ -n "$csv" ] || die "no addon found under addons/ (no addons/*/__manifest__.py)"
    printf '%s' "$csv"
}

# ---------------------------------------------------------------- system deps

# Install the Debian packages that are missing. Arguments: "command:package"
# (checked with `command -v`) or "package" (checked with dpkg).
ensure_apt() {
    local spec cmd pkg missing=()
    for spec in "$@"; do
        if [[ "$spec" == *:* ]]; then
            cmd="${spec%%:*}"; pkg="${spec#*:}"
            command -v "$cmd" >/dev/null 2>&1 && continue
        else
            pkg="$spec"
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' && continue
        fi
        missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 \
        || die "missing system packages (${missing[*]}) and no apt-get to install them"
    log "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
}

ensure_system_deps() {
    local browser=chromium:chromium b
    # Odoo's tours use the first of these found on PATH.
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null 2>&1 && browser="" && break
    done
    ensure_apt pg_ctlcluster:postgresql psql:postgresql-client libpq-dev \
        wkhtmltopdf:wkhtmltopdf msgfmt:gettext $browser
    ensure_cjk_font
}

# Chinese in PDFs: wkhtmltopdf draws CJK text only with a CJK font on the
# server (otherwise every character prints as an empty box). Any font that
# fontconfig knows for Chinese will do (fonts-noto-cjk, for example); Debian's
# fonts-wqy-microhei is installed when there is none.
ensure_cjk_font() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then
        return 0
    fi
    ensure_apt fonts-wqy-microhei
}

# --------------------------------------------------------------- python deps

# Succeeds when every requirement of the given file is installed in a
# compatible version (so that pip, and its network access, is only used when
# something is missing).
requirements_satisfied() {
    "$PYTHON" - "$1" <<'PY' 2>/dev/null
import sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
ok = True
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker and not req.marker.evaluate():
        continue
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        ok = False
        continue
    if req.specifier and not req.specifier.contains(version, prereleases=True):
        ok = False
sys.exit(0 if ok else 1)
PY
}

# pip-install a requirements file (or a subset given as extra arguments).
pip_install() {
    local reqfile="$1"
    requirements_satisfied "$reqfile" && return 0
    log "Installing Python requirements from ${reqfile#"$REPO_ROOT"/}"
    "$PYTHON" -m pip install -q -r "$reqfile" \
        || die "pip install -r ${reqfile#"$REPO_ROOT"/} failed (for an externally managed Python, use a virtualenv that also holds Odoo's requirements)"
}

ensure_python_requirements() {
    pip_install "$REPO_ROOT/requirements.txt"
}

# Install only the requirement lines matching a package name (e.g. the linter
# for the static checks, which must not need a C toolchain for psycopg2).
ensure_python_requirement() {
    local name="$1" tmp
    tmp="$(mktemp)"
    grep -iE "^[[:space:]]*${name}([<>=!~ ;[]|$)" "$REPO_ROOT/requirements.txt" > "$tmp" || echo "$name" > "$tmp"
    pip_install "$tmp"
    rm -f "$tmp"
}

# ---------------------------------------------------------------------- odoo

# Sets ODOO_DIR (directory of the odoo package) and ODOO_VERSION, and exports
# PYTHONPATH when ODOO_PATH is used. Returns 1 and sets ODOO_MISSING_REASON
# (one line) when Odoo 18 cannot be imported.
detect_odoo() {
    ODOO_MISSING_REASON=""
    if [ -n "${ODOO_PATH:-}" ]; then
        if [ ! -f "$ODOO_PATH/odoo/__init__.py" ]; then
            ODOO_MISSING_REASON="ODOO_PATH=$ODOO_PATH does not contain an odoo package (expected $ODOO_PATH/odoo/__init__.py)"
            return 1
        fi
        ODOO_PATH="$(cd "$ODOO_PATH" && pwd)"
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    fi
    local out
    if ! out="$("$PYTHON" -c 'import os, odoo, odoo.release; print(os.path.dirname(odoo.__file__)); print(odoo.release.version)' 2>&1)"; then
        local err
        err="$(printf '%s\n' "$out" | grep -v '^[[:space:]]' | tail -n 1)"
        if [ -n "${ODOO_PATH:-}" ]; then
            ODOO_MISSING_REASON="odoo from ODOO_PATH=$ODOO_PATH cannot be imported ($err); install Odoo's Python requirements"
        elif printf '%s' "$out" | grep -q "No module named 'odoo'"; then
            ODOO_MISSING_REASON="odoo is not importable by $PYTHON (set ODOO_PATH to an Odoo 18 source tree)"
        else
            ODOO_MISSING_REASON="odoo is found but cannot be imported ($err); install Odoo's Python requirements"
        fi
        return 1
    fi
    ODOO_DIR="$(printf '%s\n' "$out" | sed -n 1p)"
    ODOO_VERSION="$(printf '%s\n' "$out" | sed -n 2p)"
    case "$ODOO_VERSION" in
        18.0*) ;;
        *) ODOO_MISSING_REASON="found Odoo $ODOO_VERSION at $ODOO_DIR, but Journey needs Odoo 18.0"; return 1 ;;
    esac
    return 0
}

# Writes .run/odoo.conf from the committed odoo.conf with absolute paths.
# Optional arguments: the file to write (default .run/odoo.conf) and the
# directory of Journey's addons (default addons/ of this checkout; the upgrade
# test points it at an older release).
generate_config() {
    local dest="${1:-$RUN_CONF}" journey_addons="${2:-$REPO_ROOT/addons}"
    mkdir -p "$RUN_DIR/filestore"
    local odoo_addons="$ODOO_DIR/addons"
    # A git checkout of Odoo also has <root>/addons next to <root>/odoo.
    local extra_addons
    extra_addons="$(dirname "$ODOO_DIR")/addons"
    if [ -f "$extra_addons/web/__manifest__.py" ]; then
        odoo_addons="$odoo_addons,$extra_addons"
    fi
    [ -f "$ODOO_DIR/addons/base/__manifest__.py" ] \
        || die "Odoo at $ODOO_DIR has no addons/base: not a complete Odoo 18 tree"
    "$PYTHON" - "$REPO_ROOT/odoo.conf" "$dest" "$odoo_addons,$journey_addons" "$RUN_DIR/filestore" <<'PY'
import configparser, sys
src, dst, addons_path, data_dir = sys.argv[1:]
cp = configparser.ConfigParser(interpolation=None)
cp.read(src, encoding="utf-8")
cp["options"]["addons_path"] = addons_path
cp["options"]["data_dir"] = data_dir
with open(dst, "w", encoding="utf-8") as fh:
    fh.write("; GENERATED by scripts/ from odoo.conf - edit odoo.conf instead.\n")
    cp.write(fh)
PY
}

# -------------------------------------------------------------- postgresql

pg_ready() {
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" >/dev/null 2>&1
}

ensure_postgres() {
    if pg_ready; then
        log "PostgreSQL is running on $DB_HOST:$DB_PORT"
    else
        log "Starting PostgreSQL"
        if command -v pg_lsclusters >/dev/null 2>&1; then
            local ver name
            read -r ver name < <(pg_lsclusters -h 2>/dev/null | awk '$3 == "'"$DB_PORT"'" {print $1, $2; exit}') || true
            if [ -z "${ver:-}" ]; then
                ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
                [ -n "$ver" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
                # No cluster uses our port: create one ("main" unless taken).
                name=main
                if pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$ver $name"; then
                    name=journey
                fi
                log "Creating PostgreSQL cluster $ver/$name on port $DB_PORT"
                as_root pg_createcluster --port "$DB_PORT" "$ver" "$name" >/dev/null \
                    || die "pg_createcluster $ver $name failed"
            fi
            as_root pg_ctlcluster "$ver" "$name" start 2>/dev/null \
                || as_root service postgresql start >/dev/null 2>&1 || true
        else
            as_root service postgresql start >/dev/null 2>&1 || true
        fi
        local i
        for i in $(seq 1 30); do
            pg_ready && break
            sleep 1
        done
        pg_ready || die "PostgreSQL does not accept connections on $DB_HOST:$DB_PORT (see /var/log/postgresql/)"
    fi

    local exists
    exists="$(as_postgres psql -p "$DB_PORT" -XtAq -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" \
        || die "cannot run psql as the postgres system user"
    if [ "$exists" != 1 ]; then
        log "Creating PostgreSQL role $DB_USER"
        as_postgres psql -p "$DB_PORT" -XqAt -v ON_ERROR_STOP=1 \
            -c "CREATE ROLE \"$DB_USER\" LOGIN SUPERUSER CREATEDB PASSWORD '$DB_PASSWORD'" >/dev/null \
            || die "cannot create PostgreSQL role $DB_USER"
    fi
    PGPASSWORD="$DB_PASSWORD" psql -XtAq -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -c 'SELECT 1' >/dev/null 2>&1 \
        || die "cannot log in to PostgreSQL as $DB_USER/$DB_PASSWORD on $DB_HOST:$DB_PORT (check pg_hba.conf)"
}

db_psql() {
    PGPASSWORD="$DB_PASSWORD" psql -XtAq -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres "$@"
}

db_exists() {
    [ "$(db_psql -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

db_drop() {
    local db="$1"
    if db_exists "$db"; then
        log "Dropping database $db"
        db_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
    fi
    rm -rf "$RUN_DIR/filestore/filestore/$db"
}

# PostgreSQL's JIT compiles the plans of expensive queries; with Journey's
# record rules on a large database it spends seconds compiling queries that run
# in milliseconds. Every database of ours has it off (new sessions only).
db_set_jit_off() {
    db_psql -c "ALTER DATABASE \"$1\" SET jit = off" >/dev/null \
        || die "cannot set jit = off on database $1"
}

# Create an empty database exactly as Odoo does (Odoo's own function, with the
# configuration's template and extensions), with jit = off from the start;
# `odoo -d <db> -i ...` then initialises it. The database must not exist.
db_create() {
    local db="$1" conf="${2:-$RUN_CONF}"
    "$PYTHON" - "$conf" "$db" <<'PY' || die "cannot create database $db"
import sys

import odoo
from odoo.tools import config

config.parse_config(["-c", sys.argv[1]])
odoo.service.db._create_empty_database(sys.argv[2])
PY
    db_set_jit_off "$db"
}

odoo_bin() {
    "$PYTHON" -m odoo -c "$RUN_CONF" "$@"
}

# Prints the WARNING/ERROR/CRITICAL lines of an Odoo log (with line numbers);
# prints nothing when the log is clean.
odoo_log_problems() {
    grep -nE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$1" || true
}

# A TCP port nobody listens on now, for Odoo's HTTP server in test runs (two
# checkouts testing at once must not share one).
free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Everything Odoo needs to run: system packages, Python requirements,
# PostgreSQL with our role, and the generated configuration.
prepare_odoo_env() {
    ensure_system_deps
    ensure_python_requirements
    ensure_postgres
    generate_config
}
