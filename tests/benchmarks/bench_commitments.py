"""Benchmark of the commitment ledger: prints figures, asserts nothing.

Usage (after ``scripts/test.sh`` or ``scripts/run.sh`` created a database):

    python3 tests/benchmarks/bench_commitments.py -c .run/odoo.conf -d journey_test [-n 200]

It works inside one transaction that is rolled back: the database is unchanged.
Figures: wall time and SQL queries for creating quotations with five
commitments, computing the order counters, declaring, confirming, signing and
versioning a signed line.
"""

import argparse
import sys
import time
from contextlib import contextmanager

try:
    import odoo
    from odoo import Command, api
except ImportError:
    sys.exit(
        "Odoo is not importable: set PYTHONPATH (or ODOO_PATH) to an Odoo 18 source tree."
    )

SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@contextmanager
def measure(label, count):
    queries_before = odoo.sql_db.sql_counter
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    queries = odoo.sql_db.sql_counter - queries_before
    print(
        f"{label:<44} {count:>5} {elapsed * 1000:>10.1f} ms"
        f" {elapsed * 1000 / count:>8.2f} ms/each {queries:>7} queries {queries / count:>7.1f}/each"
    )


def run(env, count):
    types = [
        env.ref(f"journey_crm.commitment_type_{xmlid}")
        for xmlid in (
            "floor_mats",
            "window_film",
            "dash_cam",
            "home_charger",
            "free_maintenance",
        )
    ]
    partner = env["res.partner"].create({"name": "Benchmark Customer"})
    product = env["product.product"].create({"name": "Benchmark EV", "type": "consu"})
    print(f"{'step':<44} {'n':>5} {'total':>13} {'per item':>16} {'SQL':>15}")
    with measure("create quotations with 5 commitments", count):
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "require_signature": True,
                    "order_line": [Command.create({"product_id": product.id})],
                    "commitment_ids": [
                        Command.create({"type_id": t.id, "name": f"{t.name} {i}"})
                        for t in types
                    ],
                }
                for i in range(count)
            ]
        )
        env.flush_all()
    env.invalidate_all()
    with measure("compute order counters", count):
        orders.mapped("commitment_to_sign_count")
    with measure("declare checklists", count):
        orders.action_declare_commitments()
        env.flush_all()
    with measure("sign commitments with the quotation", count):
        for order in orders:
            order.write({"signed_by": "Benchmark", "signature": SIGNATURE})
        env.flush_all()
    with measure("confirm orders", count):
        orders.action_confirm()
        env.flush_all()
    lines = orders.commitment_ids.filtered(lambda c: c.type_id == types[0])
    with measure("change a signed line (new version)", count):
        for line in lines:
            line.write({"quantity": 2})
        env.flush_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, default=100)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        # As the administrator (record rules apply), with tracking and chatter on.
        admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {})
        try:
            run(env, args.count)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
