import hashlib
import logging
import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)


# A commitment in one of these states stops the delivery from being done.
BLOCKING_STATES = ("open", "in_progress", "partial")
# A visit repeats an earlier one when the same job was done on the same vehicle
# within this many days (first-time-fix rate).
REPEAT_VISIT_DAYS = 30
FOLLOW_UP_DAYS = 3
PREPARE_DAYS = 3
FIRST_SERVICE_MONTHS = (3, 6)
# Set by the addon's own steps (signing, the ceremony, the buttons, the
# scheduled actions), never by a caller's write: see ``_check_journey_write``.
JOURNEY_LEDGER_FIELDS = (
    "journey_checklist_signature_id",
    "journey_checklist_pdf_posted",
    "journey_access_token",
    "journey_done_processed",
    "journey_prepare_reminded",
    "journey_free_service_consumed",
    "journey_first_service_task_id",
    "journey_checkin_date",
    "journey_ready_date",
    "journey_order_id",
    "journey_order_line_id",
)


class ProjectTask(models.Model):
    _inherit = "project.task"

    journey_work_type = fields.Selection(
        related="project_id.journey_work_type",
        store=True,
        index=True,
    )
    journey_step = fields.Selection(related="stage_id.journey_step", store=True)
    journey_step_ids = fields.One2many("journey.task.step", "task_id", string="Steps")
    journey_order_id = fields.Many2one(
        "sale.order",
        string="Vehicle Order",
        index="btree_not_null",
        copy=False,
        help="The order of the vehicle delivered or serviced.",
    )
    journey_order_line_id = fields.Many2one("sale.order.line", string="Vehicle Line", copy=False)
    journey_vehicle_id = fields.Many2one(
        "fleet.vehicle", string="Vehicle", index="btree_not_null", tracking=True
    )
    journey_salesperson_id = fields.Many2one(
        "res.users",
        string="Customer's Salesperson",
        compute="_compute_journey_salesperson_id",
        store=True,
        index="btree_not_null",
    )
    journey_service_advisor_id = fields.Many2one(
        "res.users",
        string="Service Advisor",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="The one advisor responsible for this visit, whoever else works on it.",
    )
    journey_access_token = fields.Char(copy=False, groups="base.group_user")
    journey_is_done = fields.Boolean(
        string="Journey Done",
        compute="_compute_journey_is_done",
        help="Done by its state or by a stage whose step is Done.",
    )
    journey_done_processed = fields.Boolean(copy=False)

    # Delivery ------------------------------------------------------------
    journey_checklist_ids = fields.One2many(
        "journey.commitment",
        "delivery_task_id",
        string="Delivery Checklist",
        domain=[("is_current", "=", True)],
        help="The current version of every promise due at this delivery.",
    )
    journey_checklist_blocking_count = fields.Integer(
        string="Promises to Check", compute="_compute_journey_checklist_blocking_count"
    )
    journey_checklist_signature_id = fields.Many2one(
        "journey.commitment.signature", string="Checklist Signature", readonly=True, copy=False
    )
    journey_checklist_signed_on = fields.Datetime(
        related="journey_checklist_signature_id.signed_on", string="Checklist Signed On"
    )
    journey_checklist_pdf_posted = fields.Boolean(
        string="Signed Checklist Posted", readonly=True, copy=False
    )
    journey_prepare_reminded = fields.Boolean(copy=False)
    journey_first_service_task_id = fields.Many2one(
        "project.task", string="First Service", readonly=True, copy=False
    )
    journey_handover_ids = fields.One2many("journey.handover", "task_id", string="Handovers")

    # After-sales ---------------------------------------------------------
    journey_open_commitment_ids = fields.Many2many(
        "journey.commitment",
        string="Customer's Open Promises",
        compute="_compute_journey_open_commitment_ids",
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
        string="Standard Time (Hours)", compute="_compute_journey_standard_hours", store=True
    )
    journey_checkin_date = fields.Datetime(
        string="Customer Arrived", copy=False, tracking=True, help="When the customer arrived."
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
        string="Reception Response (Minutes)", compute="_compute_journey_durations", store=True
    )
    journey_diagnosis_hours = fields.Float(
        string="Diagnosis (Hours)", compute="_compute_journey_durations", store=True
    )
    journey_repair_hours = fields.Float(
        string="Repair (Hours)", compute="_compute_journey_durations", store=True
    )
    journey_handback_minutes = fields.Float(
        string="Time to Hand Back (Minutes)", compute="_compute_journey_durations", store=True
    )
    journey_followup_deadline = fields.Datetime(
        string="Follow-up Due", compute="_compute_journey_step_dates", store=True
    )
    journey_repeat_of_id = fields.Many2one(
        "project.task",
        string="Repeats Visit",
        compute="_compute_journey_repeat_of_id",
        store=True,
        help="An earlier visit, handed back within 30 days, with one of the same jobs on "
        "the same vehicle: this visit does not count as fixed the first time.",
    )
    journey_is_repeat = fields.Boolean(
        string="Repeat Visit", compute="_compute_journey_repeat_of_id", store=True
    )
    journey_free_service_id = fields.Many2one(
        "journey.commitment",
        string="Free Service Used",
        tracking=True,
        domain="[('partner_id', 'child_of', partner_id), ('category', '=', 'free_service'), "
        "('due_rule', '=', 'over_period'), "
        "('is_current', '=', True), ('fulfillment_state', 'in', ('open', 'in_progress'))]",
        help="A promised free service this visit uses: finishing the visit consumes one use.",
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
    journey_nps_answer_ids = fields.One2many("journey.nps.answer", "task_id", string="NPS Answers")
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

    # Sales leads raised during the visit ------------------------------------
    journey_lead_count = fields.Integer(string="Sales Leads", compute="_compute_journey_lead_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "journey_order_id.user_id",
        "partner_id.user_id",
        "partner_id.commercial_partner_id.user_id",
    )
    def _compute_journey_salesperson_id(self):
        for task in self:
            task.journey_salesperson_id = (
                task.journey_order_id.user_id or task.partner_id._journey_get_salesperson()
            )

    @api.depends("state", "journey_step")
    def _compute_journey_is_done(self):
        for task in self:
            task.journey_is_done = task.state == "1_done" or task.journey_step == "done"

    @api.depends("journey_checklist_ids.fulfillment_state")
    def _compute_journey_checklist_blocking_count(self):
        for task in self:
            task.journey_checklist_blocking_count = len(task._journey_get_blocking_commitments())

    @api.depends("partner_id")
    def _compute_journey_open_commitment_ids(self):
        customers = self.partner_id.commercial_partner_id
        commitments = self.env["journey.commitment"]
        if customers:
            commitments = commitments.search(customers._journey_open_commitment_domain())
        by_customer = {}
        for commitment in commitments:
            customer = commitment.partner_id.commercial_partner_id
            by_customer[customer] = by_customer.get(customer, commitments.browse()) | commitment
        for task in self:
            task.journey_open_commitment_ids = by_customer.get(
                task.partner_id.commercial_partner_id, commitments.browse()
            )

    @api.depends("partner_id", "journey_order_id")
    def _compute_journey_customer_notes(self):
        for task in self:
            task.journey_customer_notes = task._journey_render_customer_notes()

    @api.depends("journey_job_ids.standard_hours")
    def _compute_journey_standard_hours(self):
        for task in self:
            task.journey_standard_hours = sum(task.journey_job_ids.mapped("standard_hours"))

    @api.depends("journey_step_ids.step", "journey_step_ids.date_entered")
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
                first["handed_back"] + timedelta(days=FOLLOW_UP_DAYS)
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
            return (end - start).total_seconds() / 3600.0 if start and end and end >= start else 0.0

        for task in self:
            task.journey_reception_minutes = 60 * hours(
                task.journey_checkin_date, task.journey_date_reception
            )
            task.journey_diagnosis_hours = hours(task.journey_date_diagnosis, task.journey_date_repair)
            task.journey_repair_hours = hours(
                task.journey_date_repair, task.journey_ready_date or task.journey_date_handed_back
            )
            task.journey_handback_minutes = 60 * hours(
                task.journey_ready_date, task.journey_date_handed_back
            )

    @api.depends("journey_vehicle_id", "journey_job_ids", "journey_checkin_date", "create_date")
    def _compute_journey_repeat_of_id(self):
        for task in self:
            task.journey_repeat_of_id = task._journey_find_repeated_visit()
            task.journey_is_repeat = bool(task.journey_repeat_of_id)

    def _journey_find_repeated_visit(self):
        self.ensure_one()
        if self.journey_work_type != "service" or not self.journey_vehicle_id or not self.journey_job_ids:
            return self.browse()
        arrival = self.journey_checkin_date or self.create_date or fields.Datetime.now()
        return self.search(
            [
                ("id", "!=", self._origin.id or 0),
                ("journey_work_type", "=", "service"),
                ("journey_vehicle_id", "=", self.journey_vehicle_id.id),
                ("journey_job_ids", "in", self.journey_job_ids.ids),
                ("journey_date_handed_back", ">=", arrival - timedelta(days=REPEAT_VISIT_DAYS)),
                ("journey_date_handed_back", "<=", arrival),
            ],
            order="journey_date_handed_back desc",
            limit=1,
        )

    @api.depends("journey_service_order_ids.state", "journey_service_order_ids.amount_untaxed")
    def _compute_journey_service_amount(self):
        for task in self:
            orders = task.journey_service_order_ids.filtered(lambda o: o.state == "sale")
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

    # ------------------------------------------------------------------
    # Constraints
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
                    self.env._("%(task)s: the vehicle cannot be ready before the customer arrived.",
                               task=task.name)
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.onchange("partner_id")
    def _onchange_partner_id_journey_vehicle(self):
        """A customer with one vehicle: the visit is for that vehicle."""
        if self.journey_work_type == "service" and self.partner_id and not self.journey_vehicle_id:
            vehicles = self.partner_id.commercial_partner_id.journey_vehicle_ids
            if len(vehicles) == 1:
                self.journey_vehicle_id = vehicles

    @api.model_create_multi
    def create(self, vals_list):
        vehicles = self.env["fleet.vehicle"].browse(
            [vals["journey_vehicle_id"] for vals in vals_list if vals.get("journey_vehicle_id")]
        )
        for vals in vals_list:
            # A visit of a vehicle we sold belongs to that customer's story.
            if vals.get("journey_vehicle_id") and not vals.get("journey_order_id"):
                vehicle = vehicles.browse(vals["journey_vehicle_id"])
                vals["journey_order_id"] = vehicle.journey_order_id.id
                vals.setdefault("partner_id", vehicle.journey_partner_id.id)
        tasks = super().create(vals_list)
        journey_tasks = tasks.filtered("journey_work_type")
        for task in journey_tasks.filtered(lambda t: not t.journey_access_token):
            task.sudo().journey_access_token = str(uuid.uuid4())
        journey_tasks._journey_log_steps()
        return tasks

    def write(self, vals):
        self._check_journey_write(vals)
        if vals.get("state") == "1_done" or "stage_id" in vals:
            before = {task.id: task.journey_is_done for task in self}
        else:
            before = None
        result = super().write(vals)
        if "stage_id" in vals:
            journey_tasks = self.filtered("journey_work_type")
            journey_tasks._journey_log_steps()
            # Odoo's state follows the stage that means done, for its own filters.
            closing = journey_tasks.filtered(
                lambda t: t.journey_step == "done" and t.state not in ("1_done", "1_canceled")
            )
            if closing:
                super(ProjectTask, closing).write({"state": "1_done"})
        if before is not None:
            finished = self.filtered(
                lambda t: t.journey_work_type and t.journey_is_done and not before[t.id]
            )
            if finished:
                finished._journey_on_done()
        return result

    def _check_journey_write(self, vals):
        """What the customer signed and what the KPIs count change only through the
        addon's own steps, whoever writes and whatever the context."""
        if "journey_checklist_signature_id" in vals:
            signed = self.filtered("journey_checklist_signature_id")
            if signed and any(
                task.journey_checklist_signature_id.id != vals["journey_checklist_signature_id"]
                for task in signed
            ):
                raise UserError(self.env._("A signed delivery checklist stays signed."))
        if self.env.su:
            return
        protected = [name for name in JOURNEY_LEDGER_FIELDS if name in vals]
        if "journey_vehicle_id" in vals and any(t.journey_work_type == "delivery" for t in self):
            protected.append("journey_vehicle_id")
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by the delivery and the workshop's own steps only: %(fields)s",
                    fields=", ".join(self._fields[name].string for name in protected),
                )
            )

    def _journey_log_steps(self):
        """Record the step each task enters, with who moved it and when."""
        values = [
            {
                "task_id": task.id,
                "step": task.stage_id.journey_step,
                "stage_id": task.stage_id.id,
                "user_id": self.env.uid,
            }
            for task in self
            if task.stage_id.journey_step
        ]
        if values:
            self.env["journey.task.step"].sudo().create(values)
        for task in self.filtered(lambda t: t.journey_step == "reception" and not t.journey_checkin_date):
            # sudo: the arrival is stamped by the step, never typed.
            task.sudo().journey_checkin_date = fields.Datetime.now()
        # The first hand-back opens the follow-up, once.
        handed_back = self.filtered(
            lambda t: t.journey_step == "handed_back"
            and len(t.journey_step_ids.filtered(lambda s: s.step == "handed_back")) == 1
        )
        for task in handed_back:
            task._journey_schedule_follow_up()
        handed_back._journey_send_nps_request()

    # ------------------------------------------------------------------
    # Done
    # ------------------------------------------------------------------

    def _journey_on_done(self):
        """Checks and consequences of finishing a delivery or a service visit.

        A task is done by its state or by a stage whose step is Done; both run
        this once.
        """
        for task in self:
            if task.journey_work_type == "delivery":
                task._journey_check_delivery_can_finish()
            elif task.journey_work_type == "service":
                task._journey_check_service_can_finish()
        for task in self.filtered(lambda t: not t.journey_done_processed):
            task.sudo().journey_done_processed = True
            if task.journey_work_type == "delivery":
                task._journey_after_delivery()
            else:
                task._journey_consume_free_service()

    def _journey_get_blocking_commitments(self):
        self.ensure_one()
        return self.journey_checklist_ids.filtered(
            lambda c: c.is_current and c.fulfillment_state in BLOCKING_STATES
        )

    def _journey_check_delivery_can_finish(self):
        self.ensure_one()
        problems = []
        blocking = self._journey_get_blocking_commitments()
        if blocking:
            problems.append(
                self.env._("These promises are not kept yet: defer them with the customer's "
                           "consent, waive them or keep them first:")
            )
            problems += [
                "  - %s (%s)" % (c.name, c._fields["fulfillment_state"].convert_to_export(
                    c.fulfillment_state, c))
                for c in blocking
            ]
        if not self.journey_vehicle_id:
            problems.append(self.env._("The vehicle (VIN, plate, model) is not recorded."))
        if not self.journey_first_service_task_id:
            problems.append(self.env._("The first service is not booked."))
        if not self.partner_id.journey_service_advisor_id:
            problems.append(self.env._("The customer has no service advisor yet."))
        if problems:
            raise UserError(
                self.env._("%(task)s cannot be done yet:\n%(problems)s",
                           task=self.name, problems="\n".join(problems))
            )

    def _journey_check_service_can_finish(self):
        self.ensure_one()
        if self.journey_free_service_id and not self.journey_free_service_consumed:
            self.journey_free_service_id._journey_check_use_available()

    def _journey_after_delivery(self):
        """The car is handed over: the service advisor takes the customer over."""
        self.ensure_one()
        now = fields.Datetime.now()
        order = self.journey_order_id
        if order and not order.journey_delivered_on:
            order.sudo().journey_delivered_on = now
        # sudo: the vehicle a promise belongs to is the ledger's bookkeeping.
        self.journey_checklist_ids.sudo().write({"vehicle_id": self.journey_vehicle_id.id})
        advisor = self.partner_id.journey_service_advisor_id
        sender = self.user_ids[:1] or self.env.user
        self.env["journey.handover"].sudo().create(
            {
                "kind": "delivery_service",
                "order_id": order.id,
                "task_id": self.id,
                "partner_id": self.partner_id.id,
                "sender_id": sender.id,
                "receiver_id": advisor.id,
                "date_deadline": now + timedelta(hours=24),
                "call_deadline": now + timedelta(days=3),
                "company_id": self.company_id.id or order.company_id.id or self.env.company.id,
            }
        )._journey_prefill_from_customer()

    # ------------------------------------------------------------------
    # Delivery checklist
    # ------------------------------------------------------------------

    def _journey_get_checklist_fingerprint(self):
        self.ensure_one()
        lines = [
            "%s:%s:%s:%s" % (c.signed_fingerprint or c.fingerprint, c.fulfillment_state,
                             c.date_deferred or "", c.uses_done)
            for c in self.journey_checklist_ids.filtered("is_current").sorted("id")
        ]
        return hashlib.sha256("|".join(lines).encode()).hexdigest()

    def _journey_sign_checklist(self, signer_name, signature, method, user=None):
        """The customer signs the checked delivery list, once."""
        self.ensure_one()
        if self.journey_work_type != "delivery":
            raise UserError(self.env._("Only a delivery checklist can be signed."))
        if self.journey_checklist_signature_id:
            raise UserError(
                self.env._("This delivery checklist was already signed by %(name)s.",
                           name=self.journey_checklist_signature_id.name)
            )
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        if not (signer_name or "").strip():
            raise UserError(self.env._("Write the name of the person who signs."))
        checklist = self.journey_checklist_ids.filtered("is_current")
        blocking = self._journey_get_blocking_commitments()
        if blocking:
            raise UserError(
                self.env._("Check these promises with the delivery specialist before signing: %(names)s",
                           names=", ".join(blocking.mapped("name")))
            )
        signing = self.env["journey.commitment.signature"].sudo().create(
            {
                "name": signer_name.strip(),
                "signature": signature,
                "signed_on": fields.Datetime.now(),
                "partner_id": self.partner_id.id,
                "order_id": self.journey_order_id.id,
                "task_id": self.id,
                "user_id": (user or self.env.user).id,
                "method": method,
                "fingerprint": self._journey_get_checklist_fingerprint(),
                "commitment_ids": [fields.Command.set(checklist.ids)],
                "company_id": (self.company_id or self.journey_order_id.company_id or self.env.company).id,
            }
        )
        # sudo: the signature is recorded by signing, never written by a caller.
        self.sudo().journey_checklist_signature_id = signing
        self.sudo().message_post(
            body=self.env._("Delivery checklist signed by %(name)s.", name=signing.name),
        )
        # The signed PDF is rendered by a job once the signature is committed:
        # rendering holds no lock and no worker of the customer's request.
        self.env.ref("journey_service.ir_cron_post_signed_checklists")._trigger()
        return signing

    def _journey_post_signed_checklist(self):
        """Attach the signed checklist as a PDF to the delivery's chatter."""
        for task in self:
            pdf = self.env["ir.actions.report"]._render_qweb_pdf(
                "journey_service.action_report_delivery_checklist", task.ids
            )[0]
            task.message_post(
                body=self.env._(
                    "The delivery checklist signed by %(name)s.",
                    name=task.journey_checklist_signature_id.name,
                ),
                attachments=[(self.env._("Delivery checklist %(task)s.pdf", task=task.name), pdf)],
            )
            task.journey_checklist_pdf_posted = True

    @api.model
    def _cron_journey_post_signed_checklists(self, batch_size=10):
        """Render the PDFs of the checklists signed since the last run, a batch per
        call: the scheduled action commits each batch and calls again while some
        remain, so that an interrupted run resumes where it stopped. A checklist
        whose PDF cannot be rendered is logged and tried again at the next run."""
        domain = [
            ("journey_checklist_signature_id", "!=", False),
            ("journey_checklist_pdf_posted", "=", False),
        ]
        tasks = self.search(domain, limit=batch_size, order="id")
        for task in tasks:
            try:
                with self.env.cr.savepoint():
                    task._journey_post_signed_checklist()
            except Exception:
                _logger.exception("The signed checklist of %s could not be rendered", task.display_name)
        remaining = self.search_count(domain + [("id", ">", max(tasks.ids, default=0))])
        self.env["ir.cron"]._notify_progress(done=len(tasks), remaining=remaining)

    def _journey_get_portal_url(self, suffix=""):
        self.ensure_one()
        kind = "delivery" if self.journey_work_type == "delivery" else "service"
        return "/my/journey/%s/%s%s?access_token=%s" % (
            kind, self.id, suffix, self.sudo().journey_access_token
        )

    def action_journey_open_customer_page(self):
        """The customer's checklist page, to sign on the tablet at the ceremony."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self._journey_get_portal_url(), "target": "new"}

    def action_journey_send_customer_link(self):
        """Send the customer their own link to the checklist page."""
        self.ensure_one()
        if not self.partner_id.email:
            raise UserError(self.env._("%(customer)s has no email address.", customer=self.partner_id.name))
        url = self.get_base_url() + self._journey_get_portal_url()
        self.message_post(
            body=Markup(self.env._(
                "Dear %(customer)s, here is the list of what we promised you for your delivery: "
                "%(link)s"
            )) % {"customer": self.partner_id.name, "link": Markup('<a href="%s">%s</a>') % (url, url)},
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _journey_schedule_prepare_activity(self):
        for task in self:
            specialist = task.user_ids[:1]
            if not specialist:
                continue
            items = task.journey_checklist_ids.filtered(
                lambda c: c.is_current and c.fulfillment_state in BLOCKING_STATES
            )
            task.sudo().activity_schedule(
                "journey_service.mail_act_prepare_delivery",
                date_deadline=task.date_deadline and (task.date_deadline.date() - timedelta(days=PREPARE_DAYS)),
                user_id=specialist.id,
                note=self.env._("Prepare what was promised: %(items)s",
                                items=", ".join(items.mapped("name")) or self.env._("nothing to prepare")),
            )
            task.sudo().journey_prepare_reminded = True

    @api.model
    def _cron_journey_prepare_deliveries(self):
        """Three days before the planned delivery, remind the specialist of the promises."""
        limit = fields.Datetime.now() + timedelta(days=PREPARE_DAYS)
        tasks = self.search(
            [
                ("journey_work_type", "=", "delivery"),
                ("journey_prepare_reminded", "=", False),
                ("state", "not in", ("1_done", "1_canceled")),
                ("date_deadline", "!=", False),
                ("date_deadline", "<=", limit),
                ("user_ids", "!=", False),
            ]
        )
        tasks._journey_schedule_prepare_activity()

    # ------------------------------------------------------------------
    # Service visits
    # ------------------------------------------------------------------

    def _journey_schedule_follow_up(self):
        for task in self.filtered("journey_service_advisor_id"):
            deadline = fields.Datetime.now() + timedelta(days=FOLLOW_UP_DAYS)
            task.sudo().activity_schedule(
                "journey_service.mail_act_follow_up_call",
                date_deadline=fields.Date.context_today(task, deadline),
                user_id=task.journey_service_advisor_id.id,
                note=self.env._("Call %(customer)s: how was the visit? Record the score (0-10).",
                                customer=task.partner_id.name or ""),
            )

    def _journey_send_nps_request(self):
        """Ask the customer, by email, the NPS question on the addon's own page."""
        for task in self.filtered(lambda t: t.partner_id.email and not t.journey_nps_answered):
            url = task.get_base_url() + task._journey_get_portal_url("/nps")
            task.sudo().message_post(
                body=Markup(self.env._(
                    "Dear %(customer)s, thank you for your visit. How likely are you to recommend "
                    "us to a friend? Answer in one click: %(link)s"
                )) % {"customer": task.partner_id.name, "link": Markup('<a href="%s">%s</a>') % (url, url)},
                partner_ids=task.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

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
        """Sales asks the workshop to hurry this visit (works from a read-only visit)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Expedite"),
            "res_model": "journey.expedite.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

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

    def _journey_consume_free_service(self):
        for task in self.filtered(
            lambda t: t.journey_free_service_id and not t.journey_free_service_consumed
        ):
            task.journey_free_service_id._journey_consume_use(task)
            task.sudo().journey_free_service_consumed = True

    def _journey_render_customer_notes(self):
        """What sales and delivery told about this customer, for the workshop."""
        self.ensure_one()
        if not self.partner_id:
            return False
        handovers = self.env["journey.handover"].sudo().search(
            [
                ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
                ("state", "in", ("sent", "acknowledged")),
            ],
            order="date_sent desc",
            limit=3,
        )
        if not handovers:
            return False
        return self.env["ir.qweb"]._render(
            "journey_service.task_customer_notes", {"handovers": handovers}
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
        action = self.env["ir.actions.act_window"]._for_xml_id("journey_service.journey_handover_action")
        action["domain"] = [("partner_id", "child_of", self.partner_id.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.model
    def _journey_first_service_bounds(self, start=None):
        start = start or fields.Date.context_today(self)
        return (
            start + relativedelta(months=FIRST_SERVICE_MONTHS[0]),
            start + relativedelta(months=FIRST_SERVICE_MONTHS[1]),
        )

    # ------------------------------------------------------------------
    # Sales leads
    # ------------------------------------------------------------------

    def _compute_journey_lead_count(self):
        """The leads raised during the visit that the user may read."""
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group([("journey_source_task_id", "in", self.ids)], ["journey_source_task_id"], ["__count"])
        )
        for task in self:
            task.journey_lead_count = counts.get(task._origin, 0)

    def action_journey_view_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sales Leads"),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "views": [(self.env.ref("crm.crm_case_tree_view_oppor").id, "list"), (False, "form")],
            "domain": [("journey_source_task_id", "=", self.id)],
            "context": {"active_test": False, "create": False},
        }

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------

    @api.model
    def _journey_demo_deliver(self, order_id, specialist_id, advisor_id, model_id):
        """Demo data: play a delivery and a first workshop visit through the same
        actions staff use, then move their dates into the past."""
        order = self.env["sale.order"].browse(order_id)
        specialist = self.env["res.users"].browse(specialist_id)
        advisor = self.env["res.users"].browse(advisor_id)
        task = order.journey_task_ids.filtered(lambda t: t.journey_work_type == "delivery")[:1]
        handover = self.env["journey.handover"]._journey_demo_send(order.id, specialist.id)
        handover.with_user(specialist).action_acknowledge()
        task.journey_checklist_ids.with_user(specialist).write({"fulfillment_state": "fulfilled"})
        wizard = self.env["journey.delivery.ceremony.wizard"].with_user(specialist).create(
            {
                "task_id": task.id,
                "model_id": model_id,
                "vin_sn": "LAURA7SUV2L000218",
                "license_plate": "沪AD12345",
                "driver_id": order.partner_id.id,
                "service_advisor_id": advisor.id,
                "first_service_date": self._journey_first_service_bounds()[0],
            }
        )
        wizard.action_confirm()
        task.with_user(specialist).stage_id = self.env.ref("journey_service.stage_delivery_done")
        delivered = order.commitment_date
        task.journey_step_ids.sudo().write({"date_entered": delivered})
        order.sudo().journey_delivered_on = delivered
        service_handover = order.journey_handover_ids.filtered(lambda h: h.kind == "delivery_service")
        service_handover.sudo().write(
            {"date_deadline": delivered + timedelta(hours=24), "call_deadline": delivered + timedelta(days=3)}
        )
        service_handover.with_user(specialist).write(
            {"background": "Commutes 80 km a day; careful driver, reads the manual."}
        )
        service_handover.with_user(specialist).action_send()
        service_handover.with_user(advisor).action_acknowledge()
        service_handover.with_user(advisor).write({"call_note": "Introduced myself; she asked about winter range."})
        service_handover.with_user(advisor).action_call_done()
        # A wheel alignment three days ago used one of the two free services.
        visit = self.with_user(advisor).create(
            {
                "name": self.env._("Wheel alignment, pulls to the left"),
                "project_id": self.env.ref("journey_service.project_service").id,
                "stage_id": self.env.ref("journey_service.stage_service_appointment").id,
                "partner_id": order.partner_id.id,
                "journey_order_id": order.id,
                "journey_vehicle_id": task.journey_vehicle_id.id,
                "journey_service_advisor_id": advisor.id,
                "journey_bay_id": self.env.ref("journey_service.bay_2").id,
                "journey_job_ids": [fields.Command.set(self.env.ref("journey_service.job_wheel_alignment").ids)],
                "journey_free_service_id": order.commitment_ids.filtered(
                    lambda c: c._journey_is_free_service())[:1].id,
                "user_ids": [fields.Command.set(advisor.ids)],
            }
        )
        for step in ("reception", "diagnosis", "repair", "handed_back", "follow_up", "done"):
            visit.stage_id = self.env.ref("journey_service.stage_service_%s" % step)
        start = fields.Datetime.now().replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(days=3)
        minutes = {"appointment": -1440, "reception": 2, "diagnosis": 10, "repair": 35,
                   "handed_back": 95, "follow_up": 4320, "done": 4330}
        for step in visit.journey_step_ids:
            step.sudo().date_entered = start + timedelta(minutes=minutes[step.step])
        visit.sudo().write({"journey_checkin_date": start, "journey_ready_date": start + timedelta(minutes=84)})
        self.env["journey.nps.answer"].with_user(advisor)._journey_record(
            visit, 9, self.env._("Fast, and they explained everything."), "call"
        )
        handover.with_user(order.user_id).write({"call_note": self.env._("Three-party video call, 15 minutes.")})
        handover.with_user(order.user_id).action_call_done()
        # What the workshop heard goes back to sales.
        self.env["journey.service.lead.wizard"].with_user(advisor).with_context(
            default_task_id=visit.id
        ).create(
            {
                "kind": "additional_purchase",
                "grade": "b",
                "note": self.env._("Her husband asked about a second car for the weekends."),
            }
        ).action_confirm()
        return task
