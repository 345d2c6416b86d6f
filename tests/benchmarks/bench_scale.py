"""Scale benchmark of Journey's scheduled actions and busiest screens: prints figures, asserts nothing.

Usage (on a database filled by ``generate_scale.py``):

    python3 tests/benchmarks/bench_scale.py -c .run/odoo.conf -d bench_100k [--due 100] [--json run1.json]
    python3 tests/benchmarks/bench_scale.py --summarize run1.json run2.json run3.json

It works inside one transaction that is rolled back: the database is unchanged.
For each scenario it prints the items, the total time, the time and SQL queries
per item, and the time of ONE hand-written SQL statement that does the same
work set-based (the floor), with the ratio ORM time / floor:

a. each scheduled action of journey_service, run through its ir.cron record as
   Odoo's scheduler runs it (a progress record per call; called again while a
   call reports some done and some remaining, so "all that are due" means until
   none remain, and the figures per item are over all the calls): with nothing
   due (the no-op time at two sizes shows whether its searches scan whole
   tables), with N items made due by an UPDATE, then with all that are due, and
   the EXPLAIN (ANALYZE, BUFFERS) of the searches it ran with nothing due;
b. the commitment list's first page, in the model's order and by id;
c. the "Overdue" filter of commitments (a count);
d. a service visit's banner for the fleet customer (its open promises: from
   journey_service 18.0.2 the vehicle's and the customer's own, the others
   counted);
e. the fleet customer's form as a sales manager, with JIT and without;
f. confirming one new order with three promises, and rendering one delivery's
   portal page (these should not depend on the size).

The scheduled actions run last, each with nothing due before any other case:
rows updated and rolled back to a savepoint stay in their tables as dead rows
until the transaction ends, and would slow the scans measured after them.

Crons are called through their ir.cron records and models and fields by name:
a missing record or field prints "n/a" for its scenario (it runs on the
databases of journey_service 18.0.1 and 18.0.2). ``--json`` writes the
figures; ``--summarize`` prints the medians of several runs as a Markdown table.
"""

import argparse
import json
import re
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

try:
    from lxml import etree

    import odoo
    from odoo import Command, api, fields
    from odoo.exceptions import AccessError
    from odoo.tools import parse_version
except ImportError:
    sys.exit(
        "Odoo is not importable: set PYTHONPATH (or ODOO_PATH) to an Odoo 18 source tree."
    )

OPEN_STATES = ("open", "in_progress", "partial", "deferred")
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
WARM_UPS = 1


class Unavailable(Exception):
    """A record, field or model the scenario needs is missing: it prints n/a."""


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------


SCAN = re.compile(
    r"(?P<kind>(?:Parallel )?(?:Seq Scan|Index Scan Backward|Index Scan|Index Only Scan|Bitmap Index Scan|"
    r"Bitmap Heap Scan))(?: using (?P<index>\S+))? on (?P<name>\S+)"
)


def scans_of(plan):
    """The scans a plan ran (not those never executed), with the rows their filter
    removed (per loop): e.g. "Seq Scan on crm_lead (1901 removed)"."""
    scans = []
    current = None
    for line in plan:
        match = SCAN.search(line)
        if match:
            current = None
            if "never executed" not in line:
                index = f"using {match['index']} " if match["index"] else ""
                current = [f"{match['kind']} {index}on {match['name']}", 0]
                scans.append(current)
        elif "->" in line:
            current = None
        elif current and "Rows Removed by Filter:" in line:
            current[1] += int(line.split(":")[1])
    return [
        f"{scan} ({removed} removed)" if removed else scan for scan, removed in scans
    ]


class Bench:
    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.results = []
        self.savepoints = 0
        self.now = fields.Datetime.now()
        self.today = fields.Date.context_today(env["res.users"])
        version = (
            env["ir.module.module"]
            .search([("name", "=", "journey_service")])
            .latest_version
            or "0"
        )
        self.version = version
        # From 18.0.2 the scheduled actions do one batch per call and report their progress.
        self.batched = parse_version(version) >= parse_version("18.0.2.0.0")

    def print_header(self, title):
        print(f"\n== {title}")
        print(
            f"{'scenario':<46} {'items':>6} {'total ms':>10} {'ms/item':>9} {'SQL':>6} {'SQL/item':>9}"
            f" {'floor ms':>9} {'ratio':>7}"
        )

    def record(self, key, label, items, elapsed, queries, floor=None, extra=None):
        result = {
            "key": key,
            "label": label,
            "items": items,
            "total_ms": elapsed * 1000,
            "queries": queries,
            "ms_per_item": elapsed * 1000 / items if items else None,
            "queries_per_item": queries / items if items else None,
            "floor_ms": floor * 1000 if floor is not None else None,
            "ratio": elapsed / floor if floor else None,
            **(extra or {}),
        }
        self.results.append(result)

        def fmt(value, spec):
            return format(value, spec) if value is not None else "-"

        print(
            f"{label:<46} {items:>6} {result['total_ms']:>10.1f} {fmt(result['ms_per_item'], '>9.2f')}"
            f" {queries:>6} {fmt(result['queries_per_item'], '>9.1f')} {fmt(result['floor_ms'], '>9.1f')}"
            f" {fmt(result['ratio'], '>7.0f')}",
            flush=True,
        )
        return result

    def unavailable(self, key, label, reason):
        self.results.append({"key": key, "label": label, "na": reason})
        print(f"{label:<46} n/a ({reason})", flush=True)

    def run(self, function):
        """Run ``function`` and flush; returns (result, seconds, queries)."""
        cr = self.cr
        queries = cr.sql_log_count
        started = time.perf_counter()
        result = function()
        self.env.flush_all()
        return result, time.perf_counter() - started, cr.sql_log_count - queries

    def floor(self, sql, params=None, warm=True):
        """Time one hand-written statement (the best of a warm-up and a run), undone."""
        best = None
        for _attempt in range(2 if warm else 1):
            with self.undone():
                started = time.perf_counter()
                self.cr.execute(sql, params)
                if self.cr.description:
                    self.cr.fetchall()
                elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        return best

    @contextmanager
    def undone(self):
        """Whatever happens inside is rolled back (ORM caches included)."""
        self.env.flush_all()
        self.savepoints += 1
        name = f"bench_scale_{self.savepoints}"
        self.cr.execute(f"SAVEPOINT {name}")
        try:
            yield
        finally:
            self.env.transaction.clear()
            self.cr.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.cr.execute(f"RELEASE SAVEPOINT {name}")
            self.env.invalidate_all(flush=False)

    def explain(self, label, sql, params=None):
        with self.undone():
            self.cr.execute(
                "EXPLAIN (ANALYZE, BUFFERS) "
                + (sql if isinstance(sql, str) else sql.code),
                params if isinstance(sql, str) else sql.params,
            )
            plan = [row[0] for row in self.cr.fetchall()]
        print(f"  EXPLAIN {label}:")
        for line in plan:
            print("    " + line)
        return scans_of(plan)

    @contextmanager
    def capture(self):
        """The SQL statements run on this thread, with their time."""
        statements = []
        thread = threading.current_thread()
        hooks = getattr(thread, "query_hooks", ())

        def hook(cr, query, params, start, delay):
            if cr is self.cr._obj or cr is self.cr:
                statements.append(
                    (
                        delay,
                        cr.mogrify(query, params).decode() if params else str(query),
                    )
                )

        thread.query_hooks = (*hooks, hook)
        try:
            yield statements
        finally:
            thread.query_hooks = hooks


# ----------------------------------------------------------------------
# a. Scheduled actions
# ----------------------------------------------------------------------


def activity_insert(bench, model, activity_xmlid, select_sql):
    """INSERT INTO mail_activity ... from rows (res_id, user_id, note) of ``select_sql``."""
    env = bench.env
    activity_type = env.ref(activity_xmlid, raise_if_not_found=False)
    if not activity_type:
        raise Unavailable(f"no activity type {activity_xmlid}")
    model_id = env["ir.model"]._get_id(model)
    return f"""INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id, user_id,
                   date_deadline, note, summary, automated, active, create_uid, create_date,
                   write_uid, write_date)
            SELECT {int(model_id)}, '{model}', a.res_id, {int(activity_type.id)}, a.user_id,
                   CURRENT_DATE, a.note, NULL, TRUE, TRUE, {int(env.uid)}, NOW() AT TIME ZONE 'UTC',
                   {int(env.uid)}, NOW() AT TIME ZONE 'UTC'
              FROM ({select_sql}) a
         RETURNING 1"""


def company_days(env, name, default):
    """A company setting of journey_service 18.0.2 (fixed in 18.0.1)."""
    company = env.company
    return company[name] if name in company._fields else default


def cron_specs(bench, due):
    """Per scheduled action: how to make items due, what it does set-based (the
    floor). Its searches are EXPLAINed as it runs them (captured with nothing due)."""
    env = bench.env
    now = bench.now
    today = bench.today
    params = {
        "now": now,
        "today": today,
        "soon": now + timedelta(days=company_days(env, "journey_prepare_days", 3)),
        "remind": today + timedelta(days=company_days(env, "journey_reminder_days", 7)),
        "due": due,
        "open": OPEN_STATES,
        "uid": env.uid,
    }
    # 18.0.2: the free services whose period ended have their own scheduled action.
    own_free_service_cron = bool(
        env.ref(
            "journey_service.ir_cron_free_service_period_end", raise_if_not_found=False
        )
    )
    brief = "state IN ('draft', 'returned') AND date_deadline < %(now)s"
    call = "call_state = 'to_do' AND call_deadline < %(now)s"
    prepare = (
        "journey_work_type = 'delivery' AND state NOT IN ('1_done', '1_canceled') AND date_deadline IS NOT NULL"
        " AND date_deadline <= %(soon)s AND EXISTS (SELECT 1 FROM project_task_user_rel r WHERE r.task_id = t.id)"
    )
    remind = (
        "c.is_current AND c.fulfillment_state IN %(open)s AND c.date_due IS NOT NULL AND c.date_due <= %(remind)s"
        " AND EXISTS (SELECT 1 FROM sale_order o WHERE o.id = c.order_id AND o.state = 'sale')"
    )
    lead = "journey_responded_on IS NULL AND journey_response_deadline < %(now)s AND user_id IS NOT NULL"
    ended = (
        "c.is_current AND c.category = 'free_service' AND c.due_rule = 'over_period'"
        " AND c.fulfillment_state IN ('open', 'in_progress') AND c.date_deadline < %(today)s"
        " AND EXISTS (SELECT 1 FROM sale_order o WHERE o.id = c.order_id AND o.state = 'sale')"
    )
    # The generated free services run three years, as long as the history: none has
    # ended. Items are made due by ending their period yesterday.
    free_open = (
        "c.is_current AND c.category = 'free_service' AND c.due_rule = 'over_period'"
        " AND c.fulfillment_state IN ('open', 'in_progress')"
        " AND EXISTS (SELECT 1 FROM sale_order o WHERE o.id = c.order_id AND o.state = 'sale')"
    )
    end_period = "UPDATE journey_commitment c SET date_deadline = %(today)s - 1, date_due = %(today)s - 1"
    # Up to 18.0.1 the follow-up also closed the free services whose period ended.
    ended_cte = (
        ""
        if own_free_service_cron
        else f"""
                ended AS (
                    UPDATE journey_commitment c SET fulfillment_state = 'fulfilled' WHERE {ended}
                ),"""
    )
    return [
        {
            "key": "cron_handover_overdue",
            "xmlid": "journey_service.ir_cron_handover_overdue",
            "model": "journey.handover",
            "fields": ("brief_overdue_notified", "call_overdue_notified", "call_state"),
            "none": [
                (
                    f"UPDATE journey_handover SET brief_overdue_notified = TRUE WHERE {brief}"
                    " AND brief_overdue_notified IS NOT TRUE"
                ),
                (
                    f"UPDATE journey_handover SET call_overdue_notified = TRUE WHERE {call}"
                    " AND call_overdue_notified IS NOT TRUE"
                ),
            ],
            "all": [
                f"UPDATE journey_handover SET brief_overdue_notified = FALSE WHERE {brief}",
                f"UPDATE journey_handover SET call_overdue_notified = FALSE WHERE {call}",
            ],
            "some": [
                f"""UPDATE journey_handover SET call_overdue_notified = FALSE WHERE id IN (
                        SELECT id FROM journey_handover WHERE {call} ORDER BY id DESC LIMIT %(due)s)""",
            ],
            "count": f"""SELECT (SELECT count(*) FROM journey_handover WHERE {brief}
                                 AND brief_overdue_notified IS NOT TRUE)
                              + (SELECT count(*) FROM journey_handover WHERE {call}
                                 AND call_overdue_notified IS NOT TRUE)""",
            "floor": lambda: (
                f"""
                WITH due AS (
                    SELECT id, kind, sender_id, receiver_id,
                           ({brief} AND brief_overdue_notified IS NOT TRUE) AS brief,
                           ({call} AND call_overdue_notified IS NOT TRUE) AS call
                      FROM journey_handover
                     WHERE ({brief} AND brief_overdue_notified IS NOT TRUE)
                        OR ({call} AND call_overdue_notified IS NOT TRUE)
                ), flagged AS (
                    UPDATE journey_handover h
                       SET brief_overdue_notified = h.brief_overdue_notified OR due.brief,
                           call_overdue_notified = h.call_overdue_notified OR due.call
                      FROM due WHERE h.id = due.id
                ), activities AS ({
                    activity_insert(
                        bench,
                        "journey.handover",
                        "journey_service.mail_act_handover_overdue",
                        '''
                    SELECT id AS res_id, sender_id AS user_id, 'The brief was due' AS note FROM due WHERE brief
                    UNION ALL
                    SELECT id, CASE WHEN kind = 'sales_delivery' THEN sender_id
                                    ELSE COALESCE(receiver_id, sender_id) END, 'The call was due'
                      FROM due WHERE call''',
                    )
                })
                SELECT count(*) FROM activities"""
            ),
        },
        {
            "key": "cron_prepare_deliveries",
            "xmlid": "journey_service.ir_cron_prepare_deliveries",
            "model": "project.task",
            "fields": ("journey_prepare_reminded", "journey_work_type"),
            "none": [
                (
                    f"UPDATE project_task t SET journey_prepare_reminded = TRUE WHERE {prepare}"
                    " AND journey_prepare_reminded IS NOT TRUE"
                ),
            ],
            "all": [
                f"UPDATE project_task t SET journey_prepare_reminded = FALSE WHERE {prepare}"
            ],
            # Deliveries still to come, with their specialist, brought within three days.
            "some": [
                """UPDATE project_task SET journey_prepare_reminded = FALSE,
                          date_deadline = LEAST(date_deadline, %(now)s + INTERVAL '2 days')
                    WHERE id IN (
                        SELECT id FROM project_task t
                         WHERE journey_work_type = 'delivery' AND state NOT IN ('1_done', '1_canceled')
                           AND date_deadline IS NOT NULL
                           AND EXISTS (SELECT 1 FROM project_task_user_rel r WHERE r.task_id = t.id)
                         ORDER BY date_deadline, id LIMIT %(due)s)""",
            ],
            "count": f"SELECT count(*) FROM project_task t WHERE {prepare} AND journey_prepare_reminded IS NOT TRUE",
            "floor": lambda: (
                f"""
                WITH due AS (
                    SELECT t.id, (SELECT min(r.user_id) FROM project_task_user_rel r WHERE r.task_id = t.id)
                           AS user_id
                      FROM project_task t WHERE {
                    prepare
                } AND journey_prepare_reminded IS NOT TRUE
                ), flagged AS (
                    UPDATE project_task t SET journey_prepare_reminded = TRUE FROM due WHERE t.id = due.id
                ), activities AS ({
                    activity_insert(
                        bench,
                        "project.task",
                        "journey_service.mail_act_prepare_delivery",
                        '''
                    SELECT due.id AS res_id, due.user_id,
                           'Prepare what was promised: ' || COALESCE((
                               SELECT string_agg(c.name, ', ') FROM journey_commitment c
                                WHERE c.delivery_task_id = due.id AND c.is_current
                                  AND c.fulfillment_state IN ('open', 'in_progress', 'partial')), '') AS note
                      FROM due''',
                    )
                })
                SELECT count(*) FROM activities"""
            ),
        },
        {
            "key": "cron_commitment_follow_up",
            "xmlid": "journey_service.ir_cron_commitment_follow_up",
            "model": "journey.commitment",
            "fields": ("reminder_sent", "date_due", "is_current"),
            "none": [
                f"UPDATE journey_commitment c SET reminder_sent = TRUE WHERE {remind} AND reminder_sent IS NOT TRUE",
            ],
            "all": [
                f"UPDATE journey_commitment c SET reminder_sent = FALSE WHERE {remind}"
            ],
            "some": [
                f"""UPDATE journey_commitment SET reminder_sent = FALSE WHERE id IN (
                        SELECT id FROM journey_commitment c WHERE {remind} ORDER BY id DESC LIMIT %(due)s)""",
            ],
            "count": f"SELECT count(*) FROM journey_commitment c WHERE {remind} AND reminder_sent IS NOT TRUE",
            "floor": lambda: (
                f"""
                WITH due AS (
                    SELECT c.id, COALESCE(CASE c.department
                               WHEN 'after_sales' THEN cp.journey_service_advisor_id
                               WHEN 'delivery' THEN (SELECT min(r.user_id) FROM project_task_user_rel r
                                                      WHERE r.task_id = c.delivery_task_id)
                               ELSE c.user_id END, c.user_id) AS user_id,
                           p.name || ' was promised: ' || c.name AS note
                      FROM journey_commitment c
                      JOIN res_partner p ON p.id = c.partner_id
                      JOIN res_partner cp ON cp.id = p.commercial_partner_id
                     WHERE {remind} AND c.reminder_sent IS NOT TRUE
                ), flagged AS (
                    UPDATE journey_commitment c SET reminder_sent = TRUE FROM due WHERE c.id = due.id
                ),{ended_cte} activities AS ({
                    activity_insert(
                        bench,
                        "journey.commitment",
                        "journey_service.mail_act_commitment_due",
                        "SELECT id AS res_id, user_id, note FROM due WHERE user_id IS NOT NULL",
                    )
                })
                SELECT count(*) FROM activities"""
            ),
        },
        {
            "key": "cron_service_lead_overdue",
            "xmlid": "journey_service.ir_cron_service_lead_overdue",
            "model": "crm.lead",
            "fields": (
                "journey_response_deadline",
                "journey_responded_on",
                "journey_overdue_notified",
            ),
            "none": [
                (
                    f"UPDATE crm_lead SET journey_overdue_notified = TRUE WHERE {lead}"
                    " AND journey_overdue_notified IS NOT TRUE"
                ),
            ],
            "all": [
                f"UPDATE crm_lead SET journey_overdue_notified = FALSE WHERE {lead}"
            ],
            # Answered leads raised in after-sales become unanswered.
            "some": [
                """UPDATE crm_lead SET journey_responded_on = NULL, journey_overdue_notified = FALSE
                    WHERE id IN (SELECT id FROM crm_lead WHERE journey_response_deadline < %(now)s
                                    AND user_id IS NOT NULL ORDER BY id DESC LIMIT %(due)s)""",
            ],
            "count": f"SELECT count(*) FROM crm_lead WHERE {lead} AND journey_overdue_notified IS NOT TRUE",
            # Up to 18.0.1 the scheduled action notified 200 leads per run, the oldest
            # first; from 18.0.2 all of them, 200 per call.
            "floor": lambda: (
                f"""
                WITH due AS (
                    SELECT id, user_id FROM crm_lead
                     WHERE {lead} AND journey_overdue_notified IS NOT TRUE
                     ORDER BY journey_response_deadline, id {
                    "" if bench.batched else "LIMIT 200"
                }
                ), flagged AS (
                    UPDATE crm_lead l SET journey_overdue_notified = TRUE FROM due WHERE l.id = due.id
                ), activities AS ({
                    activity_insert(
                        bench,
                        "crm.lead",
                        "journey_service.mail_act_service_lead_overdue",
                        "SELECT id AS res_id, user_id, 'Waits for an answer' AS note FROM due",
                    )
                })
                SELECT count(*) FROM activities"""
            ),
        },
        {
            "key": "cron_free_service_period_end",
            "xmlid": "journey_service.ir_cron_free_service_period_end",
            "model": "journey.commitment",
            "fields": ("uses_done", "uses_total", "date_deadline"),
            "none": [
                f"UPDATE journey_commitment c SET fulfillment_state = 'fulfilled' WHERE {ended}"
            ],
            # "All": the period of every open free service ended yesterday.
            "all": [f"{end_period} WHERE {free_open}"],
            "some": [
                f"""{end_period} WHERE c.id IN (
                        SELECT id FROM journey_commitment c WHERE {free_open}
                         ORDER BY date_deadline, id LIMIT %(due)s)""",
            ],
            "count": f"SELECT count(*) FROM journey_commitment c WHERE {ended}",
            # Not the chatter message the ORM posts on each.
            "floor": lambda: (
                f"""
                WITH closed AS (
                    UPDATE journey_commitment c
                       SET fulfillment_state = 'fulfilled', fulfilled_by_id = %(uid)s,
                           fulfilled_on = NOW() AT TIME ZONE 'UTC'
                     WHERE {ended} RETURNING 1
                )
                SELECT count(*) FROM closed"""
            ),
        },
    ], params


MAX_CALLS = 10_000


def run_cron(cron):
    """Run a scheduled action as Odoo's scheduler does (``ir.cron._process_job``):
    as the action's user, each call with its own ``ir.cron.progress`` passed as
    ``ir_cron_progress_id``, called again while the call did some work and reports
    some remaining (the scheduler commits between calls; here all is rolled back).
    An action that does not report its progress is called once. Returns the calls."""
    cron = cron.sudo()
    action_id = cron.ir_actions_server_id.id
    job = cron.with_user(cron.user_id).with_context(
        lastcall=cron.lastcall, cron_id=cron.id
    )
    for calls in range(1, MAX_CALLS + 1):
        progress = (
            job.env["ir.cron.progress"]
            .sudo()
            .create(
                [
                    {
                        "cron_id": cron.id,
                        "remaining": 0,
                        "done": 0,
                        "timed_out_counter": 0,
                    }
                ]
            )
        )
        call = job.with_context(ir_cron_progress_id=progress.id)
        call.env["ir.actions.server"].browse(action_id).run()
        call.env.flush_all()
        progress.timed_out_counter = 0
        if not (progress.done and progress.remaining):
            return calls
    raise RuntimeError(
        f"{cron.name} still reports work remaining after {MAX_CALLS} calls"
    )


def bench_crons(bench, due):
    env = bench.env
    bench.print_header(
        f"a. Scheduled actions (nothing due, then N = {due}, then all that are due)"
    )
    specs, params = cron_specs(bench, due)
    ready = []
    for spec in specs:
        cron = env.ref(spec["xmlid"], raise_if_not_found=False)
        name = spec["xmlid"].split(".")[1].removeprefix("ir_cron_")
        missing = [
            f
            for f in spec["fields"]
            if spec["model"] not in env or f not in env[spec["model"]]._fields
        ]
        if not cron or missing:
            reason = (
                f"no {spec['xmlid']}"
                if not cron
                else f"no field {spec['model']}.{missing[0]}"
            )
            bench.unavailable(spec["key"], name, reason)
            continue
        ready.append((spec, cron, name))
    # Nothing due first, for every action: the rows that the other cases update stay
    # in their table as dead rows until the transaction ends (a rollback to a
    # savepoint does not remove them), and the no-op searches would scan them too.
    explains = []
    for spec, cron, name in ready:
        statements = bench_cron_case(bench, spec, cron, name, "none", params)
        explains += explain_searches(bench, spec, name, statements, params)
    for case in ("some", "all"):
        for spec, cron, name in ready:
            bench_cron_case(bench, spec, cron, name, case, params)
    return explains


def bench_cron_case(bench, spec, cron, name, case, params):
    """Run the scheduled action with nothing due ("none"), N due ("some") or all
    that are due ("all"); returns the statements it ran with nothing due."""
    cr = bench.cr
    label = {
        "some": f"{name} (N due)",
        "all": f"{name} (all due)",
        "none": f"{name} (nothing due)",
    }[case]
    statements = []
    if case == "none":
        # Once unmeasured: Odoo's caches (the action, its code, the models' queries).
        with bench.undone():
            for sql in spec["none"]:
                cr.execute(sql, params)
            bench.run(lambda: run_cron(cron))
    with bench.undone():
        for sql in spec["none"] + (spec[case] if case != "none" else []):
            cr.execute(sql, params)
        cr.execute(spec["count"], params)
        items = cr.fetchone()[0]
        if case == "none":
            with bench.capture() as statements:
                calls, elapsed, queries = bench.run(lambda: run_cron(cron))
        else:
            calls, elapsed, queries = bench.run(lambda: run_cron(cron))
            cr.execute(spec["count"], params)
            items -= cr.fetchone()[0]
    with bench.undone():
        for sql in spec["none"] + (spec[case] if case != "none" else []):
            cr.execute(sql, params)
        floor = bench.floor(spec["floor"](), params, warm=False)
    bench.record(
        f"{spec['key']}_{case}", label, items, elapsed, queries, floor, {"calls": calls}
    )
    if calls > 1:
        print(f"    ({calls} calls)")
    if case == "none":
        slowest = sorted(statements, reverse=True)[:3]
        for delay, statement in slowest:
            print(f"    {delay * 1000:8.1f} ms  {' '.join(statement.split())[:150]}")
    return statements


def explain_searches(bench, spec, name, statements, params):
    """EXPLAIN (ANALYZE) the searches the action ran with nothing due, as it ran them."""
    cr = bench.cr
    table = bench.env[spec["model"]]._table
    searches = [
        statement
        for _delay, statement in statements
        if statement.lstrip().upper().startswith("SELECT")
        and f'FROM "{table}"' in statement
    ]
    explains = []
    with bench.undone():
        for sql in spec["none"]:
            cr.execute(sql, params)
        for statement in searches:
            columns = []
            for column in re.findall(
                rf'"{table}"\."(\w+)"', statement.split(" WHERE ", 1)[-1]
            ):
                if column not in columns:
                    columns.append(column)
            label = f"{name}: {', '.join(columns) or 'all'}"
            print(f"  {' '.join(statement.split())[:400]}")
            explains.append((label, bench.explain(label, statement)))
    return explains


# ----------------------------------------------------------------------
# b-f. Screens and flows
# ----------------------------------------------------------------------


def view_fields(env, model, view_type, user=None):
    """The top-level fields of the default view (not those of embedded sub-views)."""
    records = env[model].with_user(user) if user else env[model]
    views = records.get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    names = []
    for node in arch.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        if node.get("name") not in names:
            names.append(node.get("name"))
    return names


def warm_run(bench, function, warm_ups=WARM_UPS):
    """Run once or more to fill Odoo's caches, then measure a run on an empty record cache."""
    for _attempt in range(warm_ups):
        with bench.undone():
            function()
    with bench.undone():
        bench.env.invalidate_all()
        return bench.run(function)


def bench_list(bench):
    env = bench.env
    bench.print_header("b. Commitment list, first page (80 records)")
    names = view_fields(env, "journey.commitment", "list")
    commitments = env["journey.commitment"]
    names = [n for n in names if n in commitments._fields]
    default_order = commitments._order
    for key, order in (("list_default_order", None), ("list_id_desc", "id desc")):
        label = (
            f"list, order {order}" if order else f"list, model order ({default_order})"
        )
        rows, elapsed, queries = warm_run(
            bench,
            lambda order=order: commitments.search_read(
                [("is_current", "=", True)], names, limit=80, order=order
            ),
        )
        if (order or default_order).replace(" ", "").lower() == "iddesc":
            floor_sql = "SELECT * FROM journey_commitment WHERE is_current ORDER BY id DESC LIMIT 80"
        else:  # order_id, sequence, id: the order's date_order desc, id desc (18.0.1)
            floor_sql = """SELECT c.* FROM journey_commitment c LEFT JOIN sale_order o ON o.id = c.order_id
                            WHERE c.is_current
                            ORDER BY o.date_order DESC, o.id DESC, c.sequence, c.id LIMIT 80"""
        bench.record(key, label, len(rows), elapsed, queries, bench.floor(floor_sql))
        query = commitments._search(
            [("is_current", "=", True)], order=order or default_order, limit=80
        )
        bench.explain(label, query.select())


def bench_overdue(bench):
    env = bench.env
    bench.print_header("c. Overdue filter of commitments (count)")
    commitments = env["journey.commitment"]
    if "is_overdue" not in commitments._fields:
        bench.unavailable(
            "overdue_count", "search_count is_overdue", "no field is_overdue"
        )
        return
    count, elapsed, queries = warm_run(
        bench, lambda: commitments.search_count([("is_overdue", "=", True)])
    )
    floor = bench.floor(
        "SELECT count(*) FROM journey_commitment WHERE is_current AND fulfillment_state IN %s AND date_due < %s",
        [OPEN_STATES, bench.today],
    )
    bench.record(
        "overdue_count",
        f"search_count is_overdue ({count} found)",
        1,
        elapsed,
        queries,
        floor,
    )
    bench.explain(
        "is_overdue",
        commitments._search([("is_overdue", "=", True)]).select("count(*)"),
    )


def fleet_customer(env):
    partner = env.ref("bench.fleet_customer", raise_if_not_found=False)
    if not partner:
        raise Unavailable(
            "no fleet customer bench.fleet_customer (database not made by generate_scale.py)"
        )
    return partner


def bench_banner(bench):
    env = bench.env
    bench.print_header("d. Service visit's banner for the fleet customer")
    tasks = env["project.task"]
    partner = fleet_customer(env)
    if "journey_open_commitment_ids" not in tasks._fields:
        raise Unavailable("no field project.task.journey_open_commitment_ids")
    task = tasks.search(
        [("partner_id", "child_of", partner.id), ("journey_work_type", "=", "service")],
        limit=1,
    )
    advisor = partner.journey_service_advisor_id or env.user
    spec = {
        "journey_open_commitment_ids": {
            "fields": {
                name: {}
                for name in (
                    "name",
                    "due_description",
                    "uses_done",
                    "uses_total",
                    "department",
                    "fulfillment_state",
                    "is_overdue",
                )
                if name in env["journey.commitment"]._fields
            }
        }
    }
    # 18.0.2: the vehicle's promises and the customer's own; the others are counted.
    by_vehicle = "journey_other_open_commitment_count" in tasks._fields
    if by_vehicle:
        spec["journey_other_open_commitment_count"] = {}
    values, elapsed, queries = warm_run(
        bench, lambda: task.with_user(advisor).web_read(spec)
    )
    loaded = len(values[0]["journey_open_commitment_ids"])
    others = values[0].get("journey_other_open_commitment_count")
    floor = bench.floor(
        f"""WITH open AS (
                SELECT c.id, c.name, c.date_due, c.uses_done, c.uses_total, c.department, c.fulfillment_state,
                       c.vehicle_id
                  FROM journey_commitment c
                  JOIN res_partner p ON p.id = c.partner_id
                  JOIN sale_order o ON o.id = c.order_id
                 WHERE p.commercial_partner_id = %s AND c.is_current AND o.state = 'sale'
                   AND c.fulfillment_state IN %s
            )
            SELECT *, (SELECT count(*) FROM open) FROM open
            {"WHERE vehicle_id = %s OR vehicle_id IS NULL" if by_vehicle else ""}""",
        [
            partner.id,
            OPEN_STATES,
            *([task.journey_vehicle_id.id or None] if by_vehicle else []),
        ],
    )
    label = f"banner: {loaded} open promises loaded" + (
        f", {others} counted" if by_vehicle else ""
    )
    bench.record("banner", label, loaded, elapsed, queries, floor)


def bench_partner_form(bench):
    env = bench.env
    bench.print_header("e. Fleet customer's form, as a sales manager")
    partner = fleet_customer(env)
    manager = env.ref("bench.sales_manager", raise_if_not_found=False)
    if not manager:
        raise Unavailable("no user bench.sales_manager")
    partners = env["res.partner"].with_user(manager)
    names = view_fields(env, "res.partner", "form", manager)
    spec = {}
    for name in names:
        field = partners._fields.get(name)
        if field is None:
            continue
        spec[name] = {"fields": {"display_name": {}}} if field.relational else {}
    floor_sql = """
        SELECT (SELECT count(*) FROM journey_commitment c JOIN res_partner p ON p.id = c.partner_id
                 WHERE p.commercial_partner_id = %(id)s AND c.is_current AND c.fulfillment_state != 'cancelled'),
               (SELECT count(*) FROM journey_commitment c JOIN res_partner p ON p.id = c.partner_id
                 WHERE p.commercial_partner_id = %(id)s AND c.is_current AND c.fulfillment_state IN %(open)s),
               (SELECT count(*) FROM fleet_vehicle v JOIN res_partner p ON p.id = v.journey_partner_id
                 WHERE p.commercial_partner_id = %(id)s),
               (SELECT sum(amount_untaxed) FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                 WHERE p.commercial_partner_id = %(id)s AND o.journey_service_task_id IS NOT NULL
                   AND o.state = 'sale'),
               (SELECT count(*) FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                 WHERE p.commercial_partner_id = %(id)s)"""
    floor_params = {"id": partner.id, "open": OPEN_STATES}

    def read(jit=None):
        if jit:
            bench.cr.execute("SET LOCAL jit = off")
        return partners.browse(partner.id).web_read(spec)

    rights = ""
    try:
        with bench.undone():
            read()
    except AccessError as error:
        # Found at the time of writing: the form computes the vehicle count with the
        # user's rights, and a sales manager may not read vehicles.
        bench.unavailable(
            "partner_form_sales_manager",
            "partner form, sales manager",
            "AccessError: " + str(error).splitlines()[0],
        )
        fleet_officer = env.ref("fleet.fleet_group_user", raise_if_not_found=False)
        if not fleet_officer:
            raise Unavailable("the sales manager cannot open the form") from error
        manager.sudo().groups_id = [Command.link(fleet_officer.id)]
        partners = partners.with_user(manager)
        rights = " + fleet officer"
    for key, jit in (("partner_form", None), ("partner_form_jit_off", "off")):
        _values, elapsed, queries = warm_run(bench, lambda jit=jit: read(jit))
        with bench.undone():
            if jit:
                bench.cr.execute("SET LOCAL jit = off")
            floor = bench.floor(floor_sql, floor_params)
        label = f"partner form{rights} ({len(spec)} fields){', jit off' if jit else ''}"
        bench.record(key, label, 1, elapsed, queries, floor)
    bench.cr.execute("SHOW jit")
    print(f"  (PostgreSQL jit is {bench.cr.fetchone()[0]} by default on this server)")


def bench_confirm_and_portal(bench):
    env = bench.env
    bench.print_header(
        "f. Confirm one order with three promises; render one delivery's portal page"
    )
    salesperson = (
        env["res.users"].search([("login", "=like", "bench_sales_%")], limit=1)
        or env.user
    )
    product = env["product.product"].search(
        [("journey_is_vehicle", "=", True)], limit=1
    )
    partner = env["res.partner"].search(
        [("ref", "=", False), ("is_company", "=", False), ("customer_rank", ">", 0)],
        limit=1,
    )
    types = env["journey.commitment.type"].search(
        [("policy", "=", "standard")], limit=3
    )
    if not product or not types:
        raise Unavailable("no vehicle product or commitment type")

    def new_order():
        order = (
            env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "commitment_date": bench.now + timedelta(days=20),
                    "order_line": [Command.create({"product_id": product.id})],
                    "commitment_ids": [
                        Command.create({"type_id": t.id, "name": t.name}) for t in types
                    ],
                }
            )
        )
        order.action_declare_commitments()
        env.flush_all()
        return order

    def confirm():
        order = new_order()
        env.invalidate_all()
        return bench.run(order.action_confirm)

    for _attempt in range(WARM_UPS):
        with bench.undone():
            confirm()
    with bench.undone():
        _result, elapsed, queries = confirm()
    with bench.undone():
        order = new_order()
        task_values = {
            "order": order.id,
            "partner": partner.id,
            "company": order.company_id.id,
            "user": salesperson.id,
            "project": env["project.project"]
            .search([("journey_work_type", "=", "delivery")], limit=1)
            .id,
        }
        floor = bench.floor(
            """
            WITH o AS (
                UPDATE sale_order SET state = 'sale', date_order = NOW() AT TIME ZONE 'UTC'
                 WHERE id = %(order)s RETURNING id, name, partner_id, company_id, commitment_date, date_order
            ), t AS (
                INSERT INTO project_task (name, project_id, state, partner_id, company_id, journey_order_id,
                                          journey_work_type, journey_step, date_deadline, active,
                                          display_in_project, create_uid, create_date, write_uid, write_date)
                SELECT 'Delivery: ' || o.name, %(project)s, '01_in_progress', o.partner_id, o.company_id, o.id,
                       'delivery', 'scheduled', o.commitment_date, TRUE, TRUE, %(user)s, o.date_order,
                       %(user)s, o.date_order
                  FROM o RETURNING id, journey_order_id
            ), h AS (
                INSERT INTO journey_handover (name, kind, state, order_id, task_id, partner_id, sender_id,
                                              salesperson_id, company_id, date_deadline, call_deadline,
                                              call_state, create_uid, create_date, write_uid, write_date)
                SELECT 'Sales to Delivery', 'sales_delivery', 'draft', o.id, t.id, o.partner_id, %(user)s,
                       %(user)s, o.company_id, o.date_order + INTERVAL '1 day', o.date_order + INTERVAL '3 days',
                       'to_do', %(user)s, o.date_order, %(user)s, o.date_order
                  FROM o JOIN t ON t.journey_order_id = o.id RETURNING id
            ), c AS (
                UPDATE journey_commitment c SET delivery_task_id = t.id FROM t
                 WHERE c.order_id = t.journey_order_id AND c.is_current RETURNING c.id
            )
            SELECT (SELECT count(*) FROM h), (SELECT count(*) FROM c)""",
            task_values,
            warm=False,
        )
    bench.record(
        "confirm_order", "confirm an order (3 promises)", 1, elapsed, queries, floor
    )

    # The delivery's portal page: the controller's values and its template.
    task = env["project.task"].search(
        [
            ("journey_work_type", "=", "delivery"),
            ("journey_checklist_signature_id", "!=", False),
        ],
        limit=1,
    )
    if not task:
        raise Unavailable("no signed delivery")
    task_sudo = task.sudo()

    def render():
        values = {
            "journey_task": task_sudo,
            "checklist": task_sudo.journey_checklist_ids.filtered(
                lambda c: c.is_visible_to_customer or c.fulfillment_state == "waived"
            ).sorted(lambda c: (c.sequence, c.id)),
            "access_token": task_sudo.journey_access_token,
            "message": None,
            "page_name": "journey_delivery",
        }
        # The page's own part: its portal layout needs an HTTP request.
        return env["ir.qweb"]._render(
            "journey_service.delivery_checklist_table", values
        )

    html, elapsed, queries = warm_run(bench, render)
    floor = bench.floor(
        """SELECT c.name, c.quantity, c.due_rule, c.date_deadline, c.fulfillment_state, c.date_deferred,
                  c.waive_reason, c.fulfillment_note, s.name, s.signed_on
             FROM project_task t
             LEFT JOIN journey_commitment c ON c.delivery_task_id = t.id AND c.is_current
             LEFT JOIN journey_commitment_signature s ON s.id = t.journey_checklist_signature_id
            WHERE t.id = %s""",
        [task.id],
    )
    bench.record(
        "portal_delivery",
        f"delivery page: values + checklist ({len(html)} B)",
        1,
        elapsed,
        queries,
        floor,
    )


# ----------------------------------------------------------------------


def run(env, due):
    # The administrator acts as the dealership's customer-experience manager.
    cx_manager = env.ref("journey_crm.group_cx_manager", raise_if_not_found=False)
    if cx_manager:
        env.user.sudo().groups_id = [Command.link(cx_manager.id)]
    bench = Bench(env)
    cr = env.cr
    cr.execute("SELECT count(*) FROM journey_commitment")
    commitments = cr.fetchone()[0]
    cr.execute("SELECT version()")
    print(
        f"Database {cr.dbname}: {commitments} commitments; {cr.fetchone()[0].split(',')[0]}"
    )
    explains = []
    # The screens first: the scheduled actions update many rows, whose dead versions
    # stay in the tables until the transaction ends and slow the scans that follow.
    for scenario in (
        bench_list,
        bench_overdue,
        bench_banner,
        bench_partner_form,
        bench_confirm_and_portal,
        bench_crons,
    ):
        try:
            with bench.undone():
                result = (
                    scenario(bench, due) if scenario is bench_crons else scenario(bench)
                )
            explains += result or []
        except Unavailable as error:
            bench.unavailable(
                scenario.__name__, scenario.__name__.removeprefix("bench_"), str(error)
            )
    print("\nScans of the scheduled actions' searches (nothing due):")
    for label, scans in explains:
        print(f"  {label}\n      {'; '.join(scans) or 'none'}")
    return bench.results, commitments


def load_runs(paths):
    runs = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            runs.append(json.load(handle))
    return runs


def medians(runs):
    """Per scenario key, in the order of the first run: its label and the medians."""
    figures = {}
    for index, first in enumerate(runs[0]["results"]):
        if "na" in first:
            figures[first["key"]] = {"label": first["label"], "na": first["na"]}
            continue
        rows = [r["results"][index] for r in runs]
        figures[first["key"]] = {"label": first["label"]}
        for name in (
            "items",
            "total_ms",
            "ms_per_item",
            "queries",
            "queries_per_item",
            "floor_ms",
            "ratio",
            "calls",
        ):
            values = [r.get(name) for r in rows if r.get(name) is not None]
            figures[first["key"]][name] = statistics.median(values) if values else None
    return figures


def compare(before_paths, after_paths):
    """The medians of runs before and after a change, side by side by scenario."""
    before, after = medians(load_runs(before_paths)), medians(load_runs(after_paths))
    print(
        f"Medians of {len(before_paths)} runs before and {len(after_paths)} after: before -> after\n"
    )
    print("| scenario | items | SQL/item | ms/item | floor ms | ratio | total ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key, {}), after.get(key, {})
        labels = [old.get("label"), new.get("label")]
        label = (
            labels[1]
            if labels[0] in (None, labels[1])
            else " -> ".join(filter(None, labels))
        )
        if "na" in old or "na" in new:
            print(
                f"| {label} | n/a: {old.get('na', '')} -> {new.get('na', '')} | | | | | |"
            )
            continue
        cells = []
        for name, spec in (
            ("items", ".0f"),
            ("queries_per_item", ".1f"),
            ("ms_per_item", ".2f"),
            ("floor_ms", ".1f"),
            ("ratio", ".0f"),
            ("total_ms", ".1f"),
        ):
            pair = [
                format(f[name], spec) if f.get(name) is not None else "-"
                for f in (old, new)
            ]
            cells.append(" -> ".join(pair))
        print(f"| {label} | {' | '.join(cells)} |")


def summarize(paths):
    runs = load_runs(paths)
    print(
        f"Medians of {len(runs)} runs ({runs[0]['database']}, {runs[0]['commitments']} commitments)\n"
    )
    print(
        "| scenario | items | total ms | ms/item | SQL | SQL/item | floor ms | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for index, first in enumerate(runs[0]["results"]):
        if "na" in first:
            print(f"| {first['label']} | n/a | | | | | | {first['na']} |")
            continue
        rows = [r["results"][index] for r in runs]

        def median(name, spec, rows=rows):
            values = [r.get(name) for r in rows if r.get(name) is not None]
            return format(statistics.median(values), spec) if values else "-"

        print(
            f"| {first['label']} | {median('items', '.0f')} | {median('total_ms', '.1f')}"
            f" | {median('ms_per_item', '.2f')} | {median('queries', '.0f')} | {median('queries_per_item', '.1f')}"
            f" | {median('floor_ms', '.1f')} | {median('ratio', '.0f')} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config")
    parser.add_argument("-d", "--database")
    parser.add_argument(
        "--due", type=int, default=100, help="items made due for the scheduled actions"
    )
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--summarize",
        nargs="+",
        metavar="JSON",
        help="print the medians of earlier runs",
    )
    parser.add_argument(
        "--before",
        nargs="+",
        metavar="JSON",
        help="with --summarize: the runs before a change, printed side by side",
    )
    args = parser.parse_args()
    if args.summarize:
        if args.before:
            compare(args.before, args.summarize)
        else:
            summarize(args.summarize)
        return
    if not (args.config and args.database):
        parser.error("-c and -d are required")
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        # As the administrator (record rules apply), like the other benchmarks.
        admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {})
        try:
            results, commitments = run(env, args.due)
        finally:
            cr.rollback()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "database": args.database,
                    "commitments": commitments,
                    "due": args.due,
                    "results": results,
                },
                handle,
                indent=1,
                default=str,
            )


if __name__ == "__main__":
    main()
