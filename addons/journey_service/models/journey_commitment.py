from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REMINDER_DAYS = 7
DEPARTMENT_GROUPS = {
    "delivery": "journey_crm.group_delivery_specialist",
    "after_sales": "journey_crm.group_service_advisor",
}


class JourneyCommitment(models.Model):
    _inherit = "journey.commitment"

    delivery_task_id = fields.Many2one(
        "project.task",
        string="Delivery",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The delivery whose checklist holds this promise.",
    )
    vehicle_id = fields.Many2one(
        "fleet.vehicle", index="btree_not_null", readonly=True, copy=False, tracking=True
    )
    stock_status = fields.Selection(
        [("in_stock", "In Stock"), ("missing", "Not in Stock"), ("no_stock", "Not Stocked")],
        compute="_compute_stock_status",
        help="Whether the promised product is on hand for the delivery.",
    )
    date_due = fields.Date(
        string="Effective Due Date",
        compute="_compute_date_due",
        store=True,
        help="The deferred date when the customer agreed to one, otherwise the due date.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    reminder_sent = fields.Boolean(copy=False, readonly=True)

    @api.depends("product_id", "quantity")
    @api.depends_context("company")
    def _compute_stock_status(self):
        for commitment in self:
            product = commitment.product_id
            if not product or not product.is_storable:
                commitment.stock_status = "no_stock"
            elif product.qty_available >= commitment.quantity:
                commitment.stock_status = "in_stock"
            else:
                commitment.stock_status = "missing"

    @api.depends("date_deadline", "date_deferred", "fulfillment_state")
    def _compute_date_due(self):
        for commitment in self:
            if commitment.fulfillment_state == "deferred" and commitment.date_deferred:
                commitment.date_due = commitment.date_deferred
            else:
                commitment.date_due = commitment.date_deadline

    @api.depends("date_due", "fulfillment_state", "is_current")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for commitment in self:
            commitment.is_overdue = bool(
                commitment.is_current
                and commitment.fulfillment_state in ("open", "in_progress", "partial", "deferred")
                and commitment.date_due
                and commitment.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [
            ("is_current", "=", True),
            ("fulfillment_state", "in", ("open", "in_progress", "partial", "deferred")),
            ("date_due", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *self._journey_and(domain)]

    @staticmethod
    def _journey_and(domain):
        return ["&"] * (len(domain) - 1) + domain

    def _journey_is_due_at_delivery(self):
        self.ensure_one()
        return (
            self.is_current
            and self.fulfillment_state != "cancelled"
            and self.approval_state != "rejected"
            and (self.due_rule == "at_delivery" or self.category == "delivery_date")
        )

    @api.model_create_multi
    def create(self, vals_list):
        commitments = super().create(vals_list)
        # A promise added after the confirmation joins the open delivery's checklist.
        for commitment in commitments.filtered(
            lambda c: not c.delivery_task_id and c.order_id.state == "sale"
            and c._journey_is_due_at_delivery()
        ):
            task = commitment.order_id.journey_task_ids.filtered(
                lambda t: t.journey_work_type == "delivery" and not t.journey_is_done
            )[:1]
            if task:
                # sudo: the checklist a promise joins is the ledger's bookkeeping.
                commitment.sudo().write({"delivery_task_id": task.id})
        return commitments

    @api.model
    def _get_ledger_fields(self):
        return super()._get_ledger_fields() | {"delivery_task_id", "vehicle_id", "reminder_sent"}

    def _get_version_carry_over(self):
        return dict(
            super()._get_version_carry_over(),
            delivery_task_id=self.delivery_task_id.id,
            vehicle_id=self.vehicle_id.id,
        )

    # ------------------------------------------------------------------
    # Fulfilment
    # ------------------------------------------------------------------

    def action_journey_fulfil(self):
        """Kept as promised; a type that requires evidence goes through the wizard."""
        if any(c.type_id.evidence_required and not c.evidence_ids for c in self):
            return self.env["journey.commitment.fulfil.wizard"]._journey_open(self, "fulfilled")
        self.write({"fulfillment_state": "fulfilled"})
        return True

    def action_journey_partial(self):
        return self.env["journey.commitment.fulfil.wizard"]._journey_open(self, "partial")

    def action_journey_defer(self):
        return self.env["journey.commitment.fulfil.wizard"]._journey_open(self, "deferred")

    def action_journey_waive(self):
        return self.env["journey.commitment.fulfil.wizard"]._journey_open(self, "waived")

    # ------------------------------------------------------------------
    # Free services
    # ------------------------------------------------------------------

    def _journey_is_free_service(self):
        """N free services over a period, used one per workshop visit."""
        self.ensure_one()
        return self.category == "free_service" and self.due_rule == "over_period" and self.uses_total > 0


    def _journey_check_use_available(self):
        today = fields.Date.context_today(self)
        for commitment in self:
            if not commitment._journey_is_free_service():
                raise ValidationError(
                    self.env._("%(name)s is not a promise of free services.", name=commitment.name)
                )
            if commitment.fulfillment_state not in ("open", "in_progress") or not commitment.is_current:
                raise ValidationError(
                    self.env._("%(name)s cannot be used: it is %(state)s.",
                               name=commitment.name,
                               state=commitment._fields["fulfillment_state"].convert_to_export(
                                   commitment.fulfillment_state, commitment))
                )
            if commitment.uses_done >= commitment.uses_total:
                raise ValidationError(
                    self.env._("All %(total)s free services of %(name)s have been used.",
                               total=commitment.uses_total, name=commitment.name)
                )
            if commitment.date_deadline and commitment.date_deadline < today:
                raise ValidationError(
                    self.env._("The period of %(name)s ended on %(date)s.",
                               name=commitment.name, date=commitment.date_deadline)
                )

    def _journey_consume_use(self, task):
        """A service visit used one of the promised free services."""
        self.ensure_one()
        self._journey_check_use_available()
        uses_done = self.uses_done + 1
        values = {"uses_done": uses_done}
        if uses_done >= self.uses_total:
            values.update(
                fulfillment_state="fulfilled",
                fulfilled_by_id=self.env.uid,
                fulfilled_on=fields.Datetime.now(),
            )
        else:
            values["fulfillment_state"] = "in_progress"
        # sudo: a use is consumed by finishing the visit, never written by a caller.
        self.sudo().write(values)
        self.sudo().message_post(
            body=self.env._("Free service %(done)s of %(total)s used by %(task)s.",
                            done=uses_done, total=self.uses_total, task=task.name),
            author_id=self.env.user.partner_id.id,
        )

    # ------------------------------------------------------------------
    # Follow-up of promises due after the delivery
    # ------------------------------------------------------------------

    def _journey_get_responsible(self):
        """Who keeps this promise: the department's person for this customer."""
        self.ensure_one()
        if self.department == "after_sales":
            user = self.partner_id.commercial_partner_id.journey_service_advisor_id
        elif self.department == "delivery":
            user = (self.delivery_task_id or self.order_id.journey_task_ids.filtered(
                lambda t: t.journey_work_type == "delivery"))[:1].user_ids[:1]
        else:
            user = self.user_id
        return user or self.user_id

    @api.model
    def _cron_journey_follow_up(self):
        """Remind before a promise falls due; close free services whose period ended."""
        today = fields.Date.context_today(self)
        to_remind = self.search(
            [
                ("is_current", "=", True),
                ("reminder_sent", "=", False),
                ("order_id.state", "=", "sale"),
                ("fulfillment_state", "in", ("open", "in_progress", "partial", "deferred")),
                ("date_due", "!=", False),
                ("date_due", "<=", today + timedelta(days=REMINDER_DAYS)),
            ]
        )
        for commitment in to_remind:
            user = commitment._journey_get_responsible()
            if user:
                commitment.activity_schedule(
                    "journey_service.mail_act_commitment_due",
                    date_deadline=commitment.date_due,
                    user_id=user.id,
                    note=self.env._("%(customer)s was promised: %(promise)s",
                                    customer=commitment.partner_id.name or "",
                                    promise=commitment.name),
                )
        to_remind.sudo().write({"reminder_sent": True})
        ended = self.search(
            [
                ("is_current", "=", True),
                ("category", "=", "free_service"),
                ("due_rule", "=", "over_period"),
                ("fulfillment_state", "in", ("open", "in_progress")),
                ("order_id.state", "=", "sale"),
                ("date_deadline", "<", today),
            ]
        )
        for commitment in ended:
            # sudo: the period's end closes the promise, whoever runs the job.
            commitment.sudo().write(
                {"fulfillment_state": "fulfilled", "fulfilled_on": fields.Datetime.now()}
            )
            commitment.message_post(
                body=self.env._("The period ended with %(done)s of %(total)s free services used.",
                                done=commitment.uses_done, total=commitment.uses_total)
            )
