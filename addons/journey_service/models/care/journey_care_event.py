import logging
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from odoo.addons.journey_crm.tools import field_labels

from .journey_care_plan_step import OPT_OUT_FIELDS

_logger = logging.getLogger(__name__)

STATE_SELECTION = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
]
CARE_BATCH = 200
# Set by the plan, the scheduled action and the buttons only, never by a caller's
# write.
LEDGER_FIELDS = (
    "vehicle_id",
    "partner_id",
    "step_id",
    "occurrence",
    "planned_date",
    "state",
    "done_by_id",
    "done_on",
    "dispatched_on",
    "result",
    "error",
    "task_id",
    "handover_id",
    "company_id",
)


def company_today(company):
    """Today in the company's time zone."""
    tz = pytz.timezone(company.partner_id.tz or "UTC")
    return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()


def company_date(company, value):
    """The date of a UTC datetime in the company's time zone."""
    if not value:
        return None
    tz = pytz.timezone(company.partner_id.tz or "UTC")
    return pytz.utc.localize(value).astimezone(tz).date()


class JourneyCareEvent(models.Model):
    """One occurrence of a care plan step for one vehicle: planned, then done (by
    whom, with what result), skipped (with a reason) or failed (with the error)."""

    _name = "journey.care.event"
    _description = "Care Event"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date, id"
    _check_company_auto = True

    name = fields.Char(related="step_id.name")
    vehicle_id = fields.Many2one(
        "fleet.vehicle",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    salesperson_id = fields.Many2one(
        related="vehicle_id.journey_salesperson_id",
        store=True,
        index="btree_not_null",
        string="Customer's Salesperson",
    )
    step_id = fields.Many2one(
        "journey.care.plan.step",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        context={"active_test": False},
    )
    plan_id = fields.Many2one(related="step_id.plan_id", store=True, index=True)
    action = fields.Selection(related="step_id.action")
    kind = fields.Selection(related="step_id.kind")
    note = fields.Html(related="step_id.note", string="Text")
    occurrence = fields.Integer(
        readonly=True,
        help="0, 1, 2... for a one-off or recurring step; the year for a birthday or "
        "a day of the year.",
    )
    planned_date = fields.Date(
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        help="In the dealership's time zone.",
    )
    state = fields.Selection(
        STATE_SELECTION,
        required=True,
        default="planned",
        readonly=True,
        tracking=True,
        index=True,
    )
    dispatched_on = fields.Datetime(
        string="Assigned On",
        readonly=True,
        copy=False,
        help="When the activity was given to staff; the event is done when they "
        "mark it done.",
    )
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_on = fields.Datetime(readonly=True)
    result = fields.Text(readonly=True, tracking=True)
    error = fields.Text(readonly=True)
    task_id = fields.Many2one(
        "project.task", string="Appointment", readonly=True, check_company=True
    )
    handover_id = fields.Many2one(
        "journey.handover", string="Handover Call", readonly=True
    )
    manager_id = fields.Many2one(
        "res.users",
        string="After-Sales Manager",
        compute="_compute_manager_id",
        help="Who hears of a failed event (the shipped automation rule).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )

    _sql_constraints = [
        (
            "occurrence_uniq",
            "unique(vehicle_id, step_id, occurrence)",
            "A step happens once per vehicle and occurrence.",
        ),
    ]

    def init(self):
        # The scheduled action looks for the planned events due, not yet assigned.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS journey_care_event_due_idx
                ON journey_care_event (planned_date, id)
             WHERE state = 'planned' AND dispatched_on IS NULL
            """
        )

    @api.depends("company_id")
    def _compute_manager_id(self):
        group = self.env.ref("journey_crm.group_aftersales_manager")
        managers = {}
        for event in self:
            company = event.company_id
            if company not in managers:
                # sudo: who manages after-sales is known whatever the user may read.
                managers[company] = (
                    self.env["res.users"]
                    .sudo()
                    .search(
                        [
                            ("groups_id", "in", group.ids),
                            ("company_ids", "in", company.ids),
                            ("share", "=", False),
                        ],
                        order="id",
                        limit=1,
                    )
                )
            event.manager_id = managers[company]

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Care events are made from the vehicle's care plan.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            protected = [name for name in LEDGER_FIELDS if name in vals]
            if protected:
                raise AccessError(
                    self.env._(
                        "These fields are set by the care plan and its actions "
                        "only: %(fields)s",
                        fields=field_labels(self, protected),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_carried_out(self):
        if not self.env.su and self:
            raise UserError(
                self.env._("Care events are skipped with a reason, not deleted.")
            )

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------

    @api.model
    def _journey_anchors(self, vehicles):
        """``{vehicle: anchors}``: the delivery, the first service booked at the
        delivery and the customer's birthday, as dates in the company's time
        zone. Two searches whatever the number of vehicles."""
        # sudo: the anchors of a plan do not depend on who triggers it.
        deliveries = (
            self.env["project.task"]
            .sudo()
            .search(
                [
                    ("journey_vehicle_id", "in", vehicles.ids),
                    ("journey_work_type", "=", "delivery"),
                    ("journey_first_service_task_id", "!=", False),
                ]
            )
        )
        first_service = {}
        for task in deliveries:
            first_service[task.journey_vehicle_id] = (
                task.journey_first_service_task_id.date_deadline
            )
        result = {}
        for vehicle in vehicles:
            company = vehicle.company_id
            customer = vehicle.journey_partner_id.commercial_partner_id
            result[vehicle] = {
                "delivery": company_date(
                    company, vehicle.journey_order_id.journey_delivered_on
                ),
                "first_service": company_date(company, first_service.get(vehicle)),
                "birthday": customer.journey_birthday,
            }
        return result

    @api.model
    def _journey_generate(self, vehicles):
        """Make each vehicle's planned events up to its company's horizon, from the
        plan it follows: planned events are moved or removed as the plan says,
        missing future ones created; done, skipped and failed events are never
        touched. Bounded queries per call, whatever the vehicles' history."""
        # sudo: events are the plan's bookkeeping, whoever triggers it (the
        # delivery, an edit of the plan, the scheduled action).
        Event = self.sudo()
        vehicles = vehicles.sudo().filtered_domain(vehicles._journey_care_domain())
        if not vehicles:
            return Event
        plans = self.env["journey.care.plan"]._journey_plans_for_vehicles(vehicles)
        anchors = self._journey_anchors(vehicles)
        existing = {}
        for event in Event.search([("vehicle_id", "in", vehicles.ids)]):
            existing[(event.vehicle_id.id, event.step_id.id, event.occurrence)] = event
        to_create = []
        to_remove = Event.browse()
        horizons = {}
        for vehicle in vehicles:
            company = vehicle.company_id
            today = company_today(company)
            end = today + relativedelta(months=company.journey_care_horizon_months)
            horizons.setdefault(end, []).append(vehicle.id)
            expected = {}
            plan = plans.get(vehicle)
            if plan and anchors[vehicle]["delivery"]:
                for step in plan.step_ids:
                    for occurrence, planned in step._journey_occurrences(
                        anchors[vehicle], end
                    ).items():
                        expected[(vehicle.id, step.id, occurrence)] = planned
            for key, event in existing.items():
                if key[0] != vehicle.id or event.state != "planned":
                    continue
                if key not in expected:
                    to_remove |= event
                elif event.planned_date != expected[key]:
                    event.planned_date = expected[key]
            for key, planned in expected.items():
                if key not in existing and planned >= today:
                    to_create.append(
                        {
                            "vehicle_id": vehicle.id,
                            "partner_id": vehicle.journey_partner_id.id,
                            "step_id": key[1],
                            "occurrence": key[2],
                            "planned_date": planned,
                            "company_id": company.id,
                        }
                    )
        to_remove.unlink()
        events = Event.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        ).create(to_create)
        for end, vehicle_ids in horizons.items():
            vehicles.browse(vehicle_ids).write({"journey_care_horizon_date": end})
        return events

    # ------------------------------------------------------------------
    # Carrying out
    # ------------------------------------------------------------------

    @api.model
    def _journey_due_domain(self):
        """Planned events whose date has come in their company's time zone and
        that wait for the scheduled action."""
        # sudo: the companies with events, whatever the job's user may read.
        companies = self.env["res.company"].sudo().search([("id", "!=", 0)])
        by_company = [
            [
                ("company_id", "=", company.id),
                ("planned_date", "<=", company_today(company)),
            ]
            for company in companies
        ]
        domain = ["|"] * (len(by_company) - 1)
        for part in by_company:
            domain += ["&", *part]
        return [("state", "=", "planned"), ("dispatched_on", "=", False), *domain]

    def _journey_role_users(self):
        """The users the step's activity goes to, or an error."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        role = self.step_id.role
        users = self.env["res.users"]
        if role in ("service_advisor", "advisor_and_salesperson"):
            users |= partner.journey_service_advisor_id
        if role in ("salesperson", "advisor_and_salesperson"):
            users |= self.vehicle_id.journey_salesperson_id
        if role == "customer_success":
            users |= partner.journey_customer_success_id
        users = users.filtered(lambda u: u.active and not u.share)
        if not users:
            roles = dict(self.step_id._fields["role"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(customer)s has no %(role)s to do this.",
                    customer=partner.name,
                    role=roles.get(role, role),
                )
            )
        return users

    def _journey_opted_out(self):
        """The customer declined this kind of contact, and the step allows it."""
        self.ensure_one()
        field = OPT_OUT_FIELDS.get(self.step_id.kind)
        return bool(
            self.step_id.opt_out_allowed
            and field
            and self.partner_id.commercial_partner_id[field]
        )

    def _journey_mark(self, state, result, user=None):
        values = {
            "state": state,
            "result": result,
            "done_by_id": (user or self.env.user).id,
            "done_on": fields.Datetime.now(),
        }
        # sudo: the outcome is stamped by the action that carried it out.
        self.sudo().write(values)

    def _journey_execute(self):
        """Carry out one due event (called inside its own savepoint)."""
        self.ensure_one()
        step = self.step_id
        if self._journey_opted_out():
            self._journey_mark(
                "skipped", self.env._("The customer opted out of this kind of contact.")
            )
            return
        if step.counts_handover_call and self._journey_use_handover_call():
            return
        method = getattr(self, f"_journey_execute_{step.action}")
        method()

    def _journey_use_handover_call(self):
        """The advisor's first call after the delivery does this step: done when it
        was made, else followed by the handover's own deadline; a second call is
        asked for only when there is no such handover."""
        # sudo: the handover of the vehicle's delivery, whoever runs the job.
        handover = (
            self.env["journey.handover"]
            .sudo()
            .search(
                [
                    ("kind", "=", "delivery_service"),
                    ("task_id.journey_vehicle_id", "=", self.vehicle_id.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        if not handover:
            return False
        # sudo: linked by the job.
        self.sudo().write(
            {"handover_id": handover.id, "dispatched_on": fields.Datetime.now()}
        )
        if handover.call_done_on:
            self._journey_mark(
                "done",
                handover.call_note or self.env._("The advisor's first call was made."),
                user=handover.receiver_id,
            )
        return True

    def _journey_execute_activity(self):
        users = self._journey_role_users()
        step = self.step_id
        activity_type = step.activity_type_id or self.env.ref(
            "journey_service.mail_act_care_contact"
        )
        for user in users:
            # quick_update: the assignee sees it in their activities, no e-mail each.
            self.with_context(mail_activity_quick_update=True).activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=self.planned_date,
                summary=step.name,
                note=step.note,
                user_id=user.id,
            )
        # sudo: stamped by the job.
        self.sudo().dispatched_on = fields.Datetime.now()

    def _journey_execute_email(self):
        partner = self.partner_id
        if not partner.email:
            raise UserError(
                self.env._("%(customer)s has no e-mail address.", customer=partner.name)
            )
        self.message_post_with_source(
            self.step_id.mail_template_id, subtype_xmlid="mail.mt_comment"
        )
        self._journey_mark(
            "done",
            self.env._(
                "E-mail sent: %(template)s", template=self.step_id.mail_template_id.name
            ),
        )

    def _journey_execute_service_task(self):
        partner = self.partner_id.commercial_partner_id
        advisor = partner.journey_service_advisor_id
        company = self.company_id
        project = self.env["project.project"]._journey_get_project("service", company)
        if not project:
            raise UserError(
                self.env._("There is no after-sales service project to book it in.")
            )
        stage = project.type_ids.filtered(lambda s: s.journey_step == "appointment")[:1]
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        start = (
            tz.localize(datetime.combine(self.planned_date, time(9, 0)))
            .astimezone(pytz.UTC)
            .replace(tzinfo=None)
        )
        # sudo: the plan books the visit in the workshop's private project.
        task = (
            self.env["project.task"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "%(step)s: %(vehicle)s",
                        step=self.step_id.name,
                        vehicle=self.vehicle_id.display_name,
                    ),
                    "project_id": project.id,
                    "stage_id": stage.id,
                    "partner_id": self.partner_id.id,
                    "company_id": company.id,
                    "journey_vehicle_id": self.vehicle_id.id,
                    "journey_service_advisor_id": advisor.id,
                    "date_deadline": start,
                    "user_ids": [fields.Command.set(advisor.ids)],
                    "description": self.step_id.note,
                }
            )
        )
        # sudo: linked by the job.
        self.sudo().task_id = task
        self._journey_mark(
            "done", self.env._("Appointment booked: %(task)s", task=task.name)
        )

    def _journey_execute_nps(self):
        """The NPS question through the rated task's own link
        (``journey.nps.answer``): about the vehicle's delivery when the step
        follows the delivery and the customer has not rated it yet (the day 30
        survey), else about the vehicle's last visit not rated yet."""
        delivery = self._journey_delivery_to_rate()
        if delivery and not delivery.journey_nps_answered:
            task = delivery
        else:
            task = self._journey_visit_to_rate()
        if not task:
            if delivery:
                reason = self.env._(
                    "The customer already rated the delivery and no visit of this "
                    "vehicle waits for their rating."
                )
            else:
                reason = self.env._(
                    "No visit of this vehicle waits for the customer's rating."
                )
            self._journey_mark("skipped", reason)
            return
        if not task.partner_id.email:
            raise UserError(
                self.env._(
                    "%(customer)s has no e-mail address.",
                    customer=task.partner_id.name,
                )
            )
        task._journey_send_nps_request()
        # sudo: linked by the job, so that the answer is told on the event.
        self.sudo().task_id = task
        if task == delivery:
            result = self.env._(
                "NPS question sent about the delivery: %(delivery)s.",
                delivery=task.name,
            )
        else:
            result = self.env._("NPS question sent about %(visit)s.", visit=task.name)
        self._journey_mark("done", result)

    def _journey_delivery_to_rate(self):
        """The vehicle's done delivery, when this step follows the delivery."""
        if self.step_id.anchor != "delivery":
            return self.env["project.task"]
        # sudo: the delivery to rate, whoever runs the job.
        return (
            self.env["project.task"]
            .sudo()
            .search(
                [
                    ("journey_vehicle_id", "=", self.vehicle_id.id),
                    ("journey_work_type", "=", "delivery"),
                    "|",
                    ("state", "=", "1_done"),
                    ("journey_step", "=", "done"),
                ],
                order="id desc",
                limit=1,
            )
        )

    def _journey_visit_to_rate(self):
        """The vehicle's last handed-back visit not rated yet."""
        # sudo: the visit to rate, whoever runs the job.
        return (
            self.env["project.task"]
            .sudo()
            .search(
                [
                    ("journey_vehicle_id", "=", self.vehicle_id.id),
                    ("journey_work_type", "=", "service"),
                    ("journey_date_handed_back", "!=", False),
                    ("journey_nps_answer_ids", "=", False),
                ],
                order="journey_date_handed_back desc, id desc",
                limit=1,
            )
        )

    def _journey_tell_nps_answer(self, answer):
        """The customer answered the question this event sent: its result says
        so."""
        for event in self:
            # sudo: the event's result is stamped by the answer, not typed.
            event.sudo().result = "\n".join(
                part
                for part in (
                    event.result,
                    self.env._(
                        "The customer answered %(score)s/10.", score=answer.score
                    ),
                )
                if part
            )

    def _journey_execute_health_report(self):
        if not self.partner_id.email:
            raise UserError(
                self.env._(
                    "%(customer)s has no e-mail address.", customer=self.partner_id.name
                )
            )
        self.vehicle_id._journey_send_health_report(event=self)
        self._journey_mark("done", self.env._("Vehicle health report sent."))

    @api.model
    def _cron_journey_run_care(self, batch_size=CARE_BATCH):
        """Extend the vehicles' horizon, then carry out the due events, a batch per
        call: each event in its own savepoint, so that one failing is marked failed
        with its error without stopping the others; the scheduled action calls
        again while some remain."""
        Vehicle = self.env["fleet.vehicle"]
        stale = Vehicle.search(
            Vehicle._journey_care_stale_domain(), limit=batch_size, order="id"
        )
        self._journey_generate(stale)
        done = len(stale)
        due = self.search(
            self._journey_due_domain(),
            limit=max(batch_size - done, 0) + 1,
            order="planned_date, id",
        )
        batch = due[: max(batch_size - done, 0)]
        batch._journey_carry_out()
        done += len(batch)
        remaining = int(len(due) > len(batch) or len(stale) == batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _journey_carry_out(self):
        """Carry out these due events, each in its own savepoint."""
        for event in self:
            try:
                with self.env.cr.savepoint():
                    event._journey_execute()
            except Exception as error:  # noqa: BLE001 pylint: disable=broad-except
                # One event failing (a template, a missing advisor) must not stop
                # the others nor get the scheduled action switched off.
                _logger.info("Care event %s failed: %s", event.id, error)
                self.env.invalidate_all()
                # sudo: stamped by the job; the shipped rule tells the manager.
                event.sudo().write(
                    {
                        "state": "failed",
                        "error": str(error.args[0] if error.args else error),
                        "done_on": fields.Datetime.now(),
                    }
                )

    # ------------------------------------------------------------------
    # Staff's buttons
    # ------------------------------------------------------------------

    def _journey_check_staff(self):
        self.check_access("write")
        if self.env.user.share:
            raise AccessError(self.env._("Only staff act on care events."))

    def action_skip(self, reason=None):
        """Skip with a reason (asks for it first)."""
        if not (reason or "").strip():
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Skip Care Event"),
                "res_model": "journey.care.event.skip.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_event_ids": self.ids},
            }
        self._journey_skip(reason)
        return True

    def _journey_skip(self, reason):
        self._journey_check_staff()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the care event is skipped."))
        if self.filtered(lambda e: e.state not in ("planned", "failed")):
            raise UserError(self.env._("Only a planned or failed event is skipped."))
        for event in self:
            # sudo: the activities given for a skipped event go, whoever holds them.
            event.activity_ids.sudo().unlink()
            event._journey_mark("skipped", reason)
            event.message_post(
                body=self.env._("Skipped: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )

    def action_retry(self):
        """A failed event is planned again for the next run (after fixing the
        cause)."""
        self._journey_check_staff()
        if self.filtered(lambda e: e.state != "failed"):
            raise UserError(self.env._("Only a failed event is tried again."))
        # sudo: the outcome fields are the job's.
        self.sudo().write(
            {
                "state": "planned",
                "error": False,
                "dispatched_on": False,
                "done_by_id": False,
                "done_on": False,
            }
        )
        return True

    def _journey_after_activities_done(self, feedback):
        """The staff marked the event's activity done: the event is done once none
        is left."""
        for event in self.filtered(
            lambda e: e.state == "planned" and not e.activity_ids
        ):
            text = html2plaintext(feedback or "") or self.env._("Done.")
            event._journey_mark("done", text)
