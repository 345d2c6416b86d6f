"""Benchmark of the collaboration health board: prints figures, asserts nothing.

Usage (on a database with journey_kpi, e.g. one filled by ``generate_scale.py``):

    python3 tests/benchmarks/bench_kpi.py -c .run/odoo.conf -d bench_100k [--runs 3]

As the superuser, for the company with the most commitments, it prints:

a. the whole board (``get_board_data``) for this month and the last 12 months:
   median time and SQL queries;
b. each measure of the board for this month: the figure, its sample, the
   median time and queries of the figure and of its weekly trend;
c. the fulfilment rate of promises due this month twice: through the measure
   (ORM, reporting view, record rules) and as ONE hand-written SQL statement
   over ``journey_commitment`` (the floor), with the ratio.

It works inside a transaction that is rolled back: the database is unchanged.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta

try:
    import odoo
    from odoo import api
    from odoo.tools import SQL
except ImportError:
    sys.exit(
        "Odoo is not importable: set PYTHONPATH (or ODOO_PATH) to an Odoo 18 source tree."
    )

FLOOR_SQL = """
    SELECT AVG(rate), COUNT(rate) FROM (
    SELECT CASE
               WHEN c.fulfillment_state = 'fulfilled'
                    AND ((c.fulfilled_on AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date
                        <= d.due THEN 100.0
               WHEN c.fulfillment_state = 'fulfilled' OR d.due < %(today)s THEN 0.0
           END AS rate
      FROM journey_commitment c
CROSS JOIN LATERAL (SELECT CASE WHEN c.date_deferred IS NOT NULL AND c.customer_consent
                                THEN c.date_deferred ELSE c.date_deadline END AS due) d
     WHERE c.company_id = %(company)s
       AND c.is_current
       AND c.fulfillment_state NOT IN ('cancelled', 'waived')
       AND c.approval_state != 'rejected'
       AND d.due BETWEEN %(date_from)s AND %(date_to)s
    ) rows
"""


def timed(env, runs, function):
    """Median seconds and queries of ``function`` over ``runs`` calls."""
    times, queries = [], []
    for _run in range(runs):
        env.invalidate_all()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
        queries.append(env.cr.sql_log_count - count)
    return result, statistics.median(times), statistics.median(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "journey.kpi.measure" not in env:
            sys.exit(f"journey_kpi is not installed in {args.database}")
        cr.execute(
            "SELECT company_id FROM journey_commitment GROUP BY company_id "
            "ORDER BY COUNT(*) DESC LIMIT 1"
        )
        company = env["res.company"].browse(cr.fetchone()[0])
        env = env(context={"allowed_company_ids": company.ids})
        cr.execute("SELECT COUNT(*) FROM journey_commitment")
        print(
            f"{args.database}: {cr.fetchone()[0]} commitments; company {company.name}"
        )
        Measure = env["journey.kpi.measure"]
        for period in ("this_month", "last_12_months"):
            filters = {"company_ids": company.ids, "period": period}
            _r, seconds, queries = timed(
                env, args.runs, lambda f=filters: Measure.get_board_data(f)
            )
            print(f"a. board, {period}: {seconds * 1000:.0f} ms, {queries:.0f} queries")
        filters = Measure._journey_clean_filters(
            {"company_ids": company.ids, "period": "this_month"}
        )
        trend_from = filters["date_to"] - timedelta(days=49)
        trend_from -= timedelta(days=trend_from.weekday())
        print(
            "b. measure                        value   sample  figure ms/q   trend ms/q"
        )
        for measure in Measure.search([("active", "=", True)]):
            figure, seconds, queries = timed(
                env, args.runs, lambda m=measure: m._journey_compute(filters)[m]
            )
            value, sample = figure.get(None, (None, 0))
            _t, trend_s, trend_q = timed(
                env,
                args.runs,
                lambda m=measure: m._journey_trend(
                    filters, trend_from, filters["date_to"]
                ),
            )
            shown = "-" if value is None else f"{value:.1f}"
            print(
                f"   {measure.code:28} {shown:>8} {sample:8} "
                f"{seconds * 1000:7.1f}/{queries:<3.0f} {trend_s * 1000:8.1f}/{trend_q:.0f}"
            )
        kept = env.ref("journey_kpi.measure_commitment_kept")
        figure, orm, _q = timed(
            env, args.runs, lambda: kept._journey_compute(filters)[kept]
        )
        params = {
            "tz": company._journey_kpi_tz(),
            "today": filters["today"],
            "company": company.id,
            "date_from": filters["date_from"],
            "date_to": filters["date_to"],
        }
        floor_times = []
        for _run in range(args.runs):
            start = time.perf_counter()
            cr.execute(SQL(FLOOR_SQL, **params))  # pylint: disable=sql-injection
            floor_row = cr.fetchone()
            floor_times.append(time.perf_counter() - start)
        floor = statistics.median(floor_times)
        print(
            f"c. kept on time this month: measure {figure.get(None)} in {orm * 1000:.1f} ms; "
            f"floor ({floor_row[0]}, {floor_row[1]}) in {floor * 1000:.1f} ms; "
            f"ratio {orm / floor:.1f}x"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
