from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime, plaintext2html

from odoo.addons.journey_crm.tools import field_labels

LEAD_KIND_SELECTION = [
    ("additional_purchase", "Additional Purchase"),
    ("trade_in", "Trade-In"),
    ("referral", "Referral"),
]
LEAD_GRADE_SELECTION = [
    ("a", "A - Clear Need"),
    ("b", "B - Potential"),
]
# Grade A leads come first in the salesperson's pipeline.
GRADE_PRIORITY = {"a": "2", "b": "1"}
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
        help="The customer the lead came from; for a referral, the one who referred a "
        "friend.",
    )
    journey_origin_user_id = fields.Many2one(
        "res.users",
        string="Raised By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The advisor who raised the lead. They can read it, not the salesperson's "
        "other leads.",
    )
    journey_referrer_id = fields.Many2one(
        "res.partner",
        string="Referring Customer",
        index="btree_not_null",
        help="Credited with the referral: the friend's contact, once linked to the "
        "lead, is marked as referred by this customer.",
    )
    journey_response_deadline = fields.Datetime(
        string="Response Due",
        compute="_compute_journey_response_deadline",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The salesperson answers a lead raised in after-sales within the "
        "company's delay (Settings > Journey).",
    )
    journey_responded_on = fields.Datetime(
        string="Responded On",
        compute="_compute_journey_responded_on",
        store=True,
        tracking=True,
        help="The salesperson's first answer: a stage change, won or lost, a "
        "quotation, a message, note or done activity of the salesperson, or the "
        "Responded button.",
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
                hours = (
                    lead.company_id or self.env.company
                ).journey_lead_response_hours
                lead.journey_response_deadline = now + timedelta(hours=hours)

    @api.depends("order_ids")
    def _compute_journey_responded_on(self):
        """A quotation made for the lead is an answer; the other answers are stamped
        by ``write``, ``message_post`` and ``action_journey_responded``."""
        now = fields.Datetime.now()
        for lead in self:
            if (
                not lead.journey_responded_on
                and lead.journey_response_deadline
                and lead.order_ids
            ):
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
            return [
                ("journey_responded_on", "=", False),
                ("journey_response_deadline", "<", now),
            ]
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
                    "These fields are set by raising a lead from after-sales and by "
                    "the salesperson's answer only: %(fields)s",
                    fields=field_labels(self, protected),
                )
            )

    def write(self, vals):
        self._check_journey_ledger_fields(vals)
        waiting = self.browse()
        if "stage_id" in vals or vals.get("active") is False:
            waiting = self.filtered(
                lambda lead: (
                    lead.journey_response_deadline and not lead.journey_responded_on
                )
            )
        stages = {lead.id: lead.stage_id for lead in waiting}
        result = super().write(vals)
        waiting.filtered(
            lambda lead: not lead.active or lead.stage_id != stages[lead.id]
        )._journey_mark_responded()
        if vals.get("partner_id") or vals.get("journey_referrer_id"):
            self._journey_credit_referrer()
        return result

    def _message_post_after_hook(self, message, msg_vals):
        """The salesperson's first message, note or done activity answers the lead."""
        if (
            self.journey_response_deadline
            and not self.journey_responded_on
            and self.user_id
            and message.author_id == self.user_id.partner_id
            and (message.message_type == "comment" or message.mail_activity_type_id)
        ):
            self._journey_mark_responded()
        return super()._message_post_after_hook(message, msg_vals)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _journey_mark_responded(self):
        waiting = self.filtered(
            lambda lead: (
                lead.journey_response_deadline and not lead.journey_responded_on
            )
        )
        if waiting:
            # sudo: the first answer is stamped when it happens, never typed.
            waiting.sudo().write({"journey_responded_on": fields.Datetime.now()})

    def _journey_credit_referrer(self):
        """Mark the friend's contact as referred by the customer who referred them."""
        for lead in self.filtered(
            lambda lead: lead.journey_referrer_id and lead.partner_id
        ):
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
    def _cron_journey_notify_overdue(self, batch_size=OVERDUE_BATCH):
        """Tell the salesperson and their team leader, once, that a lead raised in
        after-sales waits for an answer past its deadline: a batch per call, the
        activities created together."""
        domain = [
            ("journey_response_overdue", "=", True),
            ("journey_overdue_notified", "=", False),
            ("user_id", "!=", False),
        ]
        leads = self.search(domain, limit=batch_size, order="id")
        if leads:
            Activity = self.env["mail.activity"]
            Activity._journey_schedule_batch(
                [lead._journey_overdue_activity_values() for lead in leads],
                lambda env: env._("Leads from after-sales waiting for your answer"),
            )
            leads._journey_tell_team_leaders()
            # sudo: the notice is sent once, whoever runs the job.
            leads.sudo().write({"journey_overdue_notified": True})
        self.env["ir.cron"]._notify_progress(
            done=len(leads), remaining=1 if len(leads) >= batch_size else 0
        )

    def _journey_format_deadline(self, user):
        return format_datetime(
            self.env,
            self.journey_response_deadline,
            tz=user.tz,
            dt_format="short",
            lang_code=user.lang,
        )

    def _journey_overdue_activity_values(self):
        """The activity telling the salesperson that this lead waits for an answer."""
        self.ensure_one()
        activity_type = self.env.ref("journey_service.mail_act_service_lead_overdue")
        user = self.user_id
        note = self.env._(
            "%(customer)s waits for an answer since %(date)s: the lead was raised "
            "in after-sales.",
            customer=self.partner_id.name or self.contact_name or self.name,
            date=self._journey_format_deadline(user),
        )
        return self.env["mail.activity"]._journey_activity_values(
            self, activity_type, user, note
        )

    def _journey_tell_team_leaders(self):
        """Each team leader hears once, in one notice, of the leads their team has
        not answered in time."""
        by_leader = {}
        for lead in self.filtered(
            lambda lead: lead.team_id.user_id and lead.team_id.user_id != lead.user_id
        ):
            by_leader.setdefault(lead.team_id.user_id, self.browse())
            by_leader[lead.team_id.user_id] |= lead
        for leader, leads in by_leader.items():
            env = self.with_context(lang=leader.lang).env  # the leader's language
            items = Markup("").join(
                Markup('<li><a href="/odoo/crm.lead/%s">%s</a>: %s</li>')
                % (
                    lead.id,
                    lead.name,
                    env._(
                        "%(user)s has not answered; it was due on %(date)s.",
                        user=lead.user_id.name,
                        date=lead._journey_format_deadline(leader),
                    ),
                )
                for lead in leads
            )
            # sudo: the leader is told whatever the job's user may read of them.
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=leader.partner_id.ids,
                subject=env._("Leads from after-sales your team has not answered"),
                body=Markup("<ul>%s</ul>") % items,
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Raising a lead from after-sales
    # ------------------------------------------------------------------

    @api.model
    def _journey_check_service_lead(
        self, partner, kind, grade, note, task=None, referral=None
    ):
        """Why a lead cannot be raised, as a translated error."""
        if not self.env.user.has_group("journey_crm.group_service_advisor"):
            raise AccessError(
                self.env._(
                    "Only service advisors and after-sales managers raise sales leads "
                    "from after-sales."
                )
            )
        if not partner:
            raise UserError(self.env._("Choose the customer the lead comes from."))
        if (
            task
            and task.partner_id.commercial_partner_id != partner.commercial_partner_id
        ):
            raise UserError(
                self.env._(
                    "The visit %(visit)s is not %(customer)s's.",
                    visit=task.display_name,
                    customer=partner.display_name,
                )
            )
        if not kind or not grade:
            raise UserError(
                self.env._(
                    "Say what kind of lead it is and how clear the need is (A or B)."
                )
            )
        if not (note or "").strip():
            raise UserError(
                self.env._(
                    "Write down what the customer said: the salesperson starts from "
                    "your note."
                )
            )
        if kind == "referral" and not ((referral or {}).get("name") or "").strip():
            raise UserError(self.env._("A referral needs the friend's name."))

    @api.model
    def _journey_prepare_service_lead_values(
        self, partner, kind, grade, note, salesperson, team, task=None, referral=None
    ):
        kind_label = dict(
            self._fields["journey_lead_kind"]._description_selection(self.env)
        )[kind]
        values = {
            "type": "opportunity",
            "user_id": salesperson.id,
            "team_id": team.id,
            "company_id": (task.company_id if task else self.env.company).id,
            "priority": GRADE_PRIORITY[grade],
            "description": plaintext2html(note.strip()),
            "journey_lead_kind": kind,
            "journey_lead_grade": grade,
            "journey_origin": "service",
            "journey_source_task_id": task.id if task else False,
            "journey_source_partner_id": partner.id,
            "journey_origin_user_id": self.env.uid,
        }
        if kind == "referral":
            friend = referral["name"].strip()
            values.update(
                name=self.env._(
                    "%(kind)s: %(friend)s (from %(customer)s)",
                    kind=kind_label,
                    friend=friend,
                    customer=partner.name,
                ),
                contact_name=friend,
                phone=referral.get("phone"),
                email_from=referral.get("email"),
                referred=partner.name,
                journey_referrer_id=partner.id,
            )
        else:
            values.update(
                name=self.env._(
                    "%(kind)s: %(customer)s", kind=kind_label, customer=partner.name
                ),
                partner_id=partner.id,
            )
        return values

    @api.model
    def _journey_raise_from_service(
        self, partner, kind, grade, note, task=None, referral=None
    ):
        """Raise a lead heard in after-sales and give it at once to the customer's
        salesperson (else a team leader), who answers it within the company's delay.

        Called by the wizard on a visit or a customer, by the demo data, and by any
        flow that hears a need (the care plan). The advisor needs no right on the
        salesperson's pipeline: the lead is created as superuser after the checks,
        and a record rule lets the advisor read the leads they raised, and only
        those.

        :param referral: for a referral, ``{"name": ..., "phone": ..., "email": ...}``
        :return: the new lead
        """
        self._journey_check_service_lead(partner, kind, grade, note, task, referral)
        salesperson, team = partner._journey_find_lead_assignee()
        if not salesperson:
            raise UserError(
                self.env._(
                    "Nobody can take this lead: %(customer)s has no salesperson and no "
                    "sales team has a leader. Ask a sales manager to give the customer "
                    "a salesperson or the sales team a leader.",
                    customer=partner.display_name,
                )
            )
        # sudo: the advisor may not see the salesperson's pipeline (see the docstring).
        lead = self.sudo().create(
            self._journey_prepare_service_lead_values(
                partner, kind, grade, note, salesperson, team, task, referral
            )
        )
        deadline = lead.journey_response_deadline
        lead.activity_schedule(
            "journey_service.mail_act_service_lead",
            date_deadline=fields.Datetime.context_timestamp(
                lead.with_context(tz=salesperson.tz), deadline
            ).date(),
            user_id=salesperson.id,
            note=plaintext2html(note.strip()),
        )
        lead.message_post(
            body=lead._journey_raised_message(partner, note, task),
            subtype_xmlid="mail.mt_note",
        )
        if task:
            # sudo: the visit keeps a note of the lead, whoever may write on it.
            task.sudo().message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Sales lead %(lead)s sent to %(user)s (grade %(grade)s), to be "
                    "answered by %(date)s.",
                    lead=lead._get_html_link(),
                    user=salesperson.name,
                    grade=grade.upper(),
                    date=format_datetime(self.env, deadline, dt_format="short"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return lead.sudo(False)

    def _journey_raised_message(self, partner, note, task):
        self.ensure_one()
        if task:
            intro = self.env._(
                "Raised by %(advisor)s during the visit %(visit)s of %(customer)s; "
                "assigned to %(user)s.",
                advisor=self.env.user.name,
                visit=task._get_html_link(),
                customer=partner.name,
                user=self.user_id.name,
            )
        else:
            intro = self.env._(
                "Raised by %(advisor)s in after-sales for %(customer)s; assigned to "
                "%(user)s.",
                advisor=self.env.user.name,
                customer=partner.name,
                user=self.user_id.name,
            )
        return Markup("<p>%s</p>%s") % (intro, plaintext2html(note.strip()))
