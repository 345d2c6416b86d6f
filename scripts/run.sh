#!/usr/bin/env bash
# Start Journey on http://localhost:8069 with demo data.
#
#   scripts/run.sh           create the database "journey" (all addons under
#                            addons/, with demo data) or upgrade it, then serve
#   scripts/run.sh --reset   drop the database first and start from scratch
#
# Simplified Chinese is loaded beside English. Each user keeps their own
# language: in a new demo database the delivery specialist, the service advisor
# and the customer Zhao Lei read Chinese, everyone else English.
#
# Needs Odoo 18 Community importable as `odoo` by python3, or at $ODOO_PATH
# (the directory that contains the `odoo` package). Odoo itself and its own
# Python requirements are not installed by this script; everything else is
# (Debian packages, requirements.txt, PostgreSQL cluster and role).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

DB=journey
RESET=0
for arg in "$@"; do
    case "$arg" in
        --reset) RESET=1 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (usage: scripts/run.sh [--reset])" ;;
    esac
done

detect_odoo || die "$ODOO_MISSING_REASON"
log "Odoo $ODOO_VERSION at $ODOO_DIR"
prepare_odoo_env
ADDONS="$(addons_csv)"

[ "$RESET" = 1 ] && db_drop "$DB"

# A new demo database shows both languages: Simplified Chinese is loaded beside
# English (as Settings > Languages > Add does: English stays the default) and
# some demo users read Chinese. An upgrade (-u) refreshes the translations of
# every active language.
demo_languages() {
    log "Loading Simplified Chinese; demo users in Chinese: delivery, service, zhao.lei"
    "$PYTHON" -m odoo shell -c "$RUN_CONF" -d "$1" --no-http --log-level=warn <<'PY' >/dev/null \
        || die "could not load Simplified Chinese into $1"
lang = env["res.lang"]._activate_lang("zh_CN")
env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)]}).lang_install()
users = env["res.users"].search([("login", "in", ["delivery", "service", "zhao.lei"])])
users.write({"lang": "zh_CN"})
users.partner_id.write({"lang": "zh_CN"})
env.cr.commit()
PY
}

# Our databases run with PostgreSQL's JIT off (see db_set_jit_off in lib.sh).
if db_exists "$DB"; then
    db_set_jit_off "$DB"
    log "Upgrading $ADDONS in database $DB"
    odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init \
        || die "upgrade of $ADDONS failed (see the log above); scripts/run.sh --reset starts from a fresh database"
else
    log "Creating database $DB with $ADDONS and demo data"
    db_create "$DB"
    if ! odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init; then
        db_drop "$DB" >/dev/null 2>&1 || true
        die "installation of $ADDONS failed (see the log above)"
    fi
    demo_languages "$DB"
fi

cat <<EOF

  Journey is starting on http://localhost:8069
  Database: $DB (demo data)   Login: admin / admin
  Staff logins (password = login): sales, delivery, service, aftersales, cx;
  customer portal: zhao.lei. Languages: English, 简体中文 (Preferences).
  Stop with Ctrl+C.

EOF
exec "$PYTHON" -m odoo -c "$RUN_CONF" -d "$DB"
