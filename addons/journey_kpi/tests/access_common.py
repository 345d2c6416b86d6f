from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.journey_service.tests.common import JourneyServiceCommon

# The reporting models whose rows the access tests count, and the models the
# rows stand for (the ``_rec_name`` of each view).
REPORT_MODELS = (
    "journey.kpi.commitment.report",
    "journey.kpi.delivery.report",
    "journey.kpi.handover.report",
    "journey.kpi.visit.report",
    "journey.kpi.nps.report",
    "journey.kpi.complaint.report",
    "journey.kpi.lead.report",
    "journey.kpi.care.report",
    "journey.kpi.sale.report",
)


class JourneyKpiAccessCommon(JourneyServiceCommon):
    """Two dealerships. The main one has two sales consultants, two delivery
    specialists and two service advisors, each pair working one customer's
    journey from the order to the workshop; the other dealership has its own
    consultant, specialist and advisor and one customer. Every reporting view has
    rows of each journey, made directly as the scheduled actions and the flows
    would leave them (the flows themselves are journey_service's tests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "KPI Dealership B"})
        for company in cls.company_a | cls.company_b:
            company.journey_kpi_tz = "Asia/Shanghai"

        def user(login, groups, companies, **kwargs):
            return new_test_user(
                cls.env,
                login=login,
                groups=",".join(["base.group_user", *groups]),
                company_id=companies[0].id,
                company_ids=[Command.set(companies.ids)],
                name=kwargs.pop("name", login),
                **kwargs,
            )

        a, b = cls.company_a, cls.company_b
        consultant = "journey_crm.group_sales_consultant"
        specialist = "journey_crm.group_delivery_specialist"
        advisor = "journey_crm.group_service_advisor"
        cls.cons_1 = user("kpa_cons1", [consultant], a, name="KPI Consultant 1")
        cls.cons_2 = user("kpa_cons2", [consultant], a, name="KPI Consultant 2")
        cls.spec_1 = user("kpa_spec1", [specialist], a, name="KPI Specialist 1")
        cls.spec_2 = user("kpa_spec2", [specialist], a, name="KPI Specialist 2")
        cls.adv_1 = user("kpa_adv1", [advisor], a, name="KPI Advisor 1")
        cls.adv_2 = user("kpa_adv2", [advisor], a, name="KPI Advisor 2")
        cls.cons_b = user("kpa_consb", [consultant], b, name="KPI Consultant B")
        cls.spec_b = user("kpa_specb", [specialist], b, name="KPI Specialist B")
        cls.adv_b = user("kpa_advb", [advisor], b, name="KPI Advisor B")
        cls.as_manager = user(
            "kpa_asm", ["journey_crm.group_aftersales_manager"], a, name="KPI AS Mgr"
        )
        cls.cx_manager_a = user(
            "kpa_cxm", ["journey_crm.group_cx_manager"], a, name="KPI CX Mgr"
        )
        cls.quality_manager = user(
            "kpa_qm", ["journey_service.group_quality_manager"], a, name="KPI QM"
        )
        cls.manager_b = user(
            "kpa_asmb", ["journey_crm.group_aftersales_manager"], b, name="KPI Mgr B"
        )
        cls.plain_user = user("kpa_plain", [], a, name="KPI Plain User")
        cls.portal_user = new_test_user(
            cls.env,
            login="kpa_portal",
            groups="base.group_portal",
            name="KPI Portal User",
        )

        # Company B's own delivery and service projects and care plan.
        cls.projects = {
            a: (cls.project_delivery, cls.project_service),
            b: (
                cls.project_delivery.copy({"company_id": b.id, "name": "Deliveries B"}),
                cls.project_service.copy({"company_id": b.id, "name": "Service B"}),
            ),
        }
        plan_a = cls.env.ref("journey_service.care_plan_default")
        plan_b = plan_a.copy({"company_id": b.id, "name": "Care Plan B"})
        cls.care_steps = {
            a: plan_a.step_ids[:1],
            b: cls.env["journey.care.plan.step"].search(
                [("plan_id", "=", plan_b.id)], limit=1
            )
            or plan_a.step_ids[:1].copy({"plan_id": plan_b.id}),
        }

        cls.journeys = {
            cls.cons_1: cls._journey_rows(cls.cons_1, cls.spec_1, cls.adv_1, a),
            cls.cons_2: cls._journey_rows(cls.cons_2, cls.spec_2, cls.adv_2, a),
            cls.cons_b: cls._journey_rows(cls.cons_b, cls.spec_b, cls.adv_b, b),
        }
        cls.env.flush_all()

    @classmethod
    def _journey_rows(cls, consultant, specialist, advisor, company):
        """One customer's journey: a confirmed order with promises of the three
        departments, its delivery, the two handovers, a service visit, two NPS
        answers, a complaint, a service lead and a care event."""
        env = cls.env(su=True)
        today = fields.Date.today()
        now = fields.Datetime.now()
        customer = env["res.partner"].create(
            {
                "name": f"Customer of {consultant.name}",
                "journey_service_advisor_id": advisor.id,
            }
        )
        order = (
            env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": customer.id,
                    "user_id": consultant.id,
                    "company_id": company.id,
                    "date_order": now - timedelta(days=3),
                    "order_line": [Command.create({"product_id": cls.car.id})],
                }
            )
        )
        order.write({"state": "sale"})
        commitments = env["journey.commitment"]
        for commitment_type in (
            cls.type_mats,  # delivery
            cls.type_free_maintenance,  # after-sales
            cls.type_charger,  # after-sales
            cls.env.ref("journey_crm.commitment_type_price_promise"),  # sales
        ):
            commitments |= commitments.create(
                {
                    "order_id": order.id,
                    "type_id": commitment_type.id,
                    "name": commitment_type.name,
                    "company_id": company.id,
                    "date_deadline": today - timedelta(days=1),
                }
            )
        # The delivery date the customer signed: a delivery row of the reports.
        date_promise = commitments.create(
            {
                "order_id": order.id,
                "type_id": cls.env.ref("journey_crm.commitment_type_delivery_date").id,
                "name": "Delivery date",
                "company_id": company.id,
                "date_deadline": today + timedelta(days=60),
            }
        )
        date_promise.write(
            {
                "signed_on": now,
                "signed_fingerprint": date_promise._get_fingerprint(),
            }
        )
        delivery_project, service_project = cls.projects[company]
        delivery = env["project.task"].create(
            {
                "name": f"Delivery for {consultant.name}",
                "project_id": delivery_project.id,
                "company_id": company.id,
                "partner_id": customer.id,
                "journey_order_id": order.id,
                "user_ids": [Command.set(specialist.ids)],
            }
        )
        vehicle = env["fleet.vehicle"].create(
            {
                "model_id": cls.fleet_model.id,
                "company_id": company.id,
                "vin_sn": cls._next_vin(),
                "journey_partner_id": customer.id,
                "driver_id": customer.id,
                "journey_order_id": order.id,
            }
        )
        delivery.journey_vehicle_id = vehicle
        visit = env["project.task"].create(
            {
                "name": f"Visit for {consultant.name}",
                "project_id": service_project.id,
                "company_id": company.id,
                "partner_id": customer.id,
                "journey_order_id": order.id,
                "journey_vehicle_id": vehicle.id,
                "journey_service_advisor_id": advisor.id,
                "user_ids": [Command.set(advisor.ids)],
            }
        )
        handovers = env["journey.handover"].create(
            [
                {
                    "kind": "sales_delivery",
                    "order_id": order.id,
                    "task_id": delivery.id,
                    "partner_id": customer.id,
                    "sender_id": consultant.id,
                    "receiver_id": specialist.id,
                    "company_id": company.id,
                    "date_deadline": now - timedelta(days=1),
                    "call_deadline": now + timedelta(days=2),
                },
                {
                    "kind": "delivery_service",
                    "order_id": order.id,
                    "task_id": delivery.id,
                    "partner_id": customer.id,
                    "sender_id": specialist.id,
                    "receiver_id": advisor.id,
                    "company_id": company.id,
                    "date_deadline": now - timedelta(days=1),
                    "call_deadline": now + timedelta(days=2),
                },
            ]
        )
        answers = env["journey.nps.answer"].create(
            [
                {"task_id": delivery.id, "score": 10, "source": "call"},
                {"task_id": visit.id, "score": 3, "source": "call"},
            ]
        )
        complaint = (
            env["journey.complaint"]
            .with_company(company)
            .create(
                {
                    "partner_id": customer.id,
                    "vehicle_id": vehicle.id,
                    "task_id": visit.id,
                    "company_id": company.id,
                    "description": "The charger promised was never installed.",
                }
            )
        )
        lead = env["crm.lead"].create(
            {
                "name": f"Trade-in wish of {customer.name}",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": consultant.id,
                "company_id": company.id,
                "journey_origin": "service",
                "journey_origin_user_id": advisor.id,
            }
        )
        event = env["journey.care.event"].create(
            {
                "vehicle_id": vehicle.id,
                "partner_id": customer.id,
                "step_id": cls.care_steps[company].id,
                "planned_date": today - timedelta(days=2),
                "company_id": company.id,
            }
        )
        return {
            "journey.kpi.commitment.report": commitments,
            "journey.kpi.delivery.report": date_promise,
            "journey.kpi.handover.report": handovers,
            "journey.kpi.visit.report": visit,
            "journey.kpi.nps.report": answers,
            "journey.kpi.complaint.report": complaint,
            "journey.kpi.lead.report": lead,
            "journey.kpi.care.report": event,
            "journey.kpi.sale.report": order,
            "customer": customer,
            "order": order,
        }

    @classmethod
    def _rows(cls, model, *consultants):
        """The ids of the reporting rows of the journeys of ``consultants`` (each
        view's row id is its source record's id)."""
        ids = set()
        for consultant in consultants:
            ids.update(cls.journeys[consultant][model].ids)
        return ids

    @classmethod
    def _seen(cls, user, model, company_ids=None):
        """The ids of the journeys' rows ``user`` reads in ``model``."""
        every = cls._rows(model, *cls.journeys)
        Report = cls.env[model].with_user(user)
        if company_ids:
            Report = Report.with_context(allowed_company_ids=company_ids)
        return set(Report.search([("id", "in", list(every))]).ids)
