from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

LEAD_KIND_SELECTION = [
    ("additional_purchase", "Additional Purchase"),
    ("trade_in", "Trade-In"),
    ("referral", "Referral"),
]
LEAD_GRADE_SELECTION = [
    ("a", "A - Clear Need"),
    ("b", "B - Potential"),
]
# Hours the salesperson has to answer a lead raised in after-sales.
RESPONSE_HOURS = 24
# Overdue leads notified per run of the scheduled action.
OVERDUE_BATCH = 200
# Where a lead came from and how fast it was answered (the conversion and
# response figures of leads raised in after-sales): set by raising the lead and
# by the salesperson's answer, never by a caller's create or write.
LEDGER_FIELDS = (
    "journey_origin",
    "journey_source_task_id",
    "journey_source_partner_id",
    "journey_origin_user_id",
    "journey_response_deadline",
    "journey_responded_on",
    "journey_overdue_notified",
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    journey_lead_kind = fields.Selection(
        LEAD_KIND_SELECTION,
        string="Lead Kind",
        tracking=True,
        help="What the customer may buy: another car, a trade-in of the current one, "
        "or a friend they refer.",
    )
    journey_lead_grade = fields.Selection(
        LEAD_GRADE_SELECTION,
        string="Lead Grade",
        tracking=True,
        help="A: the customer said what they need. B: a need the staff noticed.",
    )
    journey_origin = fields.Selection(
        [("service", "After-Sales Service")],
        string="Raised In",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The department that raised the lead: its conversion is measured apart.",
    )
    journey_source_task_id = fields.Many2one(
        "project.task",
        string="Raised During Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    journey_source_partner_id = fields.Many2one(
        "res.partner",
        string="Raised With Customer",
        readonly=True,
        copy=False,
        help="The customer the lead came from; for a referral, the one who referred a friend.",
    )
    journey_origin_user_id = fields.Many2one(
        "res.users",
        string="Raised By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The advisor who raised the lead. They can read it, not the salesperson's other leads.",
    )
    journey_referrer_id = fields.Many2one(
        "res.partner",
        string="Referring Customer",
        index="btree_not_null",
        help="Credited with the referral: the friend's contact, once linked to the lead, is "
        "marked as referred by this customer.",
    )
    journey_response_deadline = fields.Datetime(
        string="Response Due",
        compute="_compute_journey_response_deadline",
        store=True,
        precompute=True,
        help="The salesperson answers a lead raised in after-sales within 24 hours.",
    )
    journey_responded_on = fields.Datetime(
        string="Responded On",
        compute="_compute_journey_responded_on",
        store=True,
        tracking=True,
        help="The salesperson's first answer: a stage change, won or lost, a quotation, "
        "a message, note or done activity of the salesperson, or the Responded button.",
    )
    journey_response_overdue = fields.Boolean(
        string="Response Overdue",
        compute="_compute_journey_response_overdue",
        search="_search_journey_response_overdue",
    )
    journey_overdue_notified = fields.Boolean(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("journey_origin")
    def _compute_journey_response_deadline(self):
        now = fields.Datetime.now()
        for lead in self:
            if not lead.journey_origin:
                lead.journey_response_deadline = False
            elif not lead.journey_response_deadline:
                lead.journey_response_deadline = now + timedelta(hours=RESPONSE_HOURS)

    @api.depends("order_ids")
    def _compute_journey_responded_on(self):
        """A quotation made for the lead is an answer; the other answers are stamped
        by ``write``, ``message_post`` and ``action_journey_responded``."""
        now = fields.Datetime.now()
        for lead in self:
            if not lead.journey_responded_on and lead.journey_response_deadline and lead.order_ids:
                lead.journey_responded_on = now
            else:
                lead.journey_responded_on = lead.journey_responded_on

    @api.depends("journey_response_deadline", "journey_responded_on")
    def _compute_journey_response_overdue(self):
        now = fields.Datetime.now()
        for lead in self:
            lead.journey_response_overdue = bool(
                lead.journey_response_deadline
                and not lead.journey_responded_on
                and lead.journey_response_deadline < now
            )

    def _search_journey_response_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Search on Response Overdue with = or != only."))
        now = fields.Datetime.now()
        if (operator == "=") == bool(value):
            return [("journey_responded_on", "=", False), ("journey_response_deadline", "<", now)]
        return [
            "|",
            "|",
            ("journey_responded_on", "!=", False),
            ("journey_response_deadline", "=", False),
            ("journey_response_deadline", ">=", now),
        ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_journey_ledger_fields(vals)
        leads = super().create(vals_list)
        leads._journey_credit_referrer()
        return leads

    @api.model
    def _check_journey_ledger_fields(self, vals):
        if self.env.su:
            return
        protected = [name for name in LEDGER_FIELDS if name in vals]
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by raising a lead from after-sales and by the "
                    "salesperson's answer only: %(fields)s",
                    fields=", ".join(self._fields[name].string for name in protected),
                )
            )

    def write(self, vals):
        self._check_journey_ledger_fields(vals)
        waiting = self.browse()
        if "stage_id" in vals or vals.get("active") is False:
            waiting = self.filtered(lambda l: l.journey_response_deadline and not l.journey_responded_on)
        stages = {lead.id: lead.stage_id for lead in waiting}
        result = super().write(vals)
        waiting.filtered(
            lambda l: not l.active or l.stage_id != stages[l.id]
        )._journey_mark_responded()
        if vals.get("partner_id") or vals.get("journey_referrer_id"):
            self._journey_credit_referrer()
        return result

    def message_post(self, **kwargs):
        """The salesperson's first message, note or done activity answers the lead."""
        message = super().message_post(**kwargs)
        if (
            len(self) == 1
            and self.journey_response_deadline
            and not self.journey_responded_on
            and self.user_id == self.env.user
            and not self.env.context.get("journey_lead_creation")
            and (message.message_type == "comment" or message.mail_activity_type_id)
        ):
            self._journey_mark_responded()
        return message

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _journey_mark_responded(self):
        waiting = self.filtered(lambda l: l.journey_response_deadline and not l.journey_responded_on)
        if waiting:
            # sudo: the first answer is stamped when it happens, never typed.
            waiting.sudo().write({"journey_responded_on": fields.Datetime.now()})

    def _journey_credit_referrer(self):
        """Mark the friend's contact as referred by the customer who referred them."""
        for lead in self.filtered(lambda l: l.journey_referrer_id and l.partner_id):
            friend = lead.partner_id
            referrer = lead.journey_referrer_id
            if (
                not friend.referred_by_id
                and friend.commercial_partner_id != referrer.commercial_partner_id
            ):
                friend.referred_by_id = referrer

    def action_journey_responded(self):
        """The salesperson answered outside Odoo (a call, a visit) and says so."""
        self.check_access("write")
        self._journey_mark_responded()
        return True

    @api.model
    def _cron_journey_notify_overdue(self):
        """Hourly: tell the salesperson and their team leader, once, that a lead raised
        in after-sales waits for an answer past its 24 hours."""
        domain = [
            ("journey_response_overdue", "=", True),
            ("journey_overdue_notified", "=", False),
            ("user_id", "!=", False),
        ]
        leads = self.search(domain, limit=OVERDUE_BATCH, order="journey_response_deadline, id")
        for lead in leads:
            lead._journey_notify_overdue()
        # sudo: the notice is sent once, whoever runs the job.
        leads.sudo().write({"journey_overdue_notified": True})
        self.env["ir.cron"]._notify_progress(done=len(leads), remaining=self.search_count(domain))

    def _journey_notify_overdue(self):
        self.ensure_one()
        salesperson = self.user_id
        deadline = format_datetime(
            self.env, self.journey_response_deadline, tz=salesperson.tz, dt_format="short",
            lang_code=salesperson.lang,
        )
        self.activity_schedule(
            "journey_service.mail_act_service_lead_overdue",
            user_id=salesperson.id,
            note=self.env._(
                "%(customer)s waits for an answer since %(date)s: the lead was raised in after-sales.",
                customer=self.partner_id.name or self.contact_name or self.name,
                date=deadline,
            ),
        )
        leader = self.team_id.user_id
        if leader and leader != salesperson:
            self.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s has not answered this lead raised in after-sales; it was due on %(date)s.",
                    user=salesperson.name,
                    date=deadline,
                ),
                partner_ids=leader.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
