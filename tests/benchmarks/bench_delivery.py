"""Benchmark of deliveries and workshop visits: prints figures, asserts nothing.

Usage (after ``scripts/test.sh`` or ``scripts/run.sh`` created a database):

    python3 tests/benchmarks/bench_delivery.py -c .run/odoo.conf -d journey_test [-n 100]

It works inside one transaction that is rolled back: the database is unchanged.
Figures: wall time and SQL queries for confirming vehicle orders (delivery tasks
and handovers), sending and acknowledging the handovers, checking the promises,
the ceremony (vehicle and first service), finishing the deliveries, and a
workshop visit from reception to done that uses a free service.
"""

import argparse
import sys
from datetime import date, timedelta

try:
    import odoo
    from odoo import Command, api
except ImportError:
    sys.exit(
        "Odoo is not importable: set PYTHONPATH (or ODOO_PATH) to an Odoo 18 source tree."
    )

from bench_commitments import measure  # noqa: E402  (same directory)


def run(env, count):
    ref = env.ref
    # The administrator acts as the dealership's customer-experience manager.
    env.user.sudo().groups_id = [Command.link(ref("journey_crm.group_cx_manager").id)]
    types = [
        ref(f"journey_crm.commitment_type_{x}")
        for x in ("floor_mats", "free_maintenance")
    ]
    delivery = env["res.users"].create(
        {
            "name": "Bench Delivery",
            "login": "bench_delivery",
            "email": "bench.delivery@example.com",
            "groups_id": [
                Command.set(
                    [
                        ref("base.group_user").id,
                        ref("journey_crm.group_delivery_specialist").id,
                    ]
                )
            ],
        }
    )
    advisor = env["res.users"].create(
        {
            "name": "Bench Advisor",
            "login": "bench_advisor",
            "email": "bench.advisor@example.com",
            "groups_id": [
                Command.set(
                    [
                        ref("base.group_user").id,
                        ref("journey_crm.group_service_advisor").id,
                    ]
                )
            ],
        }
    )
    partner = env["res.partner"].create(
        {"name": "Benchmark Customer", "customer_needs": "Seven seats"}
    )
    product = env["product.product"].create(
        {"name": "Benchmark EV", "type": "consu", "journey_is_vehicle": True}
    )
    brand = env["fleet.vehicle.model.brand"].create({"name": "Bench"})
    model = env["fleet.vehicle.model"].create({"name": "EV", "brand_id": brand.id})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "commitment_date": date.today() + timedelta(days=30),
                "order_line": [Command.create({"product_id": product.id})],
                "commitment_ids": [
                    Command.create({"type_id": t.id, "name": f"{t.name} {i}"})
                    for t in types
                ],
            }
            for i in range(count)
        ]
    )
    orders.action_declare_commitments()
    env.flush_all()
    print(f"{'step':<44} {'n':>5} {'total':>13} {'per item':>16} {'SQL':>15}")
    with measure("confirm (delivery task and handover)", count):
        orders.action_confirm()
        env.flush_all()
    handovers = orders.journey_handover_ids
    with measure("send and acknowledge the handover", count):
        for handover in handovers:
            handover.write({"receiver_id": delivery.id, "background": "Benchmark"})
            handover.action_send()
            handover.with_user(delivery).action_acknowledge()
        env.flush_all()
    tasks = orders.journey_task_ids
    with measure("check the promises due at delivery", count):
        for task in tasks:
            task.journey_checklist_ids.with_user(delivery).action_journey_fulfil()
        env.flush_all()
    first_service = env.company._journey_first_service_bounds(date.today())[0]
    with measure("ceremony: vehicle, advisor, first service", count):
        for index, task in enumerate(tasks):
            env["journey.delivery.ceremony.wizard"].with_user(delivery).create(
                {
                    "task_id": task.id,
                    "model_id": model.id,
                    "vin_sn": f"LBENCH{index:011d}",
                    "driver_id": partner.id,
                    "service_advisor_id": advisor.id,
                    "first_service_date": first_service,
                }
            ).action_confirm()
        env.flush_all()
    with measure("finish the delivery (handover to service)", count):
        tasks.with_user(delivery).write(
            {"stage_id": ref("journey_service.stage_delivery_done").id}
        )
        env.flush_all()
    visits = tasks.journey_first_service_task_id.with_user(advisor)
    with measure("visit: reception to done, free service used", count):
        for step in ("reception", "diagnosis", "repair", "handed_back", "done"):
            visits.write({"stage_id": ref(f"journey_service.stage_service_{step}").id})
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
        admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {})
        try:
            run(env, args.count)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
