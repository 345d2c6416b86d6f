from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

# The e-mail asking the NPS question about each kind of task (the delivery's is sent
# by the care plan's survey, the visit's at the hand-back).
NPS_REQUEST_TEMPLATES = {
    "delivery": "journey_service.mail_template_delivery_nps_request",
    "service": "journey_service.mail_template_service_nps_request",
}


class ProjectTask(models.Model):
    """A workshop visit: the after-sales value chain from the appointment to the
    follow-up call, with the customer's open promises and what sales and
    delivery told about them on top."""

    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited

    journey_service_advisor_id = fields.Many2one(
        "res.users",
        string="Service Advisor",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="The one advisor responsible for this visit, whoever else works on it.",
    )
    journey_open_commitment_ids = fields.Many2many(
        "journey.commitment",
        string="Open Promises",
        compute="_compute_journey_open_commitment_ids",
        help="The open promises of this vehicle and those made to the customer for no "
        "particular vehicle.",
    )
    journey_other_open_commitment_count = fields.Integer(
        string="Other Open Promises",
        compute="_compute_journey_open_commitment_ids",
        help="Open promises of the customer's other vehicles.",
    )
    journey_customer_notes = fields.Html(
        string="Notes from the Handovers",
        compute="_compute_journey_customer_notes",
        sanitize=False,
    )
    journey_bay_id = fields.Many2one(
        "journey.service.bay", string="Work Bay", tracking=True, check_company=True
    )
    journey_job_ids = fields.Many2many("journey.service.job", string="Jobs")
    journey_standard_hours = fields.Float(
        string="Standard Time (Hours)",
        compute="_compute_journey_standard_hours",
        store=True,
    )
    journey_checkin_date = fields.Datetime(
        string="Customer Arrived",
        copy=False,
        tracking=True,
        help="When the customer arrived.",
    )
    journey_ready_date = fields.Datetime(
        string="Vehicle Ready", copy=False, help="When the repair was finished."
    )
    journey_date_reception = fields.Datetime(
        string="Reception", compute="_compute_journey_step_dates", store=True
    )
    journey_date_diagnosis = fields.Datetime(
        string="Diagnosis Started", compute="_compute_journey_step_dates", store=True
    )
    journey_date_repair = fields.Datetime(
        string="Repair Started", compute="_compute_journey_step_dates", store=True
    )
    journey_date_handed_back = fields.Datetime(
        string="Handed Back", compute="_compute_journey_step_dates", store=True
    )
    journey_reception_minutes = fields.Float(
        string="Reception Response (Minutes)",
        compute="_compute_journey_durations",
        store=True,
    )
    journey_diagnosis_hours = fields.Float(
        string="Diagnosis (Hours)", compute="_compute_journey_durations", store=True
    )
    journey_repair_hours = fields.Float(
        string="Repair (Hours)", compute="_compute_journey_durations", store=True
    )
    journey_handback_minutes = fields.Float(
        string="Time to Hand Back (Minutes)",
        compute="_compute_journey_durations",
        store=True,
    )
    journey_followup_deadline = fields.Datetime(
        string="Follow-up Due", compute="_compute_journey_step_dates", store=True
    )
    journey_repeat_of_id = fields.Many2one(
        "project.task",
        string="Repeats Visit",
        compute="_compute_journey_repeat_of_id",
        store=True,
        help="An earlier visit, handed back within the repeat window (Settings), with "
        "one of the same jobs on the same vehicle: this visit does not count as fixed "
        "the first time.",
    )
    journey_is_repeat = fields.Boolean(
        string="Repeat Visit", compute="_compute_journey_repeat_of_id", store=True
    )
    journey_free_service_id = fields.Many2one(
        "journey.commitment",
        string="Free Service Used",
        tracking=True,
        domain="[('partner_id', 'child_of', partner_id), ('category', '=', "
        "'free_service'), ('due_rule', '=', 'over_period'), ('is_current', '=', True), "
        "('fulfillment_state', 'in', ('open', 'in_progress'))]",
        help="A promised free service this visit uses: finishing the visit consumes "
        "one use.",
    )
    journey_free_service_consumed = fields.Boolean(readonly=True, copy=False)
    journey_service_order_ids = fields.One2many(
        "sale.order", "journey_service_task_id", string="Service Orders"
    )
    journey_service_amount = fields.Monetary(
        string="Service Billed",
        compute="_compute_journey_service_amount",
        currency_field="journey_currency_id",
    )
    journey_currency_id = fields.Many2one(related="company_id.currency_id")
    journey_nps_answer_ids = fields.One2many(
        "journey.nps.answer", "task_id", string="NPS Answers"
    )
    journey_nps_score = fields.Integer(
        string="NPS Score", compute="_compute_journey_nps_score", compute_sudo=True
    )
    journey_nps_answered = fields.Boolean(
        string="Rated", compute="_compute_journey_nps_score", compute_sudo=True
    )
    journey_expedite_ids = fields.One2many(
        "journey.expedite.request", "task_id", string="Expedite Requests"
    )
    journey_expedite_count = fields.Integer(
        string="Expedite Requests Count", compute="_compute_journey_expedite_count"
    )
    journey_lead_count = fields.Integer(
        string="Sales Leads", compute="_compute_journey_lead_count"
    )

    journey_license_plate = fields.Char(
        string="Plate", related="journey_vehicle_id.license_plate"
    )
    journey_brief_summary = fields.Char(
        string="Promises and Notes",
        compute="_compute_journey_brief_summary",
        help="One line on top of the visit: how many promises are open and overdue, "
        "how many handovers told about the customer.",
    )
    journey_has_overdue_commitment = fields.Boolean(
        compute="_compute_journey_brief_summary"
    )
    journey_expedite_pending = fields.Boolean(
        string="Expedite Requested", compute="_compute_journey_expedite_pending"
    )
    journey_expedite_pending_text = fields.Char(
        string="Pending Expedite Request", compute="_compute_journey_expedite_pending"
    )
    journey_next_action = fields.Selection(
        [
            ("checkin", "Customer Arrived"),
            ("ready", "Vehicle Ready"),
            ("followup", "Record Follow-up"),
        ],
        string="Next Step",
        compute="_compute_journey_next_action",
        help="The workshop's next button on this visit, highlighted in the form.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "journey_open_commitment_ids",
        "journey_other_open_commitment_count",
        "partner_id",
        "journey_order_id",
    )
    def _compute_journey_brief_summary(self):
        for task in self:
            promises = task.journey_open_commitment_ids
            overdue = promises.filtered("is_overdue")
            task.journey_has_overdue_commitment = bool(overdue)
            parts = []
            if promises:
                parts.append(
                    self.env._("%(count)s open promise(s)", count=len(promises))
                )
            if overdue:
                parts.append(self.env._("%(count)s overdue", count=len(overdue)))
            if task.journey_other_open_commitment_count:
                parts.append(
                    self.env._(
                        "%(count)s on other vehicles",
                        count=task.journey_other_open_commitment_count,
                    )
                )
            if task.journey_customer_notes:
                parts.append(self.env._("notes from the handovers"))
            task.journey_brief_summary = " · ".join(parts) or False

    @api.depends(
        "journey_expedite_ids.state",
        "journey_expedite_ids.reason_kind",
        "journey_expedite_ids.requested_by_id",
        "journey_expedite_ids.date_wanted",
    )
    def _compute_journey_expedite_pending(self):
        reasons = dict(
            self.env["journey.expedite.request"]
            ._fields["reason_kind"]
            ._description_selection(self.env)
        )
        for task in self:
            pending = task.journey_expedite_ids.filtered(
                lambda r: r.state == "requested"
            )[:1]
            task.journey_expedite_pending = bool(pending)
            if not pending:
                task.journey_expedite_pending_text = False
                continue
            text = self.env._(
                "%(user)s asks to expedite this visit (%(reason)s).",
                user=pending.requested_by_id.name,
                reason=reasons.get(pending.reason_kind, ""),
            )
            if pending.date_wanted:
                text = " ".join(
                    (
                        text,
                        self.env._(
                            "Wanted by %(date)s.",
                            date=format_datetime(
                                self.env, pending.date_wanted, dt_format="short"
                            ),
                        ),
                    )
                )
            task.journey_expedite_pending_text = text

    @api.depends(
        "journey_checkin_date",
        "journey_ready_date",
        "journey_date_repair",
        "journey_date_handed_back",
        "journey_nps_answered",
        "journey_is_done",
    )
    def _compute_journey_next_action(self):
        for task in self:
            if task.journey_is_done and task.journey_nps_answered:
                task.journey_next_action = False
            elif not task.journey_checkin_date and not task.journey_is_done:
                task.journey_next_action = "checkin"
            elif (
                task.journey_date_repair
                and not task.journey_ready_date
                and not task.journey_date_handed_back
                and not task.journey_is_done
            ):
                task.journey_next_action = "ready"
            elif task.journey_date_handed_back and not task.journey_nps_answered:
                task.journey_next_action = "followup"
            else:
                task.journey_next_action = False

    @api.depends("partner_id", "journey_vehicle_id")
    def _compute_journey_open_commitment_ids(self):
        """The vehicle's open promises and the customer's own, in one query for
        all the visits; a fleet customer's other vehicles are only counted."""
        Commitment = self.env["journey.commitment"]
        customers = self.partner_id.commercial_partner_id
        shown = Commitment
        counts = {}
        if customers:
            domain = customers._journey_open_commitment_domain()
            shown = Commitment.search(
                domain
                + [
                    "|",
                    ("vehicle_id", "in", self.journey_vehicle_id.ids),
                    ("vehicle_id", "=", False),
                ]
            )
            counts = {partner.commercial_partner_id: 0 for partner in customers}
            for partner, count in Commitment._read_group(
                domain, ["partner_id"], ["__count"]
            ):
                counts[partner.commercial_partner_id] = (
                    counts.get(partner.commercial_partner_id, 0) + count
                )
        by_key = defaultdict(lambda: Commitment)
        for commitment in shown:
            key = (commitment.partner_id.commercial_partner_id, commitment.vehicle_id)
            by_key[key] |= commitment
        for task in self:
            customer = task.partner_id.commercial_partner_id
            promises = by_key[(customer, Commitment.vehicle_id.browse())]
            if task.journey_vehicle_id:
                promises |= by_key[(customer, task.journey_vehicle_id)]
            task.journey_open_commitment_ids = promises
            task.journey_other_open_commitment_count = counts.get(customer, 0) - len(
                promises
            )

    @api.depends("partner_id", "journey_order_id")
    def _compute_journey_customer_notes(self):
        for task in self:
            task.journey_customer_notes = task._journey_render_customer_notes()

    @api.depends("journey_job_ids.standard_hours")
    def _compute_journey_standard_hours(self):
        for task in self:
            task.journey_standard_hours = sum(
                task.journey_job_ids.mapped("standard_hours")
            )

    @api.depends(
        "journey_step_ids.step",
        "journey_step_ids.date_entered",
        "company_id.journey_follow_up_days",
    )
    def _compute_journey_step_dates(self):
        for task in self:
            first = {}
            for step in task.journey_step_ids.sorted("date_entered"):
                first.setdefault(step.step, step.date_entered)
            task.journey_date_reception = first.get("reception")
            task.journey_date_diagnosis = first.get("diagnosis")
            task.journey_date_repair = first.get("repair")
            task.journey_date_handed_back = first.get("handed_back")
            task.journey_followup_deadline = first.get("handed_back") and (
                first["handed_back"]
                + timedelta(days=task.company_id.journey_follow_up_days)
            )

    @api.depends(
        "journey_checkin_date",
        "journey_ready_date",
        "journey_date_reception",
        "journey_date_diagnosis",
        "journey_date_repair",
        "journey_date_handed_back",
    )
    def _compute_journey_durations(self):
        def hours(start, end):
            return (
                (end - start).total_seconds() / 3600.0
                if start and end and end >= start
                else 0.0
            )

        for task in self:
            task.journey_reception_minutes = 60 * hours(
                task.journey_checkin_date, task.journey_date_reception
            )
            task.journey_diagnosis_hours = hours(
                task.journey_date_diagnosis, task.journey_date_repair
            )
            task.journey_repair_hours = hours(
                task.journey_date_repair,
                task.journey_ready_date or task.journey_date_handed_back,
            )
            task.journey_handback_minutes = 60 * hours(
                task.journey_ready_date, task.journey_date_handed_back
            )

    @api.depends(
        "journey_vehicle_id", "journey_job_ids", "journey_checkin_date", "create_date"
    )
    def _compute_journey_repeat_of_id(self):
        for task in self:
            task.journey_repeat_of_id = task._journey_find_repeated_visit()
            task.journey_is_repeat = bool(task.journey_repeat_of_id)

    def _journey_find_repeated_visit(self):
        self.ensure_one()
        if (
            self.journey_work_type != "service"
            or not self.journey_vehicle_id
            or not self.journey_job_ids
        ):
            return self.browse()
        arrival = self.journey_checkin_date or self.create_date or fields.Datetime.now()
        window = timedelta(
            days=(self.company_id or self.env.company).journey_repeat_visit_days
        )
        return self.search(
            [
                ("id", "!=", self._origin.id or 0),
                ("journey_work_type", "=", "service"),
                ("journey_vehicle_id", "=", self.journey_vehicle_id.id),
                ("journey_job_ids", "in", self.journey_job_ids.ids),
                ("journey_date_handed_back", ">=", arrival - window),
                ("journey_date_handed_back", "<=", arrival),
            ],
            order="journey_date_handed_back desc",
            limit=1,
        )

    @api.depends(
        "journey_service_order_ids.state", "journey_service_order_ids.amount_untaxed"
    )
    def _compute_journey_service_amount(self):
        for task in self:
            orders = task.journey_service_order_ids.filtered(
                lambda o: o.state == "sale"
            )
            task.journey_service_amount = sum(orders.mapped("amount_untaxed"))

    @api.depends("journey_nps_answer_ids.score")
    def _compute_journey_nps_score(self):
        for task in self:
            answer = task.journey_nps_answer_ids[:1]
            task.journey_nps_score = answer.score
            task.journey_nps_answered = bool(answer)

    @api.depends("journey_expedite_ids")
    def _compute_journey_expedite_count(self):
        for task in self:
            task.journey_expedite_count = len(task.journey_expedite_ids)

    def _compute_journey_lead_count(self):
        """The leads raised during the visit that the user may read."""
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("journey_source_task_id", "in", self.ids)],
                ["journey_source_task_id"],
                ["__count"],
            )
        )
        for task in self:
            task.journey_lead_count = counts.get(task._origin, 0)

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------

    @api.model
    def _journey_workshop_view_xmlids(self):
        return (
            "journey_service.project_task_workshop_view_form",
            "journey_service.project_task_workshop_view_list",
            "journey_service.project_task_workshop_view_kanban",
            "journey_service.project_task_workshop_view_calendar",
        )

    @api.model
    def _journey_can_manage_visits(self):
        """Who may create and change service visits, as the record rules say:
        the service advisors (and the managers above them) and the project
        managers. A salesperson reads the visits of their customers only."""
        user = self.env.user
        return user.has_group("journey_crm.group_service_advisor") or user.has_group(
            "project.group_project_manager"
        )

    @api.model
    def _journey_read_only_view_xmlids(self):
        xmlids = super()._journey_read_only_view_xmlids()
        if not self._journey_can_manage_visits():
            xmlids += self._journey_workshop_view_xmlids()
        return xmlids

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.constrains("journey_free_service_id", "journey_free_service_consumed")
    def _check_journey_free_service(self):
        for task in self:
            commitment = task.journey_free_service_id
            if not commitment or task.journey_free_service_consumed:
                continue
            commitment._journey_check_use_available()

    @api.constrains("journey_checkin_date", "journey_ready_date")
    def _check_journey_service_dates(self):
        for task in self:
            if (
                task.journey_checkin_date
                and task.journey_ready_date
                and task.journey_ready_date < task.journey_checkin_date
            ):
                raise ValidationError(
                    self.env._(
                        "%(task)s: the vehicle cannot be ready before the customer "
                        "arrived.",
                        task=task.name,
                    )
                )

    @api.model
    def _journey_get_ledger_fields(self):
        return super()._journey_get_ledger_fields() | {
            "journey_checkin_date",
            "journey_ready_date",
            "journey_free_service_consumed",
        }

    @api.onchange("partner_id")
    def _onchange_partner_id_journey_vehicle(self):
        """A customer with one vehicle: the visit is for that vehicle."""
        if (
            self.journey_work_type == "service"
            and self.partner_id
            and not self.journey_vehicle_id
        ):
            vehicles = self.partner_id.commercial_partner_id.journey_vehicle_ids
            if len(vehicles) == 1:
                self.journey_vehicle_id = vehicles

    # ------------------------------------------------------------------
    # The value chain
    # ------------------------------------------------------------------

    def _journey_log_steps(self):
        result = super()._journey_log_steps()
        visits = self.filtered(lambda t: t.journey_work_type == "service")
        for visit in visits.filtered(
            lambda t: t.journey_step == "reception" and not t.journey_checkin_date
        ):
            # sudo: the arrival is stamped by the step, never typed (reception KPI).
            visit.sudo().journey_checkin_date = fields.Datetime.now()
        # The first hand-back opens the follow-up, once.
        handed_back = visits.filtered(
            lambda t: (
                t.journey_step == "handed_back"
                and len(t.journey_step_ids.filtered(lambda s: s.step == "handed_back"))
                == 1
            )
        )
        handed_back._journey_schedule_follow_up()
        handed_back._journey_send_nps_request()
        return result

    def _journey_check_can_finish(self):
        result = super()._journey_check_can_finish()
        for visit in self.filtered(
            lambda t: (
                t.journey_work_type == "service"
                and t.journey_free_service_id
                and not t.journey_free_service_consumed
            )
        ):
            visit.journey_free_service_id._journey_check_use_available()
        return result

    def _journey_after_done(self):
        result = super()._journey_after_done()
        for visit in self.filtered(
            lambda t: (
                t.journey_work_type == "service"
                and t.journey_free_service_id
                and not t.journey_free_service_consumed
            )
        ):
            visit.journey_free_service_id._journey_consume_use(visit)
            # sudo: the use is consumed by finishing the visit, never typed.
            visit.sudo().journey_free_service_consumed = True
        return result

    def _journey_schedule_follow_up(self):
        for visit in self.filtered("journey_service_advisor_id"):
            deadline = fields.Datetime.now() + timedelta(
                days=visit.company_id.journey_follow_up_days
            )
            visit.activity_schedule(
                "journey_service.mail_act_follow_up_call",
                date_deadline=fields.Date.context_today(visit, deadline),
                user_id=visit.journey_service_advisor_id.id,
                note=self.env._(
                    "Call %(customer)s: how was the visit? Record the score (0-10).",
                    customer=visit.partner_id.name or "",
                ),
            )

    def _journey_send_nps_request(self):
        """Ask the customer, by e-mail in their language, the NPS question about
        this visit or delivery on the addon's own page."""
        for task in self.filtered(
            lambda t: (
                t.journey_work_type in NPS_REQUEST_TEMPLATES
                and t.partner_id.email
                and not t.journey_nps_answered
            )
        ):
            task._portal_ensure_token()
            task.message_post_with_source(
                NPS_REQUEST_TEMPLATES[task.journey_work_type],
                subtype_xmlid="mail.mt_comment",
            )

    def action_journey_checkin(self):
        self.ensure_one()
        self.check_access("write")
        if self.journey_checkin_date:
            raise UserError(self.env._("The customer's arrival is already recorded."))
        # sudo: the arrival is stamped by this button, never typed (reception KPI).
        self.sudo().journey_checkin_date = fields.Datetime.now()
        return True

    def action_journey_vehicle_ready(self):
        self.ensure_one()
        self.check_access("write")
        if self.journey_ready_date:
            raise UserError(self.env._("The vehicle is already marked ready."))
        # sudo: the time the vehicle was ready is stamped by this button, never typed.
        self.sudo().journey_ready_date = fields.Datetime.now()
        return True

    # ------------------------------------------------------------------
    # NPS, expedite requests, billing, leads
    # ------------------------------------------------------------------

    def action_journey_record_followup(self):
        """The advisor records the score given on the follow-up call."""
        self.ensure_one()
        self.env["journey.nps.answer"]._journey_check_can_answer(self, 10)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the Follow-up Call"),
            "res_model": "journey.nps.record.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_journey_request_expedite(self):
        """Sales asks the workshop to hurry this visit (works from a read-only
        visit): a small dialog with the reason, not the request's whole form."""
        self.ensure_one()
        view = self.env.ref("journey_service.journey_expedite_request_view_form_send")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Expedite"),
            "res_model": "journey.expedite.request",
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_journey_decide_expedite(self):
        """The advisor decides on the pending request from the visit's banner."""
        self.ensure_one()
        pending = self.journey_expedite_ids.filtered(lambda r: r.state == "requested")
        if not pending:
            raise UserError(self.env._("No expedite request waits for a decision."))
        return pending[:1].action_open_decision()

    def action_journey_view_expedite_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Expedite Requests"),
            "res_model": "journey.expedite.request",
            "view_mode": "list,form",
            "domain": [("task_id", "=", self.id)],
            "context": {"default_task_id": self.id},
        }

    def action_journey_view_open_commitments(self):
        """Every open promise of the customer, all vehicles included."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id.action_view_commitments()

    def _journey_render_customer_notes(self):
        """What sales and delivery told about this customer, for the workshop."""
        self.ensure_one()
        if not self.partner_id:
            return False
        # sudo: the workshop reads what was handed over about its customer, whoever
        # sent it (the handovers' own rules keep them to their departments).
        handovers = (
            self.env["journey.handover"]
            .sudo()
            .search(
                [
                    (
                        "partner_id",
                        "child_of",
                        self.partner_id.commercial_partner_id.id,
                    ),
                    ("state", "in", ("sent", "acknowledged")),
                ],
                order="date_sent desc",
                limit=3,
            )
        )
        if not handovers:
            return False
        return self.env["ir.qweb"]._render(
            "journey_service.task_customer_notes", {"handovers": handovers}
        )

    def action_journey_service_quotation(self):
        """Bill the visit's jobs through a quotation linked to the task."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set the customer before quoting the visit."))
        order = self.env["sale.order"].create(self._journey_prepare_service_order())
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _journey_prepare_service_order(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "user_id": self.env.uid,
            "company_id": (self.company_id or self.env.company).id,
            "journey_service_task_id": self.id,
            "commitment_required": False,
            "origin": self.name,
            "order_line": [
                fields.Command.create({"product_id": job.product_id.id})
                for job in self.journey_job_ids.filtered("product_id")
            ],
        }

    def action_journey_open_handovers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_handover_action"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.partner_id.commercial_partner_id.id)
        ]
        action["context"] = {}
        return action

    def action_journey_view_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sales Leads"),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("crm.crm_case_tree_view_oppor").id, "list"),
                (False, "form"),
            ],
            "domain": [("journey_source_task_id", "=", self.id)],
            "context": {"active_test": False, "create": False},
        }
