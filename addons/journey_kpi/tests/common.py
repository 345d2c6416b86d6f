from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.journey_crm.tests.common import SIGNATURE  # noqa: F401

# Every datetime below is naive UTC, as Odoo stores it; the company reports in
# Shanghai (UTC+8): 16:00 UTC is already the next local day.
TZ = "Asia/Shanghai"


class JourneyKpiCommon(TransactionCase):
    """A dealership of its own (no demo rows) reporting in Asia/Shanghai, one user
    per role, and helpers that craft the records each reporting view counts, with
    the dates the figures are computed from. Protected stamps (who kept a promise
    and when, a handover's times, a complaint's times) are written as the
    superuser, as the ledgers' own steps write them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "KPI Dealership", "journey_kpi_tz": TZ}
        )
        cls.company.partner_id.tz = TZ
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids)
        )

        def user(login, group, name):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,{group}",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
                name=name,
                tz=TZ,
            )

        cls.consultant = user(
            "kpi_consultant", "journey_crm.group_sales_consultant", "Consultant One"
        )
        cls.consultant_2 = user(
            "kpi_consultant2", "journey_crm.group_sales_consultant", "Consultant Two"
        )
        cls.specialist = user(
            "kpi_delivery", "journey_crm.group_delivery_specialist", "Specialist"
        )
        cls.advisor = user(
            "kpi_advisor", "journey_crm.group_service_advisor", "Advisor One"
        )
        cls.advisor_2 = user(
            "kpi_advisor2", "journey_crm.group_service_advisor", "Advisor Two"
        )
        cls.manager = user(
            "kpi_manager", "journey_crm.group_aftersales_manager", "AS Manager"
        )
        cls.cx_manager = user("kpi_cx", "journey_crm.group_cx_manager", "CX Manager")
        cls.quality = user(
            "kpi_quality", "journey_service.group_quality_manager", "Quality"
        )

        cls.car = cls.env["product.product"].create(
            {"name": "KPI EV", "type": "consu", "list_price": 200000.0}
        )
        cls.car.product_tmpl_id.journey_is_vehicle = True
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "KPI Motors"})
        cls.fleet_model = cls.env["fleet.vehicle.model"].create(
            {"name": "KPI SUV", "brand_id": brand.id, "vehicle_type": "car"}
        )
        cls.type_mats = cls.env.ref("journey_crm.commitment_type_floor_mats")
        cls.type_dash_cam = cls.env.ref("journey_crm.commitment_type_dash_cam")
        cls.type_delivery_date = cls.env.ref(
            "journey_crm.commitment_type_delivery_date"
        )
        cls.type_free_maintenance = cls.env.ref(
            "journey_crm.commitment_type_free_maintenance"
        )
        cls.type_price = cls.env.ref("journey_crm.commitment_type_price_promise")
        cls.project_service = cls.env["project.project"]._journey_get_project(
            "service", cls.company
        )
        cls.service_stage = cls.project_service.type_ids.filtered(
            lambda s: s.journey_step == "appointment"
        )[:1]
        # Monday to Friday, 8 hours a day, in Shanghai: 40 hours a week.
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "KPI Workshop Hours",
                "company_id": cls.company.id,
                "tz": TZ,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": start + 4,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, period in ((8, "morning"), (13, "afternoon"))
                ],
            }
        )
        cls.calendar_closed = cls.env["resource.calendar"].create(
            {
                "name": "Never Open",
                "company_id": cls.company.id,
                "tz": TZ,
                "attendance_ids": [Command.clear()],
            }
        )
        Bay = cls.env["journey.service.bay"]
        cls.bay = Bay.create(
            {
                "name": "Bay 1",
                "code": "K1",
                "company_id": cls.company.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.bay_closed = Bay.create(
            {
                "name": "Bay Closed",
                "code": "K2",
                "company_id": cls.company.id,
                "resource_calendar_id": cls.calendar_closed.id,
            }
        )
        Job = cls.env["journey.service.job"]
        cls.job_1h = Job.create(
            {
                "name": "One-hour job",
                "standard_hours": 1.0,
                "company_id": cls.company.id,
            }
        )
        cls.job_2h = Job.create(
            {
                "name": "Two-hour job",
                "standard_hours": 2.0,
                "company_id": cls.company.id,
            }
        )
        cls.plan = cls.env["journey.care.plan"].create(
            {
                "name": "KPI plan",
                "company_id": cls.company.id,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Day 30 call",
                            "anchor": "delivery",
                            "offset_days": 30,
                            "action": "activity",
                            "role": "service_advisor",
                        }
                    )
                ],
            }
        )
        cls.Measure = cls.env["journey.kpi.measure"]
        cls.partner_count = 0
        cls.vin_count = 0

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def measure(self, code):
        return self.Measure.search([("code", "=", code)])

    def filters(self, date_from, date_to, user=None, **extra):
        """Cleaned filters of the company for a period, read by ``user`` (the
        company's customer-experience manager by default)."""
        Measure = self.Measure.with_user(user or self.cx_manager)
        return Measure._journey_clean_filters(
            {
                "company_ids": self.company.ids,
                "date_from": date_from,
                "date_to": date_to,
                **extra,
            }
        )

    def figure(self, code, date_from, date_to, groupby=None, user=None, **extra):
        """``(value, sample)`` of one measure (``{key: (value, sample)}`` with
        ``groupby``), computed with the reader's rights."""
        measure = self.measure(code).with_user(user or self.cx_manager)
        result = measure._journey_compute(
            self.filters(date_from, date_to, user=user, **extra), groupby=groupby
        )[measure]
        if groupby:
            return result
        return result.get(None, (None, 0))

    def assertFigure(self, code, date_from, date_to, value, sample, **kwargs):
        got_value, got_sample = self.figure(code, date_from, date_to, **kwargs)
        self.assertEqual(got_sample, sample, f"{code}: sample")
        if value is None:
            self.assertIsNone(got_value, f"{code}: value")
        else:
            self.assertIsNotNone(got_value, f"{code}: value")
            self.assertAlmostEqual(got_value, value, places=2, msg=f"{code}: value")

    # ------------------------------------------------------------------
    # Records
    # ------------------------------------------------------------------

    @classmethod
    def _partner(cls, name=None, salesperson=None):
        cls.partner_count += 1
        return cls.env["res.partner"].create(
            {
                "name": name or f"KPI Customer {cls.partner_count}",
                "user_id": (salesperson or cls.consultant).id,
                "company_id": False,
            }
        )

    @classmethod
    def _set_create_date(cls, record, when):
        """``create_date`` is the ORM's own: a past one is written in SQL."""
        record.flush_recordset()
        cls.env.cr.execute(
            f'UPDATE "{record._table}" SET create_date = %s WHERE id IN %s',  # noqa: S608
            [when, tuple(record.ids)],
        )
        record.invalidate_recordset(["create_date"])

    @classmethod
    def _order(
        cls,
        user=None,
        partner=None,
        confirmed_on=None,
        delivered_on=None,
        delivery_day=None,
        confirm=True,
        **values,
    ):
        """A car sale of ``user``: confirmed (its delivery task made by the
        confirmation) on ``confirmed_on``, delivered on ``delivered_on``."""
        user = user or cls.consultant
        order = (
            cls.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": (partner or cls._partner(salesperson=user)).id,
                    "user_id": user.id,
                    "company_id": cls.company.id,
                    "commitment_date": delivery_day
                    and datetime.combine(delivery_day, datetime.min.time()).replace(
                        hour=2
                    ),
                    "order_line": [Command.create({"product_id": cls.car.id})],
                    **values,
                }
            )
        )
        if confirm:
            order.action_declare_commitments()
            order.action_confirm()
            stamps = {}
            if confirmed_on:
                stamps["date_order"] = confirmed_on
            if delivered_on:
                stamps["journey_delivered_on"] = delivered_on
            if stamps:
                order.write(stamps)
            cls._delivery_task(order).sudo().user_ids = cls.specialist
        return order

    @classmethod
    def _delivery_task(cls, order):
        return order.journey_task_ids.filtered(
            lambda t: t.journey_work_type == "delivery"
        )

    @classmethod
    def _commitment(cls, order, ctype=None, name="Floor mats", due=None, **values):
        """A current promise of ``order`` due on ``due`` (created as of the day
        before, when a fixed date may not be in the past)."""
        vals = {
            "order_id": order.id,
            "type_id": (ctype or cls.type_mats).id,
            "name": name,
            **values,
        }
        if due:
            vals["date_deadline"] = due
        with freeze_time(due or date.today()):
            return cls.env["journey.commitment"].sudo().create(vals)

    @classmethod
    def _sign(cls, commitments, when=None):
        for commitment in commitments:
            commitment.sudo().write(
                {
                    "signed_on": when or datetime(2025, 1, 1),
                    "signed_fingerprint": commitment._get_fingerprint(),
                }
            )
        return commitments

    @classmethod
    def _keep(cls, commitments, when):
        commitments.sudo().write(
            {"fulfillment_state": "fulfilled", "fulfilled_on": when}
        )
        return commitments

    @classmethod
    def _defer(cls, commitments, to, when):
        with freeze_time(when):
            commitments.sudo().write(
                {
                    "fulfillment_state": "deferred",
                    "date_deferred": to,
                    "customer_consent": True,
                }
            )
        return commitments

    @classmethod
    def _waive(cls, commitments):
        commitments.sudo().write(
            {
                "fulfillment_state": "waived",
                "customer_consent": True,
                "waive_reason": "The customer prefers a discount.",
            }
        )
        return commitments

    @classmethod
    def _vehicle(cls, order, partner=None):
        cls.vin_count += 1
        return (
            cls.env["fleet.vehicle"]
            .sudo()
            .create(
                {
                    "model_id": cls.fleet_model.id,
                    "vin_sn": f"LJ1KP2SU{cls.vin_count:09d}",
                    "journey_partner_id": (partner or order.partner_id).id,
                    "journey_order_id": order.id,
                    "company_id": cls.company.id,
                }
            )
        )

    @classmethod
    def _visit(
        cls,
        vehicle=None,
        partner=None,
        advisor=None,
        checkin=None,
        steps=None,
        ready=None,
        jobs=None,
        bay=None,
    ):
        """A service visit arriving at ``checkin``, entering each journey step at
        the given time (``{"reception": dt, "repair": dt, ...}``)."""
        advisor = advisor or cls.advisor
        values = {
            "name": "Service visit",
            "project_id": cls.project_service.id,
            "stage_id": cls.service_stage.id,
            "company_id": cls.company.id,
            "journey_service_advisor_id": advisor.id,
            "user_ids": [Command.set(advisor.ids)],
            "journey_checkin_date": checkin,
            "journey_ready_date": ready,
            "journey_job_ids": [
                Command.set((jobs or cls.env["journey.service.job"]).ids)
            ],
            "journey_bay_id": bay and bay.id,
        }
        if vehicle:
            values["journey_vehicle_id"] = vehicle.id
        else:
            values["partner_id"] = (partner or cls._partner()).id
        task = cls.env["project.task"].sudo().create(values)
        if checkin:
            cls._set_create_date(task, checkin)
        cls.env["journey.task.step"].sudo().create(
            [
                {"task_id": task.id, "step": step, "date_entered": when}
                for step, when in (steps or {}).items()
            ]
        )
        task.invalidate_recordset()
        return task

    @classmethod
    def _answer(cls, task, score, when):
        return (
            cls.env["journey.nps.answer"]
            .sudo()
            .create(
                {
                    "task_id": task.id,
                    "score": score,
                    "source": "portal",
                    "answered_on": when,
                }
            )
        )

    @classmethod
    def _handover(cls, kind, deadline, call_deadline, **values):
        order = values.pop("order", None) or cls._order(confirm=False)
        sender, receiver = (
            (cls.consultant, cls.specialist)
            if kind == "sales_delivery"
            else (cls.specialist, cls.advisor)
        )
        return (
            cls.env["journey.handover"]
            .sudo()
            .create(
                {
                    "kind": kind,
                    "order_id": order.id,
                    "partner_id": order.partner_id.id,
                    "company_id": cls.company.id,
                    "sender_id": sender.id,
                    "receiver_id": receiver.id,
                    "date_deadline": deadline,
                    "call_deadline": call_deadline,
                    **values,
                }
            )
        )

    @classmethod
    def _complaint(cls, received, solution=None, words="The mats never came.", **vals):
        partner = vals.pop("partner", None) or cls._partner()
        complaint = (
            cls.env["journey.complaint"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "channel": "phone",
                    "description": words,
                    **vals,
                }
            )
        )
        hours = cls.company.journey_complaint_answer_hours
        complaint.sudo().write(
            {
                "date_received": received,
                "date_solution_deadline": received + timedelta(hours=hours),
                "date_joint_solution": solution,
            }
        )
        return complaint

    @classmethod
    def _lead(cls, created, salesperson=None, advisor=None, **values):
        lead = (
            cls.env["crm.lead"]
            .sudo()
            .create(
                {
                    "name": "Needs seven seats",
                    "type": "opportunity",
                    "company_id": cls.company.id,
                    "user_id": (salesperson or cls.consultant).id,
                    "journey_origin": "service",
                    "journey_origin_user_id": (advisor or cls.advisor).id,
                    "journey_lead_kind": "additional_purchase",
                    "journey_lead_grade": "a",
                    **values,
                }
            )
        )
        cls._set_create_date(lead, created)
        return lead

    @classmethod
    def _care_event(cls, vehicle, planned, state="planned", done_on=None, occurrence=0):
        return (
            cls.env["journey.care.event"]
            .sudo()
            .create(
                {
                    "vehicle_id": vehicle.id,
                    "partner_id": vehicle.journey_partner_id.id,
                    "step_id": cls.plan.step_ids.id,
                    "occurrence": occurrence,
                    "planned_date": planned,
                    "state": state,
                    "done_on": done_on,
                    "company_id": cls.company.id,
                }
            )
        )
