from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.journey_crm.models.journey_commitment import OPEN_STATES

REMINDER_BATCH = 200


class JourneyCommitment(models.Model):
    """The promises after the sale: when each one is really due, who keeps it,
    how it was kept, and a reminder before it falls due."""

    _inherit = "journey.commitment"

    vehicle_id = fields.Many2one(
        "fleet.vehicle",
        index="btree_not_null",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_due = fields.Date(
        string="Effective Due Date",
        compute="_compute_date_due",
        store=True,
        index=True,
        help="The deferred date when the customer agreed to one, otherwise the due "
        "date.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    reminder_sent = fields.Boolean(copy=False, readonly=True)

    def init(self):
        # The reminders and the Overdue filter look for open current promises by
        # their due date only.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS journey_commitment_open_due_idx
                ON journey_commitment (date_due)
             WHERE is_current AND fulfillment_state IN %s
            """,
            [OPEN_STATES],
        )

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
                and commitment.fulfillment_state in OPEN_STATES
                and commitment.date_due
                and commitment.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = self._journey_overdue_domain()
        if (operator == "=") == value:
            return domain
        return ["!", "&", "&", *domain]

    @api.model
    def _journey_overdue_domain(self):
        return [
            ("is_current", "=", True),
            ("fulfillment_state", "in", OPEN_STATES),
            ("date_due", "<", fields.Date.context_today(self)),
        ]

    @api.model
    def _get_ledger_fields(self):
        return super()._get_ledger_fields() | {"vehicle_id", "reminder_sent"}

    def _get_version_carry_over(self):
        return dict(super()._get_version_carry_over(), vehicle_id=self.vehicle_id.id)

    # ------------------------------------------------------------------
    # Fulfilment buttons (the ledger checks each decision)
    # ------------------------------------------------------------------

    def action_journey_fulfil(self):
        """Kept as promised; a type that requires evidence goes through the wizard."""
        self._check_can_fulfil()
        if any(c.type_id.evidence_required and not c.evidence_ids for c in self):
            return self.env["journey.commitment.fulfil.wizard"]._journey_open(
                self, "fulfilled"
            )
        self.write({"fulfillment_state": "fulfilled"})
        return True

    def action_journey_partial(self):
        return self.env["journey.commitment.fulfil.wizard"]._journey_open(
            self, "partial"
        )

    def action_journey_defer(self):
        return self.env["journey.commitment.fulfil.wizard"]._journey_open(
            self, "deferred"
        )

    def action_journey_waive(self):
        return self.env["journey.commitment.fulfil.wizard"]._journey_open(
            self, "waived"
        )

    # ------------------------------------------------------------------
    # Reminders before a promise falls due
    # ------------------------------------------------------------------

    def _journey_get_responsible(self):
        """Who keeps this promise: the department's person for this customer."""
        self.ensure_one()
        if self.department == "after_sales":
            user = self.partner_id.commercial_partner_id.journey_service_advisor_id
        else:
            user = self.env["res.users"]
        return user or self.user_id

    def _journey_reminder_activity_values(self):
        self.ensure_one()
        activity_type = self.env.ref("journey_service.mail_act_commitment_due")
        note = self.env._(
            "%(customer)s was promised: %(promise)s",
            customer=self.partner_id.name or "",
            promise=self.name,
        )
        return self.env["mail.activity"]._journey_activity_values(
            self,
            activity_type,
            self._journey_get_responsible(),
            note,
            date_deadline=self.date_due,
        )

    @api.model
    def _cron_journey_follow_up(self, batch_size=REMINDER_BATCH):
        """Remind the department keeping each open promise some days before it
        falls due, once: a batch per call, the activities created together; the
        scheduled action commits each batch and calls again while some remain."""
        today = fields.Date.context_today(self)
        due = self.browse()
        # Each company has its own delay (Settings > Journey); companies are few.
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            due |= self.search(
                [
                    ("is_current", "=", True),
                    ("fulfillment_state", "in", OPEN_STATES),
                    ("reminder_sent", "=", False),
                    ("company_id", "=", company.id),
                    ("date_due", "!=", False),
                    (
                        "date_due",
                        "<=",
                        today + timedelta(days=company.journey_reminder_days),
                    ),
                    ("order_id.state", "=", "sale"),
                ],
                limit=batch_size - len(due),
                # By the due date: the partial index on open promises serves it.
                order="date_due, id",
            )
            if len(due) >= batch_size:
                break
        reminded = due.filtered(lambda c: c._journey_get_responsible())
        if reminded:
            self.env["mail.activity"]._journey_schedule_batch(
                [
                    commitment._journey_reminder_activity_values()
                    for commitment in reminded
                ],
                lambda env: env._("Promises falling due"),
            )
        # sudo: each promise is reminded once, whoever runs the job.
        due.sudo().write({"reminder_sent": True})
        self.env["ir.cron"]._notify_progress(
            done=len(due), remaining=1 if len(due) >= batch_size else 0
        )
