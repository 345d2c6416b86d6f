#!/usr/bin/env bash
# Journey's test command (CI runs it through .ci/run).
#
# 1. Static checks, no Odoo needed: scripts/check_static.py (manifests, XML,
#    translations, leftover files), ruff check and ruff format --check
#    (.ruff.toml), pylint-odoo with the mandatory (.pylintrc-mandatory) and the
#    optional checks (.pylintrc), OCA's module and PO checks
#    (oca-checks-odoo-module, oca-checks-po). Any finding fails the run.
# 2. If Odoo 18 is importable (as `odoo`, or from $ODOO_PATH):
#    - install all addons without demo data with `--test-enable`, running every
#      test of our addons (database <prefix>_nodemo), then with demo data
#      (database <prefix>); a failed test or any WARNING/ERROR/CRITICAL line
#      in either log fails the run;
#    - run pytest-odoo over addons/ and tests/ on <prefix> (HttpCase and
#      browser tours included); a skipped test fails the run;
#    - sign documents many times at once against a server with prefork
#      workers (tests/concurrency/parallel_signing.py, on <prefix>);
#    - upgrade test: install the addons of the previous release (the commit in
#      tests/upgrade/previous_version) with demo data into <prefix>_upgrade,
#      upgrade it to the current addons (a WARNING/ERROR line fails the run) and
#      run pytest-odoo over tests/upgrade/ on it. Needs the git history.
#    Without Odoo the suite is reported as SKIPPED and the exit status is 0.
#
# Environment: JOURNEY_DB_PREFIX names the databases (default journey_test:
# journey_test, journey_test_nodemo, journey_test_upgrade). Give each checkout
# its own prefix to run two suites at once, e.g.
#   JOURNEY_DB_PREFIX=tools_test scripts/test.sh
# Every step is timed; the times are printed at the end.
#
# Odoo itself and its own Python requirements are not installed by this script.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
mkdir -p "$RUN_DIR"

for arg in "$@"; do
    case "$arg" in
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown argument: $arg (usage: [JOURNEY_DB_PREFIX=...] scripts/test.sh)" ;;
    esac
done

PREFIX="${JOURNEY_DB_PREFIX:-journey_test}"
[[ "$PREFIX" =~ ^[a-z][a-z0-9_]{0,39}$ ]] \
    || die "JOURNEY_DB_PREFIX=$PREFIX: use lowercase letters, digits and _ (at most 40, starting with a letter)"
[ "$PREFIX" != journey ] || die "JOURNEY_DB_PREFIX=journey would drop the database of scripts/run.sh"
DB_DEMO="$PREFIX"
DB_NODEMO="${PREFIX}_nodemo"
DB_UPGRADE="${PREFIX}_upgrade"
PREVIOUS_VERSION_FILE=tests/upgrade/previous_version

mapfile -t ADDON_NAMES < <(list_addons)

# ------------------------------------------------------------------ timing
# step "name" starts a step (and ends the previous one); the table of every
# step's duration is printed on exit, whatever the outcome, after removing the
# temporary files listed in CLEANUP_PATHS.
STEP_NAME=""
STEP_START=0
STEP_TIMES=()
RUN_START=$SECONDS

fmt_duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

step_end() {
    [ -n "$STEP_NAME" ] || return 0
    STEP_TIMES+=("$(printf '  %-56s %7s  %s' "$STEP_NAME" "$(fmt_duration $((SECONDS - STEP_START)))" "${1:-}")")
    STEP_NAME=""
}

step() {
    step_end
    STEP_NAME="$1"
    STEP_START=$SECONDS
    log "$1"
}

CLEANUP_PATHS=()
on_exit() {
    local rc=$?
    [ "${#CLEANUP_PATHS[@]}" -eq 0 ] || rm -rf "${CLEANUP_PATHS[@]}"
    step_end "$([ "$rc" -eq 0 ] || echo "(stopped here)")"
    if [ "${#STEP_TIMES[@]}" -gt 0 ]; then
        echo
        echo "Time per step:"
        printf '%s\n' "${STEP_TIMES[@]}"
        printf '  %-56s %7s\n' "total" "$(fmt_duration $((SECONDS - RUN_START)))"
    fi
    exit "$rc"
}
trap on_exit EXIT

# ------------------------------------------------------------ static checks
STATIC_FAILED=()
static_check() {
    local name="$1"; shift
    step "static: $name"
    if "$@"; then
        step_end ok
    else
        step_end FAILED
        STATIC_FAILED+=("$name")
    fi
}

step "static: install the tools"
if ! command -v msgfmt >/dev/null 2>&1; then
    ( ensure_apt msgfmt:gettext ) || warn "gettext could not be installed: translations are checked with polib"
fi
ensure_python_requirement ruff
ensure_python_requirement pylint-odoo
ensure_python_requirement oca-odoo-pre-commit-hooks
RUFF=("$PYTHON" -m ruff)

static_check "check_static.py (manifests, XML, translations)" \
    "$PYTHON" scripts/check_static.py
# The whole repository (addons/, tests/, scripts/), as the pre-commit hooks.
static_check "ruff check" "${RUFF[@]}" check --no-fix --output-format=concise .
static_check "ruff format --check" "${RUFF[@]}" format --check --output-format=concise .
if [ "${#ADDON_NAMES[@]}" -gt 0 ]; then
    ADDON_DIRS=("${ADDON_NAMES[@]/#/addons/}")
    static_check "pylint-odoo mandatory (.pylintrc-mandatory)" \
        "$PYTHON" -m pylint --rcfile=.pylintrc-mandatory "${ADDON_DIRS[@]}"
    static_check "pylint-odoo optional (.pylintrc)" \
        "$PYTHON" -m pylint --rcfile=.pylintrc "${ADDON_DIRS[@]}"
    static_check "oca-checks-odoo-module" \
        "$PYTHON" -m oca_pre_commit_hooks.cli "${ADDON_DIRS[@]}"
    mapfile -t PO_FILES < <(ls addons/*/i18n/*.po addons/*/i18n/*.pot 2>/dev/null || true)
    if [ "${#PO_FILES[@]}" -gt 0 ]; then
        static_check "oca-checks-po" \
            "$PYTHON" -m oca_pre_commit_hooks.cli_po --disable=po-pretty-format "${PO_FILES[@]}"
    fi
else
    log "No addon under addons/: pylint and the OCA checks skipped"
fi
step_end
if [ "${#STATIC_FAILED[@]}" -gt 0 ]; then
    printf '  failed: %s\n' "${STATIC_FAILED[@]}" >&2
    die "static checks failed (see above). \`ruff format . && ruff check .\` fixes what can be fixed automatically"
fi
log "Static checks: OK"

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
# Every test of our addons and only of them (`/<addon>` selects the addon's
# standard tests, at_install and post_install).
TEST_TAGS="$(printf '/%s\n' "${ADDON_NAMES[@]}" | paste -sd, -)"

# The upgrade test needs the previous release from git: check it before the
# long steps, so that a shallow clone fails at once and says why.
step "upgrade: find the previous release in git"
[ -f "$PREVIOUS_VERSION_FILE" ] || die "$PREVIOUS_VERSION_FILE is missing (the commit of the previous release)"
PREVIOUS_COMMIT="$(sed -e 's/#.*//' "$PREVIOUS_VERSION_FILE" | tr -d '[:space:]')"
[[ "$PREVIOUS_COMMIT" =~ ^[0-9a-f]{40}$ ]] \
    || die "$PREVIOUS_VERSION_FILE must hold one full git commit hash (40 hex digits), found '$PREVIOUS_COMMIT'"
git rev-parse --git-dir >/dev/null 2>&1 \
    || die "the upgrade test needs the git history, and $REPO_ROOT is not a git checkout"
if ! git cat-file -e "$PREVIOUS_COMMIT^{commit}" 2>/dev/null; then
    if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
        die "this is a shallow clone: the upgrade test needs the commit of the previous release ($PREVIOUS_COMMIT, $PREVIOUS_VERSION_FILE). Fetch the history (git fetch --unshallow; in CI, clone with full depth) and run again"
    fi
    die "commit $PREVIOUS_COMMIT ($PREVIOUS_VERSION_FILE) is not in this repository: fetch it (git fetch origin) or correct the file"
fi
log "Previous release: $PREVIOUS_COMMIT"

step "prepare Odoo (packages, PostgreSQL, config, browser)"
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

# Fail with the WARNING/ERROR/CRITICAL lines of a log, if it has any.
check_log_clean() {
    local logfile="$1" what="$2" bad
    bad="$(odoo_log_problems "$logfile")"
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | head -n 100
        die "the log of $what has $(printf '%s\n' "$bad" | wc -l) WARNING/ERROR/CRITICAL line(s) (full log: ${logfile#"$REPO_ROOT"/})"
    fi
}

# Run Odoo (with the given configuration) and die on a non-zero exit status.
odoo_logged() {
    local conf="$1" logfile="$2" what="$3"; shift 3
    local rc=0
    "$PYTHON" -m odoo -c "$conf" "$@" --stop-after-init --log-level=info >"$logfile" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$logfile"
        echo "--- WARNING/ERROR/CRITICAL lines of ${logfile#"$REPO_ROOT"/}:"
        odoo_log_problems "$logfile" | head -n 100
        die "$what failed (exit $rc, full log: ${logfile#"$REPO_ROOT"/})"
    fi
}

# Install into a fresh database and fail on any warning/error in the log.
install_and_check() {
    local db="$1" logfile="$2"; shift 2
    db_drop "$db"
    db_create "$db"
    log "Installing $ADDONS into $db${*:+ $*} (log: ${logfile#"$REPO_ROOT"/})"
    odoo_logged "$RUN_CONF" "$logfile" "installing $ADDONS into $db" -d "$db" -i "$ADDONS" "$@"
    check_log_clean "$logfile" "installing into $db"
    log "$db: installed, clean log"
}

# OCA's way: Odoo runs the tests of our addons while installing them (the
# at_install tests, then the post_install ones), on a database without demo
# data. Odoo's HTTP server (for HttpCase and tours) gets a port of its own.
step "install without demo, odoo --test-enable ($DB_NODEMO)"
install_and_check "$DB_NODEMO" "$RUN_DIR/install_nodemo_tests.log" --without-demo=all \
    --test-enable --test-tags "$TEST_TAGS" --http-port "$(free_port)"
odoo_tests="$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$RUN_DIR/install_nodemo_tests.log" | tail -n 1 || true)"
[ -n "$odoo_tests" ] || die "no test report in the log of $DB_NODEMO (did Odoo run the tests?)"
log "odoo --test-enable ($TEST_TAGS): $odoo_tests"
db_drop "$DB_NODEMO"

step "install with demo ($DB_DEMO)"
install_and_check "$DB_DEMO" "$RUN_DIR/install_demo.log"

# pytest-odoo over the addons' tests and the cross-addon journeys in tests/
# (tests/upgrade/ is left out by pytest.ini: it runs on the upgraded database).
JUNIT="$RUN_DIR/pytest.xml"
rm -f "$JUNIT"
step "pytest addons/ tests/ ($DB_DEMO)"
rc=0
"$PYTHON" -m pytest --odoo-config="$RUN_CONF" --odoo-database="$DB_DEMO" --odoo-http \
    -rs -p no:cacheprovider --junitxml="$JUNIT" addons tests || rc=$?
if [ "$rc" -eq 5 ]; then
    die "pytest collected no test: every addon must ship tests (addons/<addon>/tests/test_*.py)"
fi
[ -f "$JUNIT" ] || die "pytest wrote no report ($JUNIT), exit status $rc"
step_end "pytest exit $rc"

# Parallel signings against a real server with prefork workers (HttpCase runs
# Odoo in threads): one signature per document, every request answered.
step "parallel signings, prefork server ($DB_DEMO)"
parallel_rc=0
# The server listens on --port and its websocket/gevent port on --port + 1.
"$PYTHON" tests/concurrency/parallel_signing.py -c "$RUN_CONF" -d "$DB_DEMO" --port "$(free_port)" \
    || parallel_rc=$?
step_end "exit $parallel_rc"

# Upgrade test: the previous release with demo data, upgraded to this checkout.
# Failures are collected (upgrade_failed) and reported with the summary.
upgrade_failed=""
upgrade_test() {
    local src conf_prev prev_addons prev_csv upgrade_csv new_csv name
    src="$(mktemp -d "${TMPDIR:-/tmp}/journey-previous.XXXXXX")"
    CLEANUP_PATHS+=("$src")
    step "upgrade: install ${PREVIOUS_COMMIT:0:12} with demo ($DB_UPGRADE)"
    git archive "$PREVIOUS_COMMIT" addons | tar -x -C "$src" \
        || { upgrade_failed="git archive $PREVIOUS_COMMIT addons failed"; return 1; }
    mapfile -t prev_addons < <(for m in "$src"/addons/*/__manifest__.py; do [ -f "$m" ] && basename "$(dirname "$m")"; done)
    [ "${#prev_addons[@]}" -gt 0 ] || { upgrade_failed="no addon in addons/ at $PREVIOUS_COMMIT"; return 1; }
    prev_csv="$(printf '%s\n' "${prev_addons[@]}" | paste -sd, -)"
    conf_prev="$RUN_DIR/odoo-previous.conf"
    generate_config "$conf_prev" "$src/addons"
    db_drop "$DB_UPGRADE"
    db_create "$DB_UPGRADE" "$conf_prev"
    log "Installing $prev_csv at ${PREVIOUS_COMMIT:0:12} into $DB_UPGRADE (log: .run/upgrade_install_previous.log)"
    local rc=0
    "$PYTHON" -m odoo -c "$conf_prev" -d "$DB_UPGRADE" -i "$prev_csv" --stop-after-init \
        --log-level=info >"$RUN_DIR/upgrade_install_previous.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$RUN_DIR/upgrade_install_previous.log"
        upgrade_failed="installing the previous release failed (exit $rc, .run/upgrade_install_previous.log)"
        return 1
    fi
    # The previous release's own warnings cannot be fixed any more: shown, not fatal.
    local old_bad
    old_bad="$(odoo_log_problems "$RUN_DIR/upgrade_install_previous.log" | wc -l)"
    [ "$old_bad" -eq 0 ] || warn "installing the previous release logged $old_bad WARNING/ERROR line(s) (not counted)"

    # Data the upgrade must carry over that the previous demo does not hold
    # (tests/upgrade/prepare_previous.py runs with the previous code).
    if [ -f tests/upgrade/prepare_previous.py ]; then
        log "Preparing $DB_UPGRADE with tests/upgrade/prepare_previous.py (previous code)"
        rc=0
        "$PYTHON" -m odoo shell -c "$conf_prev" -d "$DB_UPGRADE" --no-http --log-level=warn \
            <tests/upgrade/prepare_previous.py >"$RUN_DIR/upgrade_prepare.log" 2>&1 || rc=$?
        if [ "$rc" -ne 0 ] || ! grep -q "prepare_previous: done" "$RUN_DIR/upgrade_prepare.log"; then
            tail -n 40 "$RUN_DIR/upgrade_prepare.log"
            upgrade_failed="preparing the previous release's data failed (.run/upgrade_prepare.log)"
            return 1
        fi
    fi

    # Upgrade what the previous release had; install the addons it did not have.
    upgrade_csv=""; new_csv=""
    for name in "${ADDON_NAMES[@]}"; do
        if printf '%s\n' "${prev_addons[@]}" | grep -qx "$name"; then
            upgrade_csv="${upgrade_csv:+$upgrade_csv,}$name"
        else
            new_csv="${new_csv:+$new_csv,}$name"
        fi
    done
    step "upgrade: -u to this checkout ($DB_UPGRADE)"
    log "Upgrading $DB_UPGRADE: -u ${upgrade_csv:-(none)}${new_csv:+, -i $new_csv} (log: .run/upgrade.log)"
    local args=(-d "$DB_UPGRADE")
    [ -z "$upgrade_csv" ] || args+=(-u "$upgrade_csv")
    [ -z "$new_csv" ] || args+=(-i "$new_csv")
    db_set_jit_off "$DB_UPGRADE"
    rc=0
    "$PYTHON" -m odoo -c "$RUN_CONF" "${args[@]}" --stop-after-init --log-level=info \
        >"$RUN_DIR/upgrade.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$RUN_DIR/upgrade.log"
        upgrade_failed="the upgrade failed (exit $rc, .run/upgrade.log)"
        return 1
    fi
    local bad
    bad="$(odoo_log_problems "$RUN_DIR/upgrade.log")"
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | head -n 100
        upgrade_failed="the upgrade log has $(printf '%s\n' "$bad" | wc -l) WARNING/ERROR/CRITICAL line(s) (.run/upgrade.log)"
        return 1
    fi

    step "upgrade: pytest tests/upgrade/ ($DB_UPGRADE)"
    local junit="$RUN_DIR/pytest_upgrade.xml"
    rm -f "$junit"
    rc=0
    "$PYTHON" -m pytest --odoo-config="$RUN_CONF" --odoo-database="$DB_UPGRADE" \
        -rs -p no:cacheprovider --junitxml="$junit" tests/upgrade || rc=$?
    if [ "$rc" -ne 0 ]; then
        upgrade_failed="pytest on tests/upgrade/ failed (exit $rc)"
        return 1
    fi
    if grep -q '<skipped' "$junit"; then
        upgrade_failed="a test of tests/upgrade/ was skipped"
        return 1
    fi
}
upgrade_test || step_end FAILED
step_end

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
result="$result odoo --test-enable: $odoo_tests."
if [ "$parallel_rc" -ne 0 ]; then
    result="$result Parallel signing FAILED (exit $parallel_rc)."
else
    result="$result Parallel signing passed."
fi
if [ -n "$upgrade_failed" ]; then
    result="$result Upgrade from ${PREVIOUS_COMMIT:0:12} FAILED: $upgrade_failed."
else
    result="$result Upgrade from ${PREVIOUS_COMMIT:0:12} passed."
fi
if [ "$rc" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$errors" -gt 0 ] || [ "$skipped" -gt 0 ] \
        || [ "$parallel_rc" -ne 0 ] || [ -n "$upgrade_failed" ]; then
    echo "FAILED - $result"
    exit 1
fi
echo "PASSED - static checks, clean installs with and without demo data. $result"
