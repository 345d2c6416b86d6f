#!/usr/bin/env bash
# Journey's test command (CI runs it through .ci/run).
#
# 1. Static checks, no Odoo needed: manifests, XML, translations, pylint-odoo.
# 2. If Odoo 18 is importable (as `odoo`, or from $ODOO_PATH):
#    - install all addons without demo data (database journey_test_nodemo) and
#      with demo data (database journey_test); any WARNING/ERROR/CRITICAL line
#      in either log fails the run;
#    - run pytest-odoo over addons/ and tests/ (HttpCase and browser tours
#      included); a skipped test fails the run.
#    Without Odoo the suite is reported as SKIPPED and the exit status is 0.
#
# Odoo itself and its own Python requirements are not installed by this script.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
mkdir -p "$RUN_DIR"

for arg in "$@"; do
    case "$arg" in
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (usage: scripts/test.sh)" ;;
    esac
done

mapfile -t ADDON_NAMES < <(list_addons)

# ------------------------------------------------------------ static checks
log "Static checks"
if ! command -v msgfmt >/dev/null 2>&1; then
    ( ensure_apt msgfmt:gettext ) || warn "gettext could not be installed: translations are checked with polib"
fi
"$PYTHON" scripts/check_static.py || die "static checks failed (see above)"

if [ "${#ADDON_NAMES[@]}" -gt 0 ]; then
    "$PYTHON" -c 'import pylint_odoo' >/dev/null 2>&1 || ensure_python_requirement pylint-odoo
    log "pylint-odoo on: ${ADDON_NAMES[*]}"
    if ! "$PYTHON" -m pylint --rcfile=.pylintrc "${ADDON_NAMES[@]/#/addons/}"; then
        die "pylint-odoo reported problems (see above; checks are configured in .pylintrc)"
    fi
    log "pylint-odoo: OK"
else
    log "No addon under addons/: pylint skipped"
fi

# -------------------------------------------------------------- Odoo suite
if ! detect_odoo; then
    echo
    echo "Odoo suite SKIPPED: $ODOO_MISSING_REASON."
    echo "Static checks passed."
    exit 0
fi
log "Odoo $ODOO_VERSION at $ODOO_DIR"
[ "${#ADDON_NAMES[@]}" -gt 0 ] || die "no addon under addons/ to test"
ADDONS="$(addons_csv)"

prepare_odoo_env

# Browser tours: Odoo runs the first of google-chrome/chromium/... on PATH,
# headless with --no-sandbox (so running as root works), and *skips* the tour
# when the browser or websocket-client is missing. Check both up front so a
# broken browser is reported as such.
"$PYTHON" -c 'import websocket' 2>/dev/null \
    || die "websocket-client is not importable: browser tours would be skipped"
BROWSER=""
for b in google-chrome chromium chromium-browser google-chrome-stable; do
    if command -v "$b" >/dev/null 2>&1; then BROWSER="$(command -v "$b")"; break; fi
done
[ -n "$BROWSER" ] || die "no Chrome/Chromium on PATH: browser tours would be skipped"
if ! timeout 90 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --dump-dom 'data:text/html,<p>journey-ok</p>' 2>/dev/null | grep -q journey-ok; then
    die "$BROWSER does not start headless: browser tours would be skipped"
fi

# Install into a fresh database and fail on any warning/error in the log.
install_and_check() {
    local db="$1" logfile="$2"; shift 2
    db_drop "$db"
    log "Installing $ADDONS into $db${*:+ $*} (log: ${logfile#"$REPO_ROOT"/})"
    local rc=0
    odoo_bin -d "$db" -i "$ADDONS" --stop-after-init --log-level=info "$@" >"$logfile" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 80 "$logfile"
        die "installing $ADDONS into $db failed (exit $rc, full log: ${logfile#"$REPO_ROOT"/})"
    fi
    local bad
    bad="$(grep -nE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$logfile" || true)"
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | head -n 100
        die "the log of installing into $db has $(printf '%s\n' "$bad" | wc -l) WARNING/ERROR/CRITICAL line(s) (full log: ${logfile#"$REPO_ROOT"/})"
    fi
    log "$db: installed, clean log"
}

install_and_check journey_test_nodemo "$RUN_DIR/install_nodemo.log" --without-demo=all
install_and_check journey_test "$RUN_DIR/install_demo.log"
db_drop journey_test_nodemo

# pytest-odoo over the addons' tests and the cross-addon journeys in tests/.
JUNIT="$RUN_DIR/pytest.xml"
rm -f "$JUNIT"
log "pytest on addons/ and tests/ (database journey_test)"
rc=0
"$PYTHON" -m pytest --odoo-config="$RUN_CONF" --odoo-database=journey_test --odoo-http \
    -rs -p no:cacheprovider --junitxml="$JUNIT" addons tests || rc=$?
if [ "$rc" -eq 5 ]; then
    die "pytest collected no test: every addon must ship tests (addons/<addon>/tests/test_*.py)"
fi
[ -f "$JUNIT" ] || die "pytest wrote no report ($JUNIT), exit status $rc"

# Parallel signings against a real server with prefork workers (HttpCase runs
# Odoo in threads): one signature per document, every request answered.
log "Parallel signings against a multi-worker server (database journey_test)"
parallel_rc=0
"$PYTHON" tests/concurrency/parallel_signing.py -c "$RUN_CONF" -d journey_test || parallel_rc=$?

# Summarise the junit report; a skipped test is not a passed one.
summary="$("$PYTHON" - "$JUNIT" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
total = failed = errors = 0
skipped = []
for case in root.iter("testcase"):
    total += 1
    name = f"{case.get('classname', '')}::{case.get('name', '')}"
    if case.find("failure") is not None:
        failed += 1
    if case.find("error") is not None:
        errors += 1
    node = case.find("skipped")
    if node is not None:
        skipped.append(f"SKIPPED {name}: {node.get('message', '')}")
for line in skipped:
    print(line)
print(f"{total} {failed} {errors} {len(skipped)}")
PY
)"
counts="$(printf '%s\n' "$summary" | tail -n 1)"
read -r total failed errors skipped <<<"$counts"
skipped_lines="$(printf '%s\n' "$summary" | sed '$d')"
passed=$((total - failed - errors - skipped))

echo
if [ "$skipped" -gt 0 ]; then
    printf '%s\n' "$skipped_lines"
    echo "A skipped test counts as a failure (a tour needs Chromium and websocket-client)."
fi
result="Odoo suite: $total test(s): $passed passed, $failed failed, $errors error(s), $skipped skipped (pytest exit $rc)."
if [ "$parallel_rc" -ne 0 ]; then
    result="$result Parallel signing FAILED (exit $parallel_rc)."
else
    result="$result Parallel signing passed."
fi
if [ "$rc" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$errors" -gt 0 ] || [ "$skipped" -gt 0 ] || [ "$parallel_rc" -ne 0 ]; then
    echo "FAILED - $result"
    exit 1
fi
echo "PASSED - static checks, clean installs with and without demo data. $result"
