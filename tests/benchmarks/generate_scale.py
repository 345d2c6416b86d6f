"""Seeded generator of a dealership group's history, for the scale benchmark.

Usage (on a database where journey_crm and journey_service are installed,
without demo data):

    python3 tests/benchmarks/generate_scale.py -c .run/odoo.conf -d bench_100k --commitments 100000 [--seed 42]

Proportions come from a real measurement. Per 100,000 commitments: 20,000
confirmed vehicle orders over three years, one delivery task per order and
about 38,000 workshop visits (about 58,000 tasks), 38,000 handovers (sales to
delivery for every order, delivery to after-sales for every delivered one), one
vehicle per delivered order, about 1,900 leads raised in after-sales. One fleet
customer has about 450 open promises across 150 vehicles whatever the size, so
that its pages compare across sizes. ``--commitments 10000`` gives 2,000 orders
and so on.

The ORM first makes the users, products and one prototype order per vehicle
model through the real flows (quotation with promises, declaration, signature,
confirmation, handover, check, ceremony, delivery, workshop visit, service
lead). The volume then goes in with COPY: each row is built from a seeded
``random.Random`` (the same seed on the same day gives the same data; dates
are relative to the day of the run) and takes the columns it does not set
from its prototype row. Stored computed fields are filled with the values the
ORM computes (the working time of tasks is computed by the ORM itself).

Then 20 orders go through the ORM's flows on the full database, the ORM's
constraints (``_validate_fields``) run on a random sample of the bulk rows, and
the sample's stored computed fields are recomputed by the ORM and compared with
what was written. Any error or difference stops the script before the commit.
"""

import argparse
import hashlib
import io
import json
import random
import sys
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta

try:
    import odoo
    from odoo import Command, api, fields
    from odoo.tools import float_round, parse_version
except ImportError:
    sys.exit(
        "Odoo is not importable: set PYTHONPATH (or ODOO_PATH) to an Odoo 18 source tree."
    )

# Per 100,000 commitments (the real measurement).
REFERENCE = 100_000
ORDERS = 20_000
VISITS = 38_000
LEADS = 1_900
VERSION_SHARE = 0.03  # commitments that are an older, replaced version
BIG_FLEET_ORDERS = 150  # whatever the size: ~450 open promises
HISTORY_DAYS = 3 * 365
SAMPLE_ORDERS = 20
CHECK_SAMPLE = 300  # bulk records per model for the constraint and recompute checks
TZ = "Asia/Shanghai"

SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
SURNAMES = (
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Luo",
    "Gao",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
)
GIVEN = (
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Lei",
    "Jun",
    "Yang",
    "Yong",
    "Yan",
    "Jie",
    "Tao",
    "Ming",
    "Chao",
    "Xiu",
    "Hao",
    "Hui",
    "Ling",
    "Qiang",
    "Ping",
    "Xin",
    "Yu",
    "Bo",
    "Lan",
    "Rui",
    "Kai",
    "Ying",
    "Dan",
    "Peng",
    "Qing",
)
VEHICLES = (  # brand, model, price, seats, fuel
    ("Lumen", "S5 Sedan", 189_000, 5, "electric"),
    ("Lumen", "X7 SUV", 329_000, 7, "electric"),
    ("Lumen", "M3 Hatch", 139_000, 5, "electric"),
    ("Terra", "T9 MPV", 419_000, 7, "full_hybrid"),
    ("Terra", "P4 Pickup", 259_000, 5, "diesel"),
    ("Terra", "C2 City", 99_000, 4, "electric"),
)
# Share of individual orders that carry each promise (by type code).
PROMISE_SHARE = {
    "DELIVERY": 0.95,
    "MATS": 0.9,
    "FILM": 0.6,
    "DASHCAM": 0.55,
    "CHARGER": 0.65,
    "FREEMAINT": 0.8,
    "PRICE": 0.1,
    "REPAIR": 0.05,
    "PARTS": 0.05,
    "OTHER": 0.1,
}
FLEET_PROMISES = ("DELIVERY", "MATS", "FREEMAINT", "REPAIR", "PARTS")
EXTRA_PROMISES = ("MATS", "FILM", "DASHCAM", "OTHER")
PROMISE_NAMES = {
    "DELIVERY": "Delivery by %s",
    "MATS": ("All-weather floor mats", "Floor mats, all seats", "Floor and boot mats"),
    "FILM": ("Window film, front and side", "Heat-insulating window film"),
    "DASHCAM": ("Front and rear dash cam", "Dash cam with parking mode"),
    "CHARGER": ("7 kW home charger installed", "Wall box installed at home"),
    "FREEMAINT": ("6 free services over 3 years",),
    "PRICE": (
        "Discount of 8,000 on the list price",
        "Free upgrade to the long-range battery",
    ),
    "REPAIR": ("Repairs within 5 working days",),
    "PARTS": ("Parts within 48 hours",),
    "OTHER": (
        "Free car wash at each visit",
        "Courtesy car during services",
        "Roof box",
    ),
}
COSTS = {
    "DELIVERY": 0,
    "MATS": 300,
    "FILM": 1500,
    "DASHCAM": 800,
    "CHARGER": 3000,
    "FREEMAINT": 4000,
    "PRICE": 8000,
    "REPAIR": 500,
    "PARTS": 300,
    "OTHER": 200,
}
JOB_NAMES = {
    "FIRST": "First service",
    "ROUTINE": "Routine service",
    "ALIGN": "Wheel alignment",
    "TYRES": "Tyre change",
    "BRAKES": "Brake pads",
    "BATTERY": "Battery check",
    "AC": "Air conditioning",
    "DIAG": "Warning light",
}
NEEDS = (
    "Seven seats for the family",
    "Long range for the commute",
    "Cheap running costs",
    "Room for two child seats",
    "A company car for the sales team",
)
CONCERNS = (
    "Battery life in winter",
    "Charging at the apartment",
    "Resale value",
    "Waiting time at the workshop",
    "Insurance cost",
)
OPEN_STATES = ("open", "in_progress", "partial", "deferred")
# Stored computed fields that are not derived from the record's other fields:
# stamped with the time of the change, or (lead scoring) refreshed by a scheduled
# action from the statistics of won and lost leads. The recompute check leaves
# them out.
NOT_DERIVED = {
    "crm.lead": {
        "date_open",
        "day_open",
        "day_close",
        "date_last_stage_update",
        "probability",
        "automated_probability",
    },
    "project.task": {"date_last_stage_update"},
}


# ----------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------


@contextmanager
def step(label, timings):
    started = time.perf_counter()
    print(f"  {label} ...", flush=True)
    yield
    timings[label] = time.perf_counter() - started
    print(f"  {label}: {timings[label]:.1f} s", flush=True)


def copy_text(value):
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class Ids:
    """Ids handed out in Python from a table's sequence, set once the rows are in."""

    def __init__(self, cr, table):
        self.cr = cr
        self.table = table
        cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        self.sequence = cr.fetchone()[0]
        cr.execute(
            f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), last_value) FROM {self.sequence}"
        )
        self.last = cr.fetchone()[0]

    def __call__(self):
        self.last += 1
        return self.last

    def close(self):
        self.cr.execute("SELECT setval(%s, %s)", [self.sequence, max(self.last, 1)])


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(cr, table, columns, rows):
    """COPY rows (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return 0
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(copy_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cr._obj.copy_expert(
        "COPY {} ({}) FROM STDIN".format(table, ", ".join(f'"{c}"' for c in columns)),
        buffer,
    )
    return len(rows)


def clone_rows(cr, table, columns, rows):
    """Insert rows that take every column they do not set from a prototype row.

    Each row is ``(prototype_id, value, ...)`` with the values of ``columns``.
    """
    if not rows:
        return 0
    others = [c for c in table_columns(cr, table) if c not in columns]
    cr.execute("DROP TABLE IF EXISTS _bulk")
    cr.execute(
        'CREATE TEMP TABLE _bulk AS SELECT 0 AS _prototype, {} FROM "{}" LIMIT 0'.format(
            ", ".join(f'"{c}"' for c in columns), table
        )
    )
    copy_rows(cr, "_bulk", ["_prototype", *columns], rows)
    cr.execute(
        'INSERT INTO "{}" ({}) SELECT {} FROM _bulk b JOIN "{}" p ON p.id = b._prototype ORDER BY b.id'.format(
            table,
            ", ".join(f'"{c}"' for c in columns + others),
            ", ".join([f'b."{c}"' for c in columns] + [f'p."{c}"' for c in others]),
            table,
        )
    )
    cr.execute("DROP TABLE _bulk")
    return len(rows)


def fingerprint(content):
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def first_service_date(env):
    """The earliest first service for a delivery of today: the company's window
    (journey_service 18.0.2), else the fixed one of 18.0.1."""
    if hasattr(env.company, "_journey_first_service_bounds"):
        return env.company._journey_first_service_bounds(
            fields.Date.context_today(env.company)
        )[0]
    return env["project.task"]._journey_first_service_bounds()[0]


def working_time(moment, rng, minutes=(0, 480)):
    return moment + timedelta(minutes=rng.randint(*minutes), seconds=rng.randint(0, 59))


# ----------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------


class Generator:
    def __init__(self, env, commitments, seed, today):
        self.env = env
        self.cr = env.cr
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        # Midnight UTC of the day of the run: every date is relative to it.
        self.now = datetime.combine(today, datetime.min.time())
        self.n_commitments = commitments
        scale = commitments / REFERENCE
        self.n_orders = max(BIG_FLEET_ORDERS + 50, round(ORDERS * scale))
        self.n_visits = round(VISITS * scale)
        self.n_leads = round(LEADS * scale)
        self.n_versions = round(commitments * VERSION_SHARE)
        self.timings = {}
        self.counts = defaultdict(int)
        # Rows to write, by table.
        self.rows = defaultdict(list)

    # ------------------------------------------------------------------
    # Master data and prototypes, through the ORM
    # ------------------------------------------------------------------

    def master_data(self):
        env = self.env
        ref = env.ref
        company = env.company
        self.company = company
        version = (
            env["ir.module.module"]
            .search([("name", "=", "journey_service")])
            .latest_version
        )
        self.tokens_on_demand = parse_version(version) >= parse_version("18.0.2.0.0")

        def users(prefix, count, groups):
            return (
                env["res.users"]
                .with_context(no_reset_password=True, mail_create_nolog=True)
                .create(
                    [
                        {
                            "name": f"{prefix.title()} {GIVEN[i % len(GIVEN)]} {SURNAMES[(i * 7) % len(SURNAMES)]}",
                            "login": f"bench_{prefix}_{i:02d}",
                            "email": f"bench.{prefix}.{i:02d}@example.com",
                            "tz": TZ,
                            "groups_id": [
                                Command.set(
                                    [
                                        ref("base.group_user").id,
                                        *(ref(g).id for g in groups),
                                    ]
                                )
                            ],
                        }
                        for i in range(count)
                    ]
                )
            )

        self.salespeople = users("sales", 24, ["journey_crm.group_sales_consultant"])
        self.specialists = users(
            "delivery", 8, ["journey_crm.group_delivery_specialist"]
        )
        self.advisors = users("advisor", 12, ["journey_crm.group_service_advisor"])
        self.sales_manager = users("salesmanager", 1, ["sales_team.group_sale_manager"])
        self.aftersales_manager = users(
            "aftersales", 1, ["journey_crm.group_aftersales_manager"]
        )
        self.cx_manager = users("cx", 1, ["journey_crm.group_cx_manager"])
        self.team = ref("sales_team.team_sales_department")
        self.team.write(
            {
                "user_id": self.sales_manager.id,
                "member_ids": [Command.set(self.salespeople.ids)],
            }
        )
        data = env["ir.model.data"]
        for name, record in (
            ("sales_manager", self.sales_manager),
            ("aftersales_manager", self.aftersales_manager),
            ("cx_manager", self.cx_manager),
        ):
            data.create(
                {
                    "module": "bench",
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
            )
        self.public_user = ref("base.public_user")
        self.types = {t.code: t for t in env["journey.commitment.type"].search([])}
        self.jobs = {j.code: j for j in env["journey.service.job"].search([])}
        self.bays = env["journey.service.bay"].create(
            [
                {"name": f"Bay {i + 1}", "code": f"B{i + 1}", "company_id": company.id}
                for i in range(6)
            ]
        )
        brands = {}
        self.products = []
        self.models = []
        for brand, model, price, seats, fuel in VEHICLES:
            if brand not in brands:
                brands[brand] = env["fleet.vehicle.model.brand"].create({"name": brand})
            self.models.append(
                env["fleet.vehicle.model"].create(
                    {
                        "name": model,
                        "brand_id": brands[brand].id,
                        "seats": seats,
                        "default_fuel_type": fuel,
                        "vehicle_type": "car",
                    }
                )
            )
            self.products.append(
                env["product.product"].create(
                    {
                        "name": f"{brand} {model}",
                        "type": "consu",
                        "list_price": price,
                        "journey_is_vehicle": True,
                        "default_code": f"{brand[:2]}{model[:2]}".upper(),
                    }
                )
            )
        self.delivery_project = env["project.project"]._journey_get_project(
            "delivery", company
        )
        self.service_project = env["project.project"]._journey_get_project(
            "service", company
        )
        self.delivery_stages = {
            s.journey_step: s for s in self.delivery_project.type_ids if s.journey_step
        }
        self.service_stages = {
            s.journey_step: s for s in self.service_project.type_ids if s.journey_step
        }
        env.flush_all()

    def prototypes(self):
        """One order per vehicle model through the real flows, from the quotation to
        a workshop visit and a lead back to sales: the bulk rows copy them."""
        env = self.env
        salesperson = self.salespeople[0]
        specialist = self.specialists[0]
        advisor = self.advisors[0]
        self.proto = defaultdict(dict)
        company_partner = env["res.partner"].create(
            {
                "name": "Prototype Fleet Co.",
                "is_company": True,
                "email": "fleet@example.com",
                "phone": "+862150000000",
            }
        )
        contact = env["res.partner"].create(
            {
                "name": "Prototype Driver",
                "parent_id": company_partner.id,
                "email": "driver@example.com",
                "phone": "+8613900000000",
            }
        )
        self.proto["res_partner"].update(company=company_partner.id, contact=contact.id)
        first_service = first_service_date(env)
        for index, (product, model) in enumerate(
            zip(self.products, self.models, strict=False)
        ):
            partner = env["res.partner"].create(
                {
                    "name": f"Prototype Customer {index}",
                    "email": f"proto{index}@example.com",
                    "phone": f"+8613800000{index:03d}",
                }
            )
            order = (
                env["sale.order"]
                .with_user(salesperson)
                .create(
                    {
                        "partner_id": partner.id,
                        "commitment_date": self.now + timedelta(days=10, hours=6),
                        "order_line": [Command.create({"product_id": product.id})],
                        "commitment_ids": [
                            Command.create(
                                {
                                    "type_id": self.types[code].id,
                                    "name": self.types[code].name,
                                }
                            )
                            for code in ("MATS", "FILM", "FREEMAINT")
                        ],
                    }
                )
            )
            order.action_declare_commitments()
            # sudo: as the portal's signing route (a user may not write the signature).
            order.sudo().write({"signed_by": partner.name, "signature": SIGNATURE})
            order.action_confirm()
            handover = order.journey_handover_ids
            handover.write({"receiver_id": specialist.id, "background": "Prototype"})
            handover.action_send()
            handover.with_user(specialist).action_acknowledge()
            task = order.journey_task_ids
            attachment = env["ir.attachment"].create(
                {
                    "name": "evidence.png",
                    "datas": SIGNATURE,
                    "res_model": "journey.commitment",
                    "res_id": task.journey_checklist_ids[:1].id,
                }
            )
            # Kept with the evidence, through the check wizard.
            env["journey.commitment.fulfil.wizard"].with_user(specialist).create(
                {
                    "commitment_ids": [Command.set(task.journey_checklist_ids.ids)],
                    "action": "fulfilled",
                    "evidence_ids": [Command.set(attachment.ids)],
                }
            ).action_confirm()
            env["journey.delivery.ceremony.wizard"].with_user(specialist).create(
                {
                    "task_id": task.id,
                    "model_id": model.id,
                    "vin_sn": f"LPR0T0TYPE{index:07d}",
                    "license_plate": f"PROTO{index}",
                    "driver_id": partner.id,
                    "service_advisor_id": advisor.id,
                    "first_service_date": first_service,
                }
            ).action_confirm()
            task.with_user(specialist).write(
                {"stage_id": self.delivery_stages["done"].id}
            )
            visit = task.journey_first_service_task_id.with_user(advisor)
            for step_name in (
                "reception",
                "diagnosis",
                "repair",
                "handed_back",
                "follow_up",
                "done",
            ):
                visit.write({"stage_id": self.service_stages[step_name].id})
            self.proto["res_partner"].setdefault("person", partner.id)
            self.proto["sale_order"][product.id] = order.id
            self.proto["sale_order_line"][product.id] = order.order_line.id
            self.proto["fleet_vehicle"][model.id] = task.journey_vehicle_id.id
            self.proto["project_task"].setdefault("delivery", task.id)
            self.proto["project_task"].setdefault("service", visit.id)
            if index == 0:
                lead_action = (
                    env["journey.service.lead.wizard"]
                    .with_user(advisor)
                    .with_context(default_task_id=visit.id)
                    .create(
                        {
                            "kind": "additional_purchase",
                            "grade": "b",
                            "note": "Prototype",
                        }
                    )
                    .action_confirm()
                )
                lead = env["crm.lead"].search(
                    [("journey_source_task_id", "=", visit.id)], limit=1
                )
                assert lead, lead_action
                self.proto["crm_lead"]["service"] = lead.id
                attachments = env["ir.attachment"].search(
                    [
                        ("res_field", "=", "signature"),
                        ("res_model", "=", "sale.order"),
                        ("res_id", "=", order.id),
                    ]
                )
                self.proto["ir_attachment"]["order_signature"] = attachments.id
                signature = order.commitment_signature_ids[:1]
                self.proto["ir_attachment"]["signature"] = (
                    env["ir.attachment"]
                    .search(
                        [
                            ("res_field", "=", "signature"),
                            ("res_model", "=", signature._name),
                            ("res_id", "=", signature.id),
                        ]
                    )
                    .id
                )
                self.proto["ir_attachment"]["evidence"] = attachment.id
                self.proto["project_task_user_rel"]["delivery"] = (
                    env["project.task.stage.personal"]
                    .search([("task_id", "=", task.id)], limit=1)
                    .id
                )
        env.flush_all()
        self.prototype_orders = env["sale.order"].browse(
            list(self.proto["sale_order"].values())
        )

    # ------------------------------------------------------------------
    # The plan, in Python
    # ------------------------------------------------------------------

    def plan(self):
        cr = self.cr
        self.ids = {
            table: Ids(cr, table)
            for table in (
                "res_partner",
                "sale_order",
                "sale_order_line",
                "journey_commitment",
                "project_task",
                "journey_handover",
                "fleet_vehicle",
                "journey_task_step",
                "journey_commitment_signature",
                "ir_attachment",
                "crm_lead",
                "project_task_user_rel",
            )
        }
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "sale.order")], limit=1
        )
        self.sequence = sequence
        self.order_number = sequence.number_next_actual
        self.plan_customers()
        self.plan_orders()
        self.plan_commitments()
        self.plan_deliveries()
        self.plan_visits()
        self.finish_commitments()
        self.plan_leads()

    # Customers --------------------------------------------------------

    def new_partner(self, name, is_company=False, parent=None, created=None):
        rng = self.rng
        pid = self.ids["res_partner"]()
        slug = name.lower().replace(" ", ".").replace(",", "").replace("..", ".")
        email = f"{slug}.{pid}@example.com"
        phone = f"+86{rng.choice(('138', '139', '150', '151', '186', '188'))}{rng.randint(0, 99_999_999):08d}"
        partner = {
            "id": pid,
            "name": name,
            "is_company": is_company,
            "parent_id": parent and parent["id"],
            "email": email,
            "phone": phone,
            "created": created or self.now - timedelta(days=HISTORY_DAYS + 30),
            "user_id": parent and parent["user_id"],
            "commercial": parent or None,
            "advisor": None,
            "needs": None,
            "concerns": None,
            "contact_method": None,
            "referred_by": None,
            "ref": None,
        }
        partner["commercial"] = parent or partner
        if rng.random() < 0.3:
            partner["needs"] = rng.choice(NEEDS)
        if rng.random() < 0.2:
            partner["concerns"] = rng.choice(CONCERNS)
        if rng.random() < 0.5:
            partner["contact_method"] = rng.choice(("wechat", "phone", "sms", "email"))
        self.partners.append(partner)
        return partner

    def person_name(self):
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"

    def plan_customers(self):
        self.partners = []
        rng = self.rng
        big = self.new_partner("Shanghai Green Taxi Co., Ltd.", is_company=True)
        big["ref"] = "BENCH-FLEET"
        big["user_id"] = self.salespeople[0].id
        big["contacts"] = [
            self.new_partner(self.person_name(), parent=big) for _ in range(20)
        ]
        self.big_fleet = big
        self.fleets = []
        for index in range(max(2, round(self.n_orders / 1000))):
            kind = rng.choice(
                (
                    "Car Rental",
                    "Logistics",
                    "Ride Hailing",
                    "Property Management",
                    "Engineering",
                )
            )
            fleet = self.new_partner(
                f"{rng.choice(SURNAMES)} {kind} Co. {index + 1}", is_company=True
            )
            fleet["user_id"] = rng.choice(self.salespeople).id
            fleet["contacts"] = [
                self.new_partner(self.person_name(), parent=fleet)
                for _ in range(rng.randint(2, 5))
            ]
            self.fleets.append(fleet)

    # Orders -----------------------------------------------------------

    def plan_orders(self):
        rng = self.rng
        self.orders = []
        slots = []
        # The big fleet buys over the last 30 months: all its long promises are open.
        for _ in range(BIG_FLEET_ORDERS):
            slots.append(
                (self.now - timedelta(days=rng.uniform(20, 900)), self.big_fleet)
            )
        for fleet in self.fleets:
            for _ in range(rng.randint(10, 40)):
                slots.append(
                    (self.now - timedelta(days=rng.uniform(1, HISTORY_DAYS)), fleet)
                )
        while len(slots) < self.n_orders:
            slots.append(
                (self.now - timedelta(days=rng.uniform(1, HISTORY_DAYS)), None)
            )
        slots = slots[: self.n_orders]
        slots.sort(key=lambda slot: slot[0])
        individuals = []
        for moment, fleet in slots:
            date_order = moment.replace(
                hour=rng.randint(1, 10),
                minute=rng.randint(0, 59),
                second=rng.randint(0, 59),
                microsecond=0,
            )
            if fleet:
                customer = (
                    fleet if rng.random() < 0.7 else rng.choice(fleet["contacts"])
                )
                salesperson = fleet["user_id"]
                product_index = (
                    0 if fleet is self.big_fleet else rng.randrange(len(self.products))
                )
            else:
                if individuals and rng.random() < 0.15:
                    customer = rng.choice(individuals)
                    salesperson = customer["salesperson"]
                else:
                    customer = self.new_partner(
                        self.person_name(),
                        created=date_order - timedelta(days=rng.randint(1, 30)),
                    )
                    customer["salesperson"] = salesperson = rng.choice(
                        self.salespeople
                    ).id
                    if individuals and rng.random() < 0.05:
                        customer["referred_by"] = rng.choice(individuals)["id"]
                    individuals.append(customer)
                product_index = rng.randrange(len(self.products))
            lead_days = (
                rng.randint(7, 60) if fleet is self.big_fleet else rng.randint(7, 200)
            )
            delivery = datetime.combine(
                date_order.date() + timedelta(days=lead_days), datetime.min.time()
            ).replace(hour=6)
            if delivery < self.now and delivery.date() >= self.today:
                delivery += timedelta(days=1)
            delivered = delivery.date() < self.today
            created = date_order - timedelta(
                days=rng.randint(0, 10), hours=rng.randint(0, 8)
            )
            signed = rng.random() < 0.85
            order = {
                "id": self.ids["sale_order"](),
                "line_id": self.ids["sale_order_line"](),
                "name": f"S{self.order_number:05d}",
                "partner": customer,
                "user_id": salesperson,
                "product_index": product_index,
                "date_order": date_order,
                "created": created,
                "commitment_date": delivery,
                "delivered": delivered,
                "delivered_on": delivered
                and delivery
                + timedelta(hours=rng.randint(1, 8), minutes=rng.randint(0, 59)),
                "signed_on": signed
                and date_order - timedelta(hours=rng.randint(1, 48)),
                "declared_on": created + timedelta(hours=rng.randint(1, 24)),
                "commitments": [],
            }
            if order["declared_on"] > date_order:
                order["declared_on"] = date_order - timedelta(minutes=5)
            if order["signed_on"] and order["signed_on"] < order["declared_on"]:
                order["signed_on"] = order["declared_on"] + timedelta(minutes=10)
                if order["signed_on"] > date_order:
                    order["signed_on"] = date_order - timedelta(minutes=1)
            self.order_number += 1
            self.orders.append(order)
        self.counts["sale.order"] = len(self.orders)

    # Commitments ------------------------------------------------------

    def plan_commitments(self):
        rng = self.rng
        wanted = self.n_commitments - self.n_versions
        for order in self.orders:
            if order["partner"]["commercial"] is self.big_fleet:
                order["codes"] = list(FLEET_PROMISES)
            else:
                order["codes"] = [
                    code
                    for code, share in PROMISE_SHARE.items()
                    if rng.random() < share
                ]
        total = sum(len(order["codes"]) for order in self.orders)
        others = [
            o for o in self.orders if o["partner"]["commercial"] is not self.big_fleet
        ]
        while total < wanted:
            order = rng.choice(others)
            if len(order["codes"]) < 9:
                order["codes"].append(rng.choice(EXTRA_PROMISES))
                total += 1
        while total > wanted:
            order = rng.choice(others)
            removable = [
                i for i, code in enumerate(order["codes"]) if code != "DELIVERY"
            ]
            if len(order["codes"]) > 2 and removable:
                del order["codes"][rng.choice(removable)]
                total -= 1
        self.commitments = []
        for order in self.orders:
            for sequence, code in enumerate(order["codes"]):
                self.commitments.append(self.new_commitment(order, code, sequence))

    def new_commitment(self, order, code, sequence):
        rng = self.rng
        ctype = self.types[code]
        names = PROMISE_NAMES[code]
        delivery_day = order["commitment_date"].date()
        if code == "DELIVERY":
            name = names % delivery_day.isoformat()
        else:
            name = rng.choice(names)
        due_rule = ctype.due_rule
        if due_rule == "at_delivery":
            deadline = delivery_day
        elif due_rule == "fixed_date":
            deadline = delivery_day  # the delivery-date promise
        elif due_rule == "days_after_delivery":
            deadline = delivery_day + relativedelta(days=ctype.due_days)
        else:
            deadline = delivery_day + relativedelta(months=ctype.period_months)
        commitment = {
            "id": self.ids["journey_commitment"](),
            "order": order,
            "type": ctype,
            "code": code,
            "sequence": 10 + sequence,
            "name": name,
            "quantity": 1.0,
            "cost": COSTS[code],
            "deadline": deadline,
            "state": "open",
            "approval": "not_required",
            "approved_by": None,
            "approved_on": None,
            "rejection_reason": None,
            "signed_on": None,
            "fingerprint": None,
            "version": 1,
            "previous": None,
            "next": None,
            "is_current": True,
            "fulfilled_by": None,
            "fulfilled_on": None,
            "date_deferred": None,
            "waive_reason": None,
            "cancel_reason": None,
            "consent": False,
            "note": None,
            "uses_done": 0,
            "reminder_sent": False,
            "delivery_task": None,
            "vehicle": None,
            "evidence": False,
            "created": order["created"],
        }
        if ctype.policy == "special":
            decided = order["created"] + timedelta(hours=rng.randint(1, 20))
            commitment.update(
                approved_by=self.aftersales_manager.id,
                approved_on=min(decided, order["declared_on"]),
            )
            if (
                rng.random() < 0.08
                and order["partner"]["commercial"] is not self.big_fleet
            ):
                commitment.update(
                    approval="rejected",
                    state="cancelled",
                    rejection_reason="Outside the dealership's policy",
                    cancel_reason="Rejected by the after-sales manager",
                )
            else:
                commitment["approval"] = "approved"
        elif rng.random() < 0.02:
            commitment.update(
                state="cancelled", cancel_reason="The customer no longer wants it"
            )
        order["commitments"].append(commitment)
        return commitment

    def content(self, commitment):
        """What the customer reads and signs (journey.commitment._get_signed_content)."""
        ctype = commitment["type"]
        content = {
            "name": commitment["name"].strip(),
            "type": ctype.code or "",
            "quantity": "{:.2f}".format(commitment["quantity"]),
            "due_rule": ctype.due_rule,
        }
        if ctype.due_rule == "days_after_delivery":
            content["due_days"] = ctype.due_days
        elif ctype.due_rule == "over_period":
            content["period_months"] = ctype.period_months
            content["uses_total"] = ctype.uses_total
        elif ctype.due_rule == "fixed_date":
            content["date_deadline"] = commitment["deadline"].isoformat()
        return content

    # Deliveries -------------------------------------------------------

    def plan_deliveries(self):
        rng = self.rng
        self.tasks = []
        self.handovers = []
        self.vehicles = []
        self.signatures = []
        self.steps = []
        plate = 0
        for order in self.orders:
            partner = order["partner"]
            product = self.products[order["product_index"]]
            specialist = rng.choice(self.specialists).id
            task = {
                "id": self.ids["project_task"](),
                "kind": "delivery",
                "order": order,
                "partner": partner,
                "name": "Delivery: {} for {} ({})".format(
                    product.name, partner["name"], order["name"]
                ),
                "deadline": order["commitment_date"],
                "created": order["date_order"],
                "create_uid": order["user_id"],
                "users": [],
                "vehicle": None,
                "first_service": None,
                "signature": None,
                "prepare_reminded": False,
                "done": order["delivered"],
                "checkin": None,
                "ready": None,
                "jobs": [],
                "bay": None,
                "advisor": None,
                "free_service": None,
                "free_consumed": False,
                "steps": [],
            }
            order["task"] = task
            self.tasks.append(task)
            self.add_step(task, "scheduled", order["date_order"], order["user_id"])
            # Sales -> delivery handover, due 24 h after the confirmation.
            handover = self.new_handover(
                "sales_delivery",
                order,
                task,
                order["user_id"],
                specialist,
                order["date_order"],
            )
            sent = handover["date_sent"]
            if sent:
                task["users"] = [specialist]
                task["date_assign"] = sent
            for commitment in order["commitments"]:
                if (
                    commitment["is_current"]
                    and commitment["state"] != "cancelled"
                    and (
                        commitment["type"].due_rule == "at_delivery"
                        or commitment["code"] == "DELIVERY"
                    )
                ):
                    commitment["delivery_task"] = task
            if order["delivered"]:
                self.deliver(order, task, specialist, handover)
                plate += 1
            else:
                days_left = (order["commitment_date"] - self.now).days
                if task["users"] and days_left < 3:
                    task["prepare_reminded"] = rng.random() < 0.97
                    if rng.random() < 0.6:
                        self.add_step(
                            task,
                            "prepared",
                            self.now - timedelta(hours=rng.randint(2, 40)),
                            specialist,
                        )
                for commitment in order["commitments"]:
                    if (
                        commitment["delivery_task"] is task
                        and commitment["state"] == "open"
                    ):
                        draw = rng.random()
                        if draw < 0.05:
                            commitment.update(
                                state="partial", note="One of two items arrived"
                            )
                        elif draw < 0.25:
                            commitment["state"] = "in_progress"
        self.counts["project.task (delivery)"] = len(self.tasks)

    def add_step(self, task, name, moment, user_id):
        task["steps"].append((name, moment, user_id))

    def new_handover(self, kind, order, task, sender, receiver, start):
        rng = self.rng
        age = (self.now - start).total_seconds() / 3600
        deadline = start + timedelta(hours=24)
        call_deadline = start + timedelta(days=3)
        if age > 72:
            state = rng.choices(
                ("acknowledged", "sent", "returned", "draft"), (95, 2, 1, 2)
            )[0]
        else:
            state = rng.choices(
                ("acknowledged", "sent", "returned", "draft"), (30, 30, 10, 30)
            )[0]
        if kind == "sales_delivery" and order["delivered"]:
            state = "acknowledged"
        handover = {
            "id": self.ids["journey_handover"](),
            "kind": kind,
            "order": order,
            "task": task,
            "partner": order["partner"],
            "sender": sender,
            "receiver": receiver if state != "draft" or rng.random() < 0.5 else None,
            "state": state,
            "deadline": deadline,
            "call_deadline": call_deadline,
            "created": start,
            "date_sent": None,
            "date_acknowledged": None,
            "return_count": 0,
            "return_reason": None,
            "call_done_on": None,
            "call_note": None,
            "brief_notified": False,
            "call_notified": False,
            "contact_method": order["partner"]["contact_method"],
            "background": None,
            "needs": order["partner"]["needs"],
            "concerns": order["partner"]["concerns"],
            "special_requests": None,
        }
        if state != "draft":
            handover["background"] = rng.choice(
                (
                    "Teacher, second car of the family",
                    "Runs a small shop, drives a lot",
                    "Engineer, first electric car",
                    "Retired, careful driver",
                    "Fleet manager, needs invoices fast",
                )
            )
            if rng.random() < 0.3:
                handover["special_requests"] = rng.choice(
                    (
                        "Delivery on a Saturday morning",
                        "Explain the charging card",
                        "Wants the whole family there",
                    )
                )
            sent = start + timedelta(
                hours=rng.uniform(0.5, 30)
                if age > 30
                else rng.uniform(0.1, max(0.2, age * 0.8))
            )
            handover["date_sent"] = min(sent, self.now - timedelta(minutes=5))
            if state == "returned" or (state == "acknowledged" and rng.random() < 0.08):
                handover.update(
                    return_count=1,
                    return_reason="The preferred delivery time is missing",
                )
            if state == "acknowledged":
                handover["date_acknowledged"] = min(
                    handover["date_sent"] + timedelta(hours=rng.uniform(0.2, 20)),
                    self.now - timedelta(minutes=1),
                )
            handover["brief_notified"] = handover["date_sent"] > deadline
        if state in ("draft", "returned") and deadline < self.now:
            # The hourly scheduled action has told the sender, except for the latest ones.
            handover["brief_notified"] = (
                deadline < self.now - timedelta(hours=1) or rng.random() < 0.5
            )
        if (
            state != "draft"
            and (age > 96 or rng.random() < 0.3)
            and rng.random() < 0.85
        ):
            done = start + timedelta(hours=rng.uniform(4, 100))
            handover.update(
                call_done_on=min(done, self.now - timedelta(minutes=2)),
                call_note="Call held, the customer is happy with the plan",
            )
            handover["call_notified"] = handover["call_done_on"] > call_deadline
        elif call_deadline < self.now:
            handover["call_notified"] = (
                call_deadline < self.now - timedelta(hours=1) or rng.random() < 0.5
            )
        self.handovers.append(handover)
        return handover

    def deliver(self, order, task, specialist, handover):
        """The ceremony, the checked list and the delivery of a delivered order."""
        rng = self.rng
        delivered = order["delivered_on"]
        self.add_step(
            task,
            "prepared",
            delivered - timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 6)),
            specialist,
        )
        self.add_step(
            task,
            "ceremony",
            delivered - timedelta(minutes=rng.randint(20, 90)),
            specialist,
        )
        self.add_step(task, "done", delivered, specialist)
        task["prepare_reminded"] = True
        partner = order["partner"]
        commercial = partner["commercial"]
        if not commercial["advisor"]:
            commercial["advisor"] = rng.choice(self.advisors).id
        model = self.models[order["product_index"]]
        vehicle = {
            "id": self.ids["fleet_vehicle"](),
            "model": model,
            "order": order,
            "vin": f"LJRNY{len(self.vehicles) + 1:012d}",
            "plate": f"沪A{'DFGHJKLMN'[len(self.vehicles) % 9]}{len(self.vehicles) % 100_000:05d}",
            "driver": partner["id"]
            if not partner["is_company"]
            else (
                rng.choice(partner["contacts"])["id"]
                if partner.get("contacts")
                else partner["id"]
            ),
            "partner": commercial,
            "created": delivered - timedelta(minutes=rng.randint(5, 15)),
            "create_uid": specialist,
        }
        self.vehicles.append(vehicle)
        task["vehicle"] = vehicle
        order["vehicle"] = vehicle
        for commitment in order["commitments"]:
            if commitment["is_current"]:
                commitment["vehicle"] = vehicle
            if commitment["delivery_task"] is task:
                self.keep_at_delivery(commitment, delivered, specialist)
        # The after-sales handover, from the specialist to the advisor.
        self.new_handover(
            "delivery_service",
            order,
            task,
            specialist,
            commercial["advisor"],
            delivered,
        )
        del handover

    def keep_at_delivery(self, commitment, delivered, specialist):
        rng = self.rng
        if commitment["state"] == "cancelled":
            return
        draw = rng.random()
        moment = delivered - timedelta(minutes=rng.randint(30, 240))
        if commitment["code"] != "DELIVERY" and draw < 0.05:
            deferred_to = delivered.date() + timedelta(days=rng.randint(7, 45))
            commitment.update(
                state="deferred",
                date_deferred=deferred_to,
                consent=True,
                note="Out of stock, the customer agreed to a later date",
            )
            if deferred_to < self.today - timedelta(days=14) and rng.random() < 0.8:
                commitment.update(
                    state="fulfilled",
                    fulfilled_by=specialist,
                    fulfilled_on=datetime.combine(deferred_to, datetime.min.time())
                    + timedelta(hours=3),
                )
                commitment["evidence"] = commitment["type"].evidence_required
        elif draw < 0.08:
            commitment.update(
                state="waived",
                consent=True,
                waive_reason="The customer does not need it",
                note="The customer does not need it",
            )
        else:
            commitment.update(
                state="fulfilled",
                fulfilled_by=specialist,
                fulfilled_on=moment,
                evidence=commitment["type"].evidence_required,
            )

    # Workshop visits --------------------------------------------------

    def plan_visits(self):
        rng = self.rng
        horizon = self.now + timedelta(days=60)
        schedule = []
        for order in self.orders:
            if not order["delivered"]:
                continue
            delivered = order["delivered_on"]
            first = datetime.combine(
                delivered.date() + timedelta(days=rng.randint(92, 183)),
                datetime.min.time(),
            ).replace(hour=1)
            schedule.append((first, order, True))
            moment = first
            while True:
                moment = moment + timedelta(days=rng.randint(120, 300))
                if moment > horizon:
                    break
                schedule.append((moment.replace(hour=rng.randint(0, 9)), order, False))
        firsts = [s for s in schedule if s[2]]
        others = [s for s in schedule if not s[2]]
        rng.shuffle(others)
        wanted = max(0, self.n_visits - len(firsts))
        while len(others) < wanted:  # unplanned repairs
            order = rng.choice(firsts)[1]
            moment = order["delivered_on"] + timedelta(
                days=rng.randint(
                    10, max(11, (self.now - order["delivered_on"]).days + 30)
                )
            )
            others.append(
                (
                    moment.replace(
                        hour=rng.randint(0, 9), minute=0, second=0, microsecond=0
                    ),
                    order,
                    False,
                )
            )
        # About 2% come back within 30 days for the same job (first-time-fix rate).
        comebacks = max(1, wanted // 50)
        schedule = sorted(
            firsts + others[: wanted - comebacks], key=lambda s: (s[0], s[1]["id"])
        )
        self.visits = []
        for moment, order, is_first in schedule:
            self.new_visit(order, moment, is_first)
        done = [
            t for t in self.visits if t["jobs"] and self.first_step(t, "handed_back")
        ]
        for task in rng.sample(done, min(comebacks, len(done))):
            back = self.first_step(task, "handed_back") + timedelta(
                days=rng.randint(3, 25)
            )
            self.new_visit(
                task["order"],
                back.replace(minute=0, second=0, microsecond=0),
                False,
                task["jobs"][:1],
            )
        self.counts["project.task (service)"] = len(self.visits)
        self.compute_repeats()

    def new_visit(self, order, moment, is_first, jobs=None):
        rng = self.rng
        vehicle = order["vehicle"]
        partner = order["partner"]
        advisor = partner["commercial"]["advisor"]
        delivery = order["task"]
        if is_first:
            created = order["delivered_on"] - timedelta(minutes=rng.randint(1, 10))
            create_uid = (
                delivery["users"][0] if delivery["users"] else self.specialists[0].id
            )
            name = f"First service: {self.vehicle_name(vehicle)}"
            jobs = [self.jobs["FIRST"]]
        elif jobs:
            created = moment - timedelta(
                days=rng.randint(0, 2), hours=rng.randint(1, 8)
            )
            create_uid = advisor
            name = "{} again: {}".format(
                ", ".join(JOB_NAMES[j.code] for j in jobs), self.vehicle_name(vehicle)
            )
        else:
            created = moment - timedelta(
                days=rng.randint(1, 30), hours=rng.randint(0, 8)
            )
            create_uid = advisor
            jobs = [self.jobs["ROUTINE"]] if rng.random() < 0.7 else []
            jobs += rng.sample(
                [
                    self.jobs[c]
                    for c in ("ALIGN", "TYRES", "BRAKES", "BATTERY", "AC", "DIAG")
                ],
                rng.randint(0 if jobs else 1, 2),
            )
            name = "{}: {}".format(
                ", ".join(JOB_NAMES[j.code] for j in jobs), self.vehicle_name(vehicle)
            )
        created = max(created, order["delivered_on"] - timedelta(minutes=10))
        task = {
            "id": self.ids["project_task"](),
            "kind": "service",
            "order": order,
            "partner": partner,
            "name": name,
            "deadline": moment,
            "created": created,
            "create_uid": create_uid,
            "users": [advisor],
            "date_assign": created,
            "vehicle": vehicle,
            "first_service": None,
            "signature": None,
            "prepare_reminded": False,
            "done": False,
            "checkin": None,
            "ready": None,
            "jobs": jobs,
            "bay": None,
            "advisor": advisor,
            "free_service": None,
            "free_consumed": False,
            "steps": [],
        }
        if is_first:
            delivery["first_service"] = task
        self.add_step(task, "appointment", created, create_uid)
        arrival = moment + timedelta(
            minutes=rng.randint(-20, 40), seconds=rng.randint(0, 59)
        )
        if arrival < self.now - timedelta(days=1):
            last = rng.choices(("done", "follow_up", "handed_back"), (92, 5, 3))[0]
            if self.now - arrival > timedelta(days=30):
                last = "done"
        elif arrival < self.now:
            last = rng.choice(("reception", "diagnosis", "repair", "handed_back"))
        else:
            last = "appointment"
        if last != "appointment":
            hours = sum(job.standard_hours for job in jobs) or 1.0
            moments = {"reception": arrival + timedelta(minutes=rng.randint(2, 15))}
            moments["diagnosis"] = moments["reception"] + timedelta(
                minutes=rng.randint(5, 30)
            )
            moments["repair"] = moments["diagnosis"] + timedelta(
                minutes=rng.randint(15, 90)
            )
            ready = moments["repair"] + timedelta(hours=hours * rng.uniform(0.7, 1.6))
            moments["handed_back"] = ready + timedelta(minutes=rng.randint(10, 60))
            moments["follow_up"] = moments["handed_back"] + timedelta(
                days=rng.randint(1, 3)
            )
            moments["done"] = moments["follow_up"] + timedelta(hours=rng.randint(1, 40))
            order_steps = (
                "reception",
                "diagnosis",
                "repair",
                "handed_back",
                "follow_up",
                "done",
            )
            for name in order_steps[: order_steps.index(last) + 1]:
                if moments[name] > self.now:
                    break
                self.add_step(task, name, moments[name], advisor)
            task["checkin"] = arrival
            task["bay"] = rng.choice(self.bays).id
            if task["steps"][-1][0] in ("handed_back", "follow_up", "done"):
                task["ready"] = ready
            task["done"] = task["steps"][-1][0] == "done"
        # Free services: each visit uses one while the period and the uses last.
        free = next(
            (
                c
                for c in order["commitments"]
                if c["code"] == "FREEMAINT"
                and c["is_current"]
                and c["state"] != "cancelled"
            ),
            None,
        )
        if (
            free
            and (not jobs or jobs[0].code in ("FIRST", "ROUTINE"))
            and moment.date() <= free["deadline"]
            and free["uses_done"] < free["type"].uses_total
            and (task["done"] or free["deadline"] >= self.today)
        ):
            task["free_service"] = free
            if task["done"]:
                task["free_consumed"] = True
                free["uses_done"] += 1
                free["last_use"] = task["steps"][-1][1]
        self.visits.append(task)
        self.tasks.append(task)

    def vehicle_name(self, vehicle):
        model = vehicle["model"]
        return "{}/{}/{}".format(model.brand_id.name, model.name, vehicle["plate"])

    def compute_repeats(self):
        """journey_repeat_of_id: an earlier visit of the vehicle with one of the same
        jobs, handed back within 30 days before this one's arrival."""
        by_vehicle = defaultdict(list)
        for task in self.visits:
            by_vehicle[task["vehicle"]["id"]].append(task)
        self.repeats = 0
        for tasks in by_vehicle.values():
            for task in tasks:
                task["repeat_of"] = None
                if not task["jobs"]:
                    continue
                arrival = task["checkin"] or task["created"]
                jobs = {job.id for job in task["jobs"]}
                best = None
                for other in tasks:
                    handed_back = self.first_step(other, "handed_back")
                    if (
                        other is task
                        or not handed_back
                        or not jobs & {job.id for job in other["jobs"]}
                    ):
                        continue
                    if arrival - timedelta(days=30) <= handed_back <= arrival and (
                        not best or handed_back > self.first_step(best, "handed_back")
                    ):
                        best = other
                task["repeat_of"] = best
                self.repeats += bool(best)

    @staticmethod
    def first_step(task, name):
        return next(
            (moment for step_name, moment, _user in task["steps"] if step_name == name),
            None,
        )

    # Commitments after delivery, versions and signatures -----------------

    def finish_commitments(self):  # noqa: C901 - one pass over the generated rows
        rng = self.rng
        today = self.today
        for commitment in self.commitments:
            order = commitment["order"]
            code = commitment["code"]
            if commitment["state"] == "cancelled" or commitment["delivery_task"]:
                continue
            if not order["delivered"]:
                continue
            delivered = order["delivered_on"]
            if code == "CHARGER":
                if commitment["deadline"] < today - timedelta(days=20):
                    if rng.random() < 0.96:
                        commitment.update(
                            state="fulfilled",
                            fulfilled_by=order["partner"]["commercial"]["advisor"],
                            fulfilled_on=delivered + timedelta(days=rng.randint(2, 29)),
                            evidence=True,
                        )
                else:
                    draw = rng.random()
                    if draw < 0.15:
                        commitment.update(
                            state="fulfilled",
                            fulfilled_by=order["partner"]["commercial"]["advisor"],
                            fulfilled_on=min(
                                delivered + timedelta(days=rng.randint(2, 20)),
                                self.now - timedelta(hours=1),
                            ),
                            evidence=True,
                        )
                    elif draw < 0.4:
                        commitment["state"] = "in_progress"
            elif code == "FREEMAINT":
                uses_total = commitment["type"].uses_total
                if commitment["deadline"] < today:
                    # The daily scheduled action closed it when the period ended.
                    commitment.update(
                        state="fulfilled",
                        fulfilled_on=datetime.combine(
                            commitment["deadline"], datetime.min.time()
                        )
                        + timedelta(hours=20),
                    )
                elif commitment["uses_done"] >= uses_total:
                    commitment.update(
                        state="fulfilled",
                        fulfilled_by=order["partner"]["commercial"]["advisor"],
                        fulfilled_on=commitment["last_use"],
                    )
                elif commitment["uses_done"]:
                    commitment["state"] = "in_progress"
            elif (
                code in ("REPAIR", "PARTS")
                and rng.random() < 0.2
                and order["partner"]["commercial"] is not self.big_fleet
            ):
                commitment.update(
                    state="fulfilled",
                    fulfilled_by=order["partner"]["commercial"]["advisor"],
                    fulfilled_on=min(
                        delivered + timedelta(days=rng.randint(30, 700)),
                        self.now - timedelta(hours=2),
                    ),
                )
        self.plan_versions()
        for commitment in self.commitments:
            due = commitment["deadline"]
            if commitment["state"] == "deferred" and commitment["date_deferred"]:
                due = commitment["date_deferred"]
            commitment["date_due"] = due
            order = commitment["order"]
            # The daily scheduled action reminded the open promises due within a week.
            if (
                commitment["is_current"]
                and commitment["state"] in OPEN_STATES
                and due
                and due <= today + timedelta(days=7)
            ):
                commitment["reminder_sent"] = (
                    due < today + timedelta(days=7) or rng.random() < 0.5
                )
            elif (
                commitment["state"] in ("fulfilled", "waived")
                and due
                and commitment["fulfilled_on"]
                and (commitment["fulfilled_on"].date() > due - timedelta(days=7))
                and order["delivered"]
                and not commitment["delivery_task"]
            ):
                commitment["reminder_sent"] = True
        self.plan_signatures()

    def plan_versions(self):
        """A share of signed promises changed after the signature: the signed version
        is kept, replaced by a new current version."""
        rng = self.rng
        candidates = [
            c
            for c in self.commitments
            if c["code"] in ("MATS", "FILM", "DASHCAM", "CHARGER")
            and c["order"]["signed_on"]
            and c["state"] != "cancelled"
        ]
        rng.shuffle(candidates)
        self.old_versions = []
        for current in candidates[: self.n_versions]:
            order = current["order"]
            old = dict(current)
            old.update(
                id=self.ids["journey_commitment"](),
                is_current=False,
                version=1,
                next=current,
                state="open",
                fulfilled_by=None,
                fulfilled_on=None,
                date_deferred=None,
                consent=False,
                note=None,
                waive_reason=None,
                evidence=False,
                reminder_sent=False,
                vehicle=None,
                uses_done=0,
            )
            changed_on = order["signed_on"] + timedelta(days=rng.randint(1, 10))
            changed_on = min(changed_on, self.now - timedelta(hours=1))
            if rng.random() < 0.5:
                current["quantity"] = 2.0
            else:
                current["name"] = current["name"] + " (changed)"
            current.update(version=2, previous=old, created=changed_on)
            current["resign"] = order["delivered"] or rng.random() < 0.5
            current["changed_on"] = changed_on
            self.old_versions.append(old)
            order["commitments"].append(old)
        self.commitments.extend(self.old_versions)
        self.counts["journey.commitment (replaced versions)"] = len(self.old_versions)

    def plan_signatures(self):
        rng = self.rng
        for order in self.orders:
            partner = order["partner"]
            for commitment in order["commitments"]:
                commitment["content_fp"] = fingerprint(self.content(commitment))
            if not order["signed_on"]:
                continue
            signed = [
                c
                for c in order["commitments"]
                if (c["is_current"] and not c["previous"] or not c["is_current"])
                and c["approval"] in ("not_required", "approved")
                and not (c["state"] == "cancelled" and c["approval"] == "not_required")
            ]
            method = "portal" if rng.random() < 0.6 else "in_store"
            self.new_signature(
                order,
                signed,
                order["signed_on"],
                method,
                self.public_user.id if method == "portal" else order["user_id"],
                partner["name"],
            )
            resigned = [
                c for c in order["commitments"] if c["previous"] and c.get("resign")
            ]
            if resigned:
                moment = max(c["changed_on"] for c in resigned) + timedelta(
                    hours=rng.randint(1, 48)
                )
                moment = min(moment, self.now - timedelta(minutes=30))
                self.new_signature(
                    order,
                    resigned,
                    moment,
                    "portal",
                    self.public_user.id,
                    partner["name"],
                )
            task = order.get("task")
            if order["delivered"] and rng.random() < 0.9:
                checklist = sorted(
                    (
                        c
                        for c in order["commitments"]
                        if c["delivery_task"] is task and c["is_current"]
                    ),
                    key=lambda c: c["id"],
                )
                lines = [
                    "{}:{}:{}:{}".format(
                        c["fingerprint"] or c["content_fp"],
                        c["state"],
                        c["date_deferred"] or "",
                        c["uses_done"],
                    )
                    for c in checklist
                ]
                signature = self.new_signature(
                    order,
                    checklist,
                    order["delivered_on"] - timedelta(minutes=rng.randint(1, 15)),
                    "in_store",
                    task["users"][0],
                    partner["name"],
                    hashlib.sha256("|".join(lines).encode()).hexdigest(),
                    task,
                )
                task["signature"] = signature

    def new_signature(
        self, order, commitments, moment, method, user_id, name, digest=None, task=None
    ):
        if task is None:
            for commitment in commitments:
                commitment["signed_on"] = moment
                commitment["fingerprint"] = commitment["content_fp"]
            digest = hashlib.sha256(
                "".join(sorted(c["fingerprint"] for c in commitments)).encode()
            ).hexdigest()
        signature = {
            "id": self.ids["journey_commitment_signature"](),
            "order": order,
            "commitments": commitments,
            "signed_on": moment,
            "method": method,
            "user_id": user_id,
            "name": name,
            "fingerprint": digest,
            "task": task,
        }
        self.signatures.append(signature)
        return signature

    # Leads ------------------------------------------------------------

    def plan_leads(self):
        rng = self.rng
        done = [t for t in self.visits if self.first_step(t, "handed_back")]
        self.leads = []
        for task in rng.sample(done, min(self.n_leads, len(done))):
            raised = self.first_step(task, "handed_back") - timedelta(
                minutes=rng.randint(5, 60)
            )
            deadline = raised + timedelta(hours=24)
            answered = rng.random() < 0.9 or deadline > self.now
            lead = {
                "id": self.ids["crm_lead"](),
                "task": task,
                "partner": task["partner"],
                "user_id": task["order"]["user_id"],
                "advisor": task["advisor"],
                "created": raised,
                "deadline": deadline,
                "kind": rng.choice(("additional_purchase", "trade_in")),
                "grade": rng.choice(("a", "b")),
                "responded_on": answered
                and deadline <= self.now
                and raised + timedelta(hours=rng.uniform(0.5, 30)),
                "notified": False,
            }
            if lead["responded_on"] and lead["responded_on"] > self.now:
                lead["responded_on"] = None
            if not lead["responded_on"] and deadline < self.now:
                lead["notified"] = (
                    deadline < self.now - timedelta(hours=1) or rng.random() < 0.5
                )
            self.leads.append(lead)

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def write(self):
        cr = self.cr
        with step("partners", self.timings):
            self.write_partners()
        with step("orders and lines", self.timings):
            self.write_orders()
        with step("vehicles", self.timings):
            self.write_vehicles()
        with step("tasks and steps", self.timings):
            self.write_tasks()
        with step("commitments, signatures and evidence", self.timings):
            self.write_commitments()
        with step("handovers", self.timings):
            self.write_handovers()
        with step("leads", self.timings):
            self.write_leads()
        with step("links between tasks, signatures and free services", self.timings):
            self.write_links()
        for ids in self.ids.values():
            ids.close()
        self.sequence.sudo().write({"number_next": self.order_number})
        cr.execute("ANALYZE")
        self.env.invalidate_all()

    def write_partners(self):
        proto = self.proto["res_partner"]
        columns = [
            "id",
            "name",
            "complete_name",
            "is_company",
            "parent_id",
            "commercial_partner_id",
            "commercial_company_name",
            "email",
            "email_normalized",
            "phone",
            "phone_sanitized",
            "type",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
            "user_id",
            "journey_service_advisor_id",
            "customer_needs",
            "customer_concerns",
            "preferred_contact_method",
            "referred_by_id",
            "ref",
            "customer_rank",
            "lang",
            "tz",
            "active",
            "partner_share",
            "company_name",
            "mobile",
            "company_id",
        ]
        rows = []
        for partner in self.partners:
            parent = partner["parent_id"] and partner["commercial"]
            if partner["is_company"]:
                prototype = proto["company"]
            elif parent:
                prototype = proto["contact"]
            else:
                prototype = proto["person"]
            commercial = partner["commercial"]
            rows.append(
                (
                    prototype,
                    partner["id"],
                    partner["name"],
                    "{}, {}".format(parent["name"], partner["name"])
                    if parent
                    else partner["name"],
                    partner["is_company"],
                    partner["parent_id"],
                    commercial["id"],
                    commercial["name"] if commercial["is_company"] else None,
                    partner["email"],
                    partner["email"].lower(),
                    partner["phone"],
                    partner["phone"],
                    "contact",
                    partner["created"],
                    partner["created"],
                    self.env.uid,
                    self.env.uid,
                    partner["user_id"],
                    partner["advisor"],
                    partner["needs"],
                    partner["concerns"],
                    partner["contact_method"],
                    partner["referred_by"],
                    partner["ref"],
                    1,
                    "en_US",
                    TZ,
                    True,
                    True,
                    None,
                    None,
                    None,
                )
            )
        self.counts["res.partner"] = clone_rows(self.cr, "res_partner", columns, rows)
        big = self.big_fleet
        self.env["ir.model.data"].create(
            {
                "module": "bench",
                "name": "fleet_customer",
                "model": "res.partner",
                "res_id": big["id"],
                "noupdate": True,
            }
        )

    def write_orders(self):
        cr = self.cr
        columns = [
            "id",
            "name",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "user_id",
            "date_order",
            "commitment_date",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
            "state",
            "signed_by",
            "signed_on",
            "access_token",
            "procurement_group_id",
            "delivery_status",
            "effective_date",
            "origin",
            "client_order_ref",
            "commitments_declared",
            "commitments_declared_by_id",
            "commitments_declared_on",
            "journey_delivered_on",
            "commitment_required",
            "opportunity_id",
        ]
        rows = []
        lines = []
        for order in self.orders:
            product = self.products[order["product_index"]]
            partner = order["partner"]
            rows.append(
                (
                    self.proto["sale_order"][product.id],
                    order["id"],
                    order["name"],
                    partner["id"],
                    partner["id"],
                    partner["id"],
                    order["user_id"],
                    order["date_order"],
                    order["commitment_date"],
                    order["created"],
                    order["delivered_on"] or order["date_order"],
                    order["user_id"],
                    order["user_id"],
                    "sale",
                    order["signed_on"] and partner["name"],
                    order["signed_on"] or None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    True,
                    order["user_id"],
                    order["declared_on"],
                    order["delivered_on"] or None,
                    True,
                    None,
                )
            )
            lines.append(
                (
                    self.proto["sale_order_line"][product.id],
                    order["line_id"],
                    order["id"],
                    partner["id"],
                    order["user_id"],
                    order["created"],
                    order["date_order"],
                    order["user_id"],
                    order["user_id"],
                    0.0,
                )
            )
        self.counts["sale.order"] = clone_rows(cr, "sale_order", columns, rows)
        self.counts["sale.order.line"] = clone_rows(
            cr,
            "sale_order_line",
            [
                "id",
                "order_id",
                "order_partner_id",
                "salesman_id",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
                "qty_delivered",
            ],
            lines,
        )
        # The lines' taxes, as the prototype's.
        cr.execute(
            """
            INSERT INTO account_tax_sale_order_line_rel (sale_order_line_id, account_tax_id)
            SELECT l.id, r.account_tax_id
              FROM sale_order_line l
              JOIN sale_order_line p ON p.id = ANY(%s) AND p.product_id = l.product_id
              JOIN account_tax_sale_order_line_rel r ON r.sale_order_line_id = p.id
             WHERE l.id >= %s
            """,
            [list(self.proto["sale_order_line"].values()), self.orders[0]["line_id"]],
        )
        # The customer's signature on the order, one attachment each (same file).
        rows = [
            (
                self.proto["ir_attachment"]["order_signature"],
                self.ids["ir_attachment"](),
                "sale.order",
                order["id"],
                order["signed_on"],
                order["signed_on"],
                order["user_id"],
                order["user_id"],
            )
            for order in self.orders
            if order["signed_on"]
        ]
        self.counts["ir.attachment"] += clone_rows(
            cr,
            "ir_attachment",
            [
                "id",
                "res_model",
                "res_id",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
            ],
            rows,
        )

    def write_vehicles(self):
        rows = []
        for vehicle in self.vehicles:
            order = vehicle["order"]
            rows.append(
                (
                    self.proto["fleet_vehicle"][vehicle["model"].id],
                    vehicle["id"],
                    self.vehicle_name(vehicle),
                    vehicle["vin"],
                    vehicle["plate"],
                    vehicle["driver"],
                    vehicle["partner"]["id"],
                    order["id"],
                    order["user_id"],
                    vehicle["created"],
                    vehicle["created"],
                    vehicle["create_uid"],
                    vehicle["create_uid"],
                    vehicle["created"].date(),
                    self.company.id,
                )
            )
        self.counts["fleet.vehicle"] = clone_rows(
            self.cr,
            "fleet_vehicle",
            [
                "id",
                "name",
                "vin_sn",
                "license_plate",
                "driver_id",
                "journey_partner_id",
                "journey_order_id",
                "journey_salesperson_id",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
                "acquisition_date",
                "company_id",
            ],
            rows,
        )

    def write_tasks(self):
        cr = self.cr
        columns = [
            "id",
            "name",
            "project_id",
            "stage_id",
            "state",
            "partner_id",
            "company_id",
            "date_deadline",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
            "date_assign",
            "date_end",
            "date_last_stage_update",
            "journey_work_type",
            "journey_step",
            "journey_order_id",
            "journey_order_line_id",
            "journey_vehicle_id",
            "journey_salesperson_id",
            "journey_service_advisor_id",
            "journey_access_token",
            "journey_done_processed",
            "journey_prepare_reminded",
            "journey_checkin_date",
            "journey_ready_date",
            "journey_bay_id",
            "journey_standard_hours",
            "journey_date_reception",
            "journey_date_diagnosis",
            "journey_date_repair",
            "journey_date_handed_back",
            "journey_followup_deadline",
            "journey_reception_minutes",
            "journey_diagnosis_hours",
            "journey_repair_hours",
            "journey_handback_minutes",
            "journey_repeat_of_id",
            "journey_is_repeat",
            "journey_free_service_consumed",
            "access_token",
            "description",
            "working_hours_open",
            "working_hours_close",
            "working_days_open",
            "working_days_close",
            "journey_first_service_task_id",
            "journey_checklist_signature_id",
            "journey_free_service_id",
        ]
        # 18.0.2: the signed checklist's PDF is attached by a scheduled action
        # afterwards; the history's were attached (as the migration marks them).
        self.pdf_posted = "journey_checklist_pdf_posted" in table_columns(
            cr, "project_task"
        )
        if self.pdf_posted:
            columns.append("journey_checklist_pdf_posted")
        rows = []
        steps = []
        users = []
        jobs = []
        rng = self.rng
        for task in self.tasks:
            order = task["order"]
            delivery = task["kind"] == "delivery"
            stages = self.delivery_stages if delivery else self.service_stages
            last_step, last_moment, last_user = task["steps"][-1]
            stage = stages[last_step]
            done = last_step == "done"
            first = {}
            for name, moment, _user in sorted(task["steps"], key=lambda s: s[1]):
                first.setdefault(name, moment)
            reception, diagnosis, repair, handed_back = (
                first.get(n)
                for n in ("reception", "diagnosis", "repair", "handed_back")
            )

            def hours(start, end):
                return (
                    (end - start).total_seconds() / 3600.0
                    if start and end and end >= start
                    else 0.0
                )

            rows.append(
                (
                    self.proto["project_task"][task["kind"]],
                    task["id"],
                    task["name"],
                    (self.delivery_project if delivery else self.service_project).id,
                    stage.id,
                    "1_done" if done else "01_in_progress",
                    task["partner"]["id"],
                    self.company.id,
                    task["deadline"],
                    task["created"],
                    last_moment,
                    task["create_uid"],
                    last_user,
                    task.get("date_assign") if task["users"] else None,
                    last_moment if done else None,
                    last_moment,
                    task["kind"],
                    last_step,
                    order["id"],
                    order["line_id"] if delivery else None,
                    task["vehicle"] and task["vehicle"]["id"],
                    order["user_id"],
                    task["advisor"],
                    self.task_token(
                        task,
                        handed_back,
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    ),
                    done,
                    task["prepare_reminded"],
                    task["checkin"],
                    task["ready"],
                    task["bay"],
                    sum(job.standard_hours for job in task["jobs"]),
                    reception,
                    diagnosis,
                    repair,
                    handed_back,
                    handed_back and handed_back + timedelta(days=3),
                    60 * hours(task["checkin"], reception),
                    hours(diagnosis, repair),
                    hours(repair, task["ready"] or handed_back),
                    60 * hours(task["ready"], handed_back),
                    None,
                    False,
                    task["free_consumed"],
                    None,
                    None,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    None,
                    None,
                    None,
                    *((task["signature"] is not None,) if self.pdf_posted else ()),
                )
            )
            for name, moment, user_id in task["steps"]:
                steps.append(
                    (
                        self.ids["journey_task_step"](),
                        task["id"],
                        name,
                        stages[name].id,
                        moment,
                        user_id,
                        self.company.id,
                        user_id,
                        moment,
                        user_id,
                        moment,
                    )
                )
            for user_id in task["users"]:
                users.append(
                    (
                        self.proto["project_task_user_rel"]["delivery"],
                        self.ids["project_task_user_rel"](),
                        task["id"],
                        user_id,
                        task.get("date_assign"),
                        task.get("date_assign"),
                    )
                )
            for job in task["jobs"]:
                jobs.append((job.id, task["id"]))
        self.counts["project.task"] = clone_rows(cr, "project_task", columns, rows)
        self.counts["journey.task.step"] = copy_rows(
            cr,
            "journey_task_step",
            [
                "id",
                "task_id",
                "step",
                "stage_id",
                "date_entered",
                "user_id",
                "company_id",
                "create_uid",
                "create_date",
                "write_uid",
                "write_date",
            ],
            steps,
        )
        # Assignees with their personal stage (the one of the prototype's assignee
        # is replaced by each user's own "Inbox" stage below).
        clone_rows(
            cr,
            "project_task_user_rel",
            ["id", "task_id", "user_id", "create_date", "write_date"],
            users,
        )
        stages = self.env["project.task.type"].sudo()
        for user_id in sorted({row[3] for row in users}):
            if not stages.search_count([("user_id", "=", user_id)], limit=1):
                stages.create(
                    self.env["project.task"]._get_default_personal_stage_create_vals(
                        user_id
                    )
                )
        cr.execute(
            """
            UPDATE project_task_user_rel r
               SET stage_id = s.id
              FROM (SELECT DISTINCT ON (user_id) user_id, id FROM project_task_type
                     WHERE user_id IS NOT NULL ORDER BY user_id, sequence, id) s
             WHERE r.user_id = s.user_id AND r.id > %s
            """,
            [self.proto["project_task_user_rel"]["delivery"]],
        )
        copy_rows(
            cr,
            "journey_service_job_project_task_rel",
            ["journey_service_job_id", "project_task_id"],
            jobs,
        )

    def task_token(self, task, handed_back, token):
        """The customer's page token: made at creation up to 18.0.1; from 18.0.2 only
        once a link was needed (the checklist signed on the customer's page, the NPS
        request sent at the first hand-back). Drawn for every task all the same, so
        that a seed gives the same data on both."""
        if not self.tokens_on_demand:
            return token
        needed = (
            task["signature"] is not None
            if task["kind"] == "delivery"
            else handed_back is not None
        )
        return token if needed else None

    def write_commitments(self):
        cr = self.cr
        columns = [
            "id",
            "sequence",
            "type_id",
            "order_id",
            "lead_id",
            "partner_id",
            "user_id",
            "company_id",
            "product_id",
            "due_days",
            "period_months",
            "uses_total",
            "uses_done",
            "approved_by_id",
            "version",
            "previous_version_id",
            "next_version_id",
            "fulfilled_by_id",
            "create_uid",
            "write_uid",
            "name",
            "category",
            "department",
            "due_rule",
            "policy",
            "approval_state",
            "signed_fingerprint",
            "fulfillment_state",
            "date_deadline",
            "date_deferred",
            "rejection_reason",
            "waive_reason",
            "cancel_reason",
            "quantity",
            "cost_amount",
            "is_current",
            "approved_on",
            "signed_on",
            "fulfilled_on",
            "create_date",
            "write_date",
            "delivery_task_id",
            "vehicle_id",
            "date_due",
            "fulfillment_note",
            "customer_consent",
            "reminder_sent",
        ]
        rows = []
        evidence = []
        evidence_rel = []
        for c in sorted(self.commitments, key=lambda c: c["id"]):
            order = c["order"]
            ctype = c["type"]
            written = max(
                filter(
                    None,
                    (c["created"], c["fulfilled_on"], c["signed_on"], c["approved_on"]),
                )
            )
            rows.append(
                (
                    c["id"],
                    c["sequence"],
                    ctype.id,
                    order["id"],
                    None,
                    order["partner"]["id"],
                    order["user_id"],
                    self.company.id,
                    ctype.product_id.id or None,
                    ctype.due_days,
                    ctype.period_months,
                    ctype.uses_total,
                    c["uses_done"],
                    c["approved_by"],
                    c["version"],
                    c["previous"] and c["previous"]["id"],
                    c["next"] and c["next"]["id"],
                    c["fulfilled_by"],
                    order["user_id"],
                    order["user_id"],
                    c["name"],
                    ctype.category,
                    ctype.department,
                    ctype.due_rule,
                    ctype.policy,
                    c["approval"],
                    c["fingerprint"],
                    c["state"],
                    c["deadline"],
                    c["date_deferred"],
                    c["rejection_reason"],
                    c["waive_reason"],
                    c["cancel_reason"],
                    c["quantity"],
                    c["cost"],
                    c["is_current"],
                    c["approved_on"],
                    c["signed_on"],
                    c["fulfilled_on"],
                    c["created"],
                    written,
                    c["delivery_task"] and c["delivery_task"]["id"],
                    c["vehicle"] and c["vehicle"]["id"],
                    c["date_due"],
                    c["note"],
                    c["consent"],
                    c["reminder_sent"],
                )
            )
            if c["evidence"]:
                attachment_id = self.ids["ir_attachment"]()
                moment = c["fulfilled_on"]
                user_id = c["fulfilled_by"] or order["user_id"]
                evidence.append(
                    (
                        self.proto["ir_attachment"]["evidence"],
                        attachment_id,
                        c["id"],
                        moment,
                        moment,
                        user_id,
                        user_id,
                    )
                )
                evidence_rel.append((c["id"], attachment_id))
        self.counts["journey.commitment"] = copy_rows(
            cr, "journey_commitment", columns, rows
        )
        signatures = []
        links = []
        attachments = []
        for s in self.signatures:
            order = s["order"]
            signatures.append(
                (
                    s["id"],
                    order["partner"]["id"],
                    order["id"],
                    s["user_id"],
                    self.company.id,
                    s["user_id"],
                    s["user_id"],
                    s["name"],
                    s["method"],
                    s["fingerprint"],
                    s["signed_on"],
                    s["signed_on"],
                    s["signed_on"],
                    s["task"] and s["task"]["id"],
                )
            )
            links += [(c["id"], s["id"]) for c in s["commitments"]]
            attachments.append(
                (
                    self.proto["ir_attachment"]["signature"],
                    self.ids["ir_attachment"](),
                    "journey.commitment.signature",
                    s["id"],
                    s["signed_on"],
                    s["signed_on"],
                    s["user_id"],
                    s["user_id"],
                )
            )
        self.counts["journey.commitment.signature"] = copy_rows(
            cr,
            "journey_commitment_signature",
            [
                "id",
                "partner_id",
                "order_id",
                "user_id",
                "company_id",
                "create_uid",
                "write_uid",
                "name",
                "method",
                "fingerprint",
                "signed_on",
                "create_date",
                "write_date",
                "task_id",
            ],
            signatures,
        )
        copy_rows(
            cr,
            "journey_commitment_signature_rel",
            ["commitment_id", "signature_id"],
            links,
        )
        attachment_columns = [
            "id",
            "res_model",
            "res_id",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
        ]
        self.counts["ir.attachment"] += clone_rows(
            cr, "ir_attachment", attachment_columns, attachments
        )
        self.counts["ir.attachment"] += clone_rows(
            cr,
            "ir_attachment",
            ["id", "res_id", "create_date", "write_date", "create_uid", "write_uid"],
            evidence,
        )
        copy_rows(
            cr,
            "journey_commitment_evidence_rel",
            ["commitment_id", "attachment_id"],
            evidence_rel,
        )

    def write_handovers(self):
        kinds = {
            "sales_delivery": "Sales to Delivery",
            "delivery_service": "Delivery to After-Sales",
        }
        rows = []
        for h in self.handovers:
            order = h["order"]
            acknowledged = h["state"] == "acknowledged"
            written = max(
                filter(
                    None,
                    (
                        h["created"],
                        h["date_sent"],
                        h["date_acknowledged"],
                        h["call_done_on"],
                    ),
                )
            )
            rows.append(
                (
                    h["id"],
                    order["id"],
                    h["task"]["id"],
                    h["partner"]["id"],
                    order["user_id"],
                    h["sender"],
                    h["receiver"],
                    h["return_count"],
                    self.company.id,
                    h["sender"],
                    h["sender"],
                    "{}: {}".format(kinds[h["kind"]], h["partner"]["name"]),
                    h["kind"],
                    h["state"],
                    h["contact_method"],
                    "done" if h["call_done_on"] else "to_do",
                    h["background"],
                    h["needs"],
                    h["concerns"],
                    h["special_requests"],
                    h["return_reason"],
                    h["call_note"],
                    acknowledged and not h["return_count"],
                    h["brief_notified"],
                    h["call_notified"],
                    h["deadline"],
                    h["date_sent"],
                    h["date_acknowledged"],
                    h["call_deadline"],
                    None,
                    h["call_done_on"],
                    h["created"],
                    written,
                )
            )
        self.counts["journey.handover"] = copy_rows(
            self.cr,
            "journey_handover",
            [
                "id",
                "order_id",
                "task_id",
                "partner_id",
                "salesperson_id",
                "sender_id",
                "receiver_id",
                "return_count",
                "company_id",
                "create_uid",
                "write_uid",
                "name",
                "kind",
                "state",
                "preferred_contact_method",
                "call_state",
                "background",
                "needs",
                "concerns",
                "special_requests",
                "return_reason",
                "call_note",
                "is_first_time_right",
                "brief_overdue_notified",
                "call_overdue_notified",
                "date_deadline",
                "date_sent",
                "date_acknowledged",
                "call_deadline",
                "call_date",
                "call_done_on",
                "create_date",
                "write_date",
            ],
            rows,
        )

    def write_leads(self):
        kinds = {"additional_purchase": "Additional Purchase", "trade_in": "Trade-In"}
        rows = []
        for lead in self.leads:
            partner = lead["partner"]
            rows.append(
                (
                    self.proto["crm_lead"]["service"],
                    lead["id"],
                    "{}: {}".format(kinds[lead["kind"]], partner["name"]),
                    partner["id"],
                    lead["user_id"],
                    self.team.id,
                    self.company.id,
                    lead["created"],
                    lead["created"],
                    lead["advisor"],
                    lead["advisor"],
                    lead["kind"],
                    lead["grade"],
                    "2" if lead["grade"] == "a" else "1",
                    "<p>The customer asked about another car</p>",
                    lead["task"]["id"],
                    partner["id"],
                    lead["advisor"],
                    lead["deadline"],
                    lead["responded_on"] or None,
                    lead["notified"],
                    lead["created"],
                    lead["created"],
                    partner["name"] if not partner["is_company"] else None,
                    partner["commercial"]["name"]
                    if partner["commercial"]["is_company"]
                    else None,
                    partner["email"],
                    partner["email"].lower(),
                    partner["email"].split("@")[1],
                    partner["phone"],
                    partner["phone"],
                    None,
                    None,
                )
            )
        self.counts["crm.lead"] = clone_rows(
            self.cr,
            "crm_lead",
            [
                "id",
                "name",
                "partner_id",
                "user_id",
                "team_id",
                "company_id",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
                "journey_lead_kind",
                "journey_lead_grade",
                "priority",
                "description",
                "journey_source_task_id",
                "journey_source_partner_id",
                "journey_origin_user_id",
                "journey_response_deadline",
                "journey_responded_on",
                "journey_overdue_notified",
                "date_open",
                "date_last_stage_update",
                "contact_name",
                "partner_name",
                "email_from",
                "email_normalized",
                "email_domain_criterion",
                "phone",
                "phone_sanitized",
                "function",
                "title",
            ],
            rows,
        )
        # What the ORM derives from the e-mail address and the predictive lead
        # scoring, computed by the ORM (a few thousand leads at most).
        leads = self.env["crm.lead"].browse([lead["id"] for lead in self.leads])
        names = ["email_domain_criterion", "automated_probability", "probability"]
        for name in names:
            self.env.add_to_compute(leads._fields[name], leads)
        leads.flush_recordset(names)

    def write_links(self):
        cr = self.cr
        rows = []
        for task in self.tasks:
            rows.append(
                (
                    task["id"],
                    task["first_service"] and task["first_service"]["id"],
                    task["signature"] and task["signature"]["id"],
                    task["free_service"] and task["free_service"]["id"],
                    task.get("repeat_of") and task["repeat_of"]["id"],
                )
            )
        cr.execute(
            "CREATE TEMP TABLE _links (id int, first_service int, signature int, free_service int, repeat_of int)"
        )
        copy_rows(
            cr,
            "_links",
            ["id", "first_service", "signature", "free_service", "repeat_of"],
            rows,
        )
        cr.execute(
            """
            UPDATE project_task t
               SET journey_first_service_task_id = l.first_service,
                   journey_checklist_signature_id = l.signature,
                   journey_free_service_id = l.free_service,
                   journey_repeat_of_id = l.repeat_of,
                   journey_is_repeat = l.repeat_of IS NOT NULL
              FROM _links l
             WHERE t.id = l.id
            """
        )
        cr.execute("DROP TABLE _links")

    # ------------------------------------------------------------------
    # Working time of tasks, computed by the ORM
    # ------------------------------------------------------------------

    def compute_working_time(self):
        """working_hours/days_open/close of the tasks, as project.task._compute_elapsed
        gets them from the company's calendar (computed here when the calendar is a plain
        weekly one without leaves, else by the ORM, which takes minutes)."""
        calendar = self.delivery_project.resource_calendar_id
        names = (
            "working_hours_open",
            "working_hours_close",
            "working_days_open",
            "working_days_close",
        )
        leaves = self.env["resource.calendar.leaves"].search_count(
            [("resource_id", "=", False), ("calendar_id", "in", [calendar.id, False])]
        )
        attendances = calendar.attendance_ids.filtered(
            lambda a: a.day_period != "lunch"
        )
        plain = (
            calendar
            and not leaves
            and not calendar.flexible_hours
            and not calendar.two_weeks_calendar
            and not any(a.date_from or a.date_to or a.resource_id for a in attendances)
        )
        if not plain:
            tasks = self.env["project.task"].browse([t["id"] for t in self.tasks])
            for name in names:
                self.env.add_to_compute(tasks._fields[name], tasks)
            tasks.flush_recordset(list(names))
            self.env.invalidate_all()
            return
        week = defaultdict(list)
        for a in attendances:
            week[int(a.dayofweek)].append(
                (a.hour_from, a.hour_to, a.duration_days, a.duration_hours)
            )
        zone = pytz.timezone(calendar.tz or "UTC")

        def duration(start, end):
            start = pytz.utc.localize(start).astimezone(zone)
            end = pytz.utc.localize(end).astimezone(zone)
            hours = days = 0.0
            day = start.date()
            while day <= end.date():
                for hour_from, hour_to, duration_days, duration_hours in week.get(
                    day.weekday(), ()
                ):
                    begin = zone.localize(
                        datetime.combine(day, datetime.min.time())
                        + timedelta(hours=hour_from)
                    )
                    stop = zone.localize(
                        datetime.combine(day, datetime.min.time())
                        + timedelta(hours=hour_to)
                    )
                    overlap = (
                        min(stop, end) - max(begin, start)
                    ).total_seconds() / 3600
                    if overlap > 0:
                        hours += overlap
                        days += duration_days * overlap / duration_hours
                day += timedelta(days=1)
            return hours, float_round(days, precision_rounding=0.001)

        fields_ = self.env["project.task"]._fields
        digits = [(fields_[name].get_digits(self.env) or (0, 16))[1] for name in names]
        rows = []
        for task in self.tasks:
            created = task["created"].replace(microsecond=0)
            assigned = task.get("date_assign") if task["users"] else None
            done = task["steps"][-1][1] if task["steps"][-1][0] == "done" else None
            hours_open, days_open = (
                duration(created, assigned) if assigned else (0.0, 0.0)
            )
            hours_close, days_close = duration(created, done) if done else (0.0, 0.0)
            values = (hours_open, hours_close, days_open, days_close)
            hours_open, hours_close, days_open, days_close = (
                float_round(value, precision_digits=precision)
                for value, precision in zip(values, digits, strict=False)
            )
            rows.append((task["id"], hours_open, days_open, hours_close, days_close))
        self.cr.execute(
            "CREATE TEMP TABLE _elapsed (id int, h_open numeric, d_open numeric, h_close numeric, d_close numeric)"
        )
        copy_rows(
            self.cr, "_elapsed", ["id", "h_open", "d_open", "h_close", "d_close"], rows
        )
        self.cr.execute(
            """
            UPDATE project_task t
               SET working_hours_open = e.h_open, working_days_open = e.d_open,
                   working_hours_close = e.h_close, working_days_close = e.d_close
              FROM _elapsed e
             WHERE t.id = e.id
            """
        )
        self.cr.execute("DROP TABLE _elapsed")

    # ------------------------------------------------------------------
    # The ORM's flows on the full database, and the checks
    # ------------------------------------------------------------------

    def orm_sample(self):
        """Orders through the ORM's own flows: quotation with promises, declaration,
        confirmation; a few go on to the delivery and the first workshop visit."""
        env = self.env
        rng = random.Random(self.seed + 1)
        partners = env["res.partner"].browse(
            [
                p["id"]
                for p in rng.sample(
                    [p for p in self.partners if not p["parent_id"]], SAMPLE_ORDERS
                )
            ]
        )
        codes = ("MATS", "CHARGER", "FREEMAINT")
        orders = env["sale.order"]
        for index, partner in enumerate(partners):
            salesperson = self.salespeople[index % len(self.salespeople)]
            order = (
                env["sale.order"]
                .with_user(salesperson)
                .create(
                    {
                        "partner_id": partner.id,
                        "commitment_date": self.now
                        + timedelta(days=5 + index, hours=6),
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.products[
                                        index % len(self.products)
                                    ].id
                                }
                            )
                        ],
                        "commitment_ids": [
                            Command.create(
                                {
                                    "type_id": self.types[code].id,
                                    "name": self.types[code].name,
                                }
                            )
                            for code in codes
                        ],
                    }
                )
            )
            order.action_declare_commitments()
            order.action_confirm()
            orders |= order
        specialist = self.specialists[1]
        first_service = first_service_date(env)
        for index, order in enumerate(orders[:5]):
            handover = order.journey_handover_ids
            handover.with_user(order.user_id).write(
                {"receiver_id": specialist.id, "background": "ORM sample"}
            )
            handover.with_user(order.user_id).action_send()
            handover.with_user(specialist).action_acknowledge()
            task = order.journey_task_ids
            task.journey_checklist_ids.with_user(specialist).action_journey_fulfil()
            env["journey.delivery.ceremony.wizard"].with_user(specialist).create(
                {
                    "task_id": task.id,
                    "model_id": self.models[0].id,
                    "vin_sn": f"LJRNYSAMPLE{index:06d}",
                    "driver_id": order.partner_id.id,
                    "service_advisor_id": self.advisors[1].id,
                    "first_service_date": first_service,
                }
            ).action_confirm()
            task.with_user(specialist).write(
                {"stage_id": self.delivery_stages["done"].id}
            )
        env.flush_all()
        self.counts["sale.order (through the ORM)"] = len(orders) + len(
            self.prototype_orders
        )
        return orders

    @contextmanager
    def isolated(self):
        """Run checks that write (recomputed values are flushed) and undo them."""
        self.env.flush_all()
        self.cr.execute("SAVEPOINT bench_check")
        try:
            yield
        finally:
            self.env.transaction.clear()
            self.cr.execute("ROLLBACK TO SAVEPOINT bench_check")
            self.env.invalidate_all(flush=False)

    def check(self, orm_orders):
        """Constraints on a random sample of bulk rows, and their stored computed
        fields recomputed by the ORM: any difference stops the generation.

        The reference is what the ORM's own flows store: a field that the ORM's
        records themselves store differently from a recomputation (a value given at
        creation, a compute that the ORM skips) is compared on the bulk rows only
        through the constraints.
        """
        env = self.env
        rng = random.Random(self.seed + 2)
        orders = self.prototype_orders | orm_orders
        tasks = (
            orders.journey_task_ids
            | orders.journey_task_ids.journey_first_service_task_id
        )
        reference = {
            "res.partner": orders.partner_id,
            "sale.order": orders,
            "sale.order.line": orders.order_line,
            "journey.commitment": orders.commitment_ids,
            "project.task": tasks,
            "journey.handover": orders.journey_handover_ids,
            "fleet.vehicle": tasks.journey_vehicle_id,
            "journey.commitment.signature": orders.commitment_signature_ids,
            "crm.lead": env["crm.lead"].browse(self.proto["crm_lead"]["service"]),
        }
        samples = {
            "res.partner": [p["id"] for p in self.partners],
            "sale.order": [o["id"] for o in self.orders],
            "sale.order.line": [o["line_id"] for o in self.orders],
            "journey.commitment": [c["id"] for c in self.commitments],
            "project.task": [t["id"] for t in self.tasks],
            "journey.handover": [h["id"] for h in self.handovers],
            "fleet.vehicle": [v["id"] for v in self.vehicles],
            "journey.commitment.signature": [s["id"] for s in self.signatures],
            "crm.lead": [lead["id"] for lead in self.leads],
        }
        problems = []
        self.orm_quirks = set()
        for model, all_ids in samples.items():
            with self.isolated():
                self.orm_quirks |= {
                    kind for kind, _example in self.check_recompute(reference[model])
                }
            ids = rng.sample(all_ids, min(CHECK_SAMPLE, len(all_ids)))
            if model == "res.partner":
                ids.append(self.big_fleet["id"])
            records = env[model].browse(ids)
            stored = [
                name
                for name, field in records._fields.items()
                if field.store and name != "id"
            ]
            with self.isolated():
                try:
                    records._validate_fields(stored)
                    if records._check_company_auto:
                        records._check_company()
                except Exception as error:  # noqa: BLE001 - reported below with the model
                    problems.append((f"{model}: constraint", str(error)))
            with self.isolated():
                problems += [
                    p
                    for p in self.check_recompute(records)
                    if p[0] not in self.orm_quirks
                ]
            self.counts["checked records"] += len(records)
        if self.orm_quirks:
            print(
                "  stored differently from a recomputation by the ORM's own flows too (not compared):"
            )
            print("    " + ", ".join(sorted(self.orm_quirks)))
        if problems:
            print("\nINCONSISTENT DATA (nothing committed):", file=sys.stderr)
            by_kind = defaultdict(list)
            for kind, example in problems:
                by_kind[kind].append(example)
            for kind, examples in sorted(by_kind.items()):
                print(
                    f"  {kind}: {len(examples)} records, e.g. {examples[0]}",
                    file=sys.stderr,
                )
            raise SystemExit(1)

    def check_recompute(self, records):
        env = self.env
        skip = NOT_DERIVED.get(records._name, set())
        fields_ = [
            f
            for f in records._fields.values()
            if f.store
            and f.compute
            and f.name not in skip
            and f.type not in ("binary",)
            and not f.name.startswith("image_")
        ]
        names = [f.name for f in fields_]
        env.invalidate_all()
        before = {r["id"]: r for r in records.read(names, load=None)}
        for field in fields_:
            env.add_to_compute(field, records)
        after = {r["id"]: r for r in records.read(names, load=None)}
        problems = []
        for record_id, values in after.items():
            for name in names:
                old, new = before[record_id][name], values[name]
                if isinstance(old, float) or isinstance(new, float):
                    same = abs((old or 0.0) - (new or 0.0)) < 1e-6
                else:
                    same = old == new
                if not same:
                    problems.append(
                        (
                            f"{records._name}.{name}",
                            f"id {record_id}: stored {old!r}, ORM computes {new!r}",
                        )
                    )
        env.invalidate_all()
        return problems


# ----------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--commitments", type=int, default=REFERENCE)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Roll back at the end instead of committing.",
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": TZ})
        if env["ir.model.data"].search_count([("module", "=", "bench")]):
            sys.exit(
                f"{args.database} already holds generated data: start from a new database."
            )
        today = datetime.now(UTC).date()
        generator = Generator(env, args.commitments, args.seed, today)
        print(
            f"Generating {args.commitments} commitments in {args.database} (seed {args.seed}, day {today})"
        )
        timings = generator.timings
        with step("master data (ORM)", timings):
            generator.master_data()
        with step("prototype orders (ORM flows)", timings):
            generator.prototypes()
        with step("plan (Python)", timings):
            generator.plan()
        generator.write()
        with step("working time of tasks", timings):
            generator.compute_working_time()
        with step(f"{SAMPLE_ORDERS} orders through the ORM", timings):
            orm_orders = generator.orm_sample()
        with step("checks on a sample", timings):
            generator.check(orm_orders)
        if args.dry_run:
            cr.rollback()
            print("Dry run: rolled back.")
        else:
            cr.commit()
    print("\nGenerated:")
    for label, count in sorted(generator.counts.items()):
        print(f"  {label:<42} {count:>9,}")
    print(f"  {'repeat visits':<42} {generator.repeats:>9,}")
    print(f"\nTotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
