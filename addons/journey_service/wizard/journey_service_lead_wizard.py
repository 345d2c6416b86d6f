from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime, plaintext2html

from ..models.crm_lead import LEAD_GRADE_SELECTION, LEAD_KIND_SELECTION

# Grade A leads come first in the salesperson's pipeline.
GRADE_PRIORITY = {"a": "2", "b": "1"}


class JourneyServiceLeadWizard(models.TransientModel):
    """The workshop hears of a need or a friend: the advisor passes it to the
    customer's salesperson, who is then expected to answer within 24 hours.

    The advisor does not need any right on the salesperson's leads: the lead is
    created as superuser once the checks are done, and a record rule lets the
    advisor read the leads they raised, and only those.
    """

    _name = "journey.service.lead.wizard"
    _description = "Raise a Sales Lead from After-Sales"

    task_id = fields.Many2one(
        "project.task",
        string="Service Visit",
        domain="[('journey_work_type', '=', 'service')]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    kind = fields.Selection(LEAD_KIND_SELECTION)
    grade = fields.Selection(LEAD_GRADE_SELECTION)
    note = fields.Text(help="What the customer said or what you noticed, in their words.")
    referral_name = fields.Char(string="Friend's Name")
    referral_phone = fields.Char(string="Friend's Phone")
    referral_email = fields.Char(string="Friend's Email")
    salesperson_id = fields.Many2one(
        "res.users", string="Goes To", compute="_compute_assignment"
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", compute="_compute_assignment")

    @api.depends("task_id")
    def _compute_partner_id(self):
        for wizard in self:
            if wizard.task_id.partner_id:
                wizard.partner_id = wizard.task_id.partner_id

    @api.depends("partner_id")
    def _compute_assignment(self):
        for wizard in self:
            salesperson, team = wizard._journey_find_assignee() if wizard.partner_id else (False, False)
            wizard.salesperson_id = salesperson
            wizard.team_id = team

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------

    def _journey_find_assignee(self):
        """The customer's salesperson and their team; else the leader of the team
        of the customer's last order, or of the default team. Users who left are
        skipped."""
        self.ensure_one()
        teams = self.env["crm.team"]
        team_domain = [("use_opportunities", "=", True)]
        salesperson = self.partner_id._journey_get_salesperson()
        if salesperson and salesperson.active and not salesperson.share:
            return salesperson, teams._get_default_team_id(user_id=salesperson.id, domain=team_domain)
        last_order = self.env["sale.order"].sudo().search(
            [
                ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
                ("state", "!=", "cancel"),
                ("team_id", "!=", False),
            ],
            order="date_order desc, id desc",
            limit=1,
        )
        for team in (last_order.team_id, teams._get_default_team_id(domain=team_domain)):
            if team.user_id.active:
                return team.user_id, team.with_env(self.env)
        return self.env["res.users"], teams

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------

    def _check_lead(self):
        self.ensure_one()
        if not self.env.user.has_group("journey_crm.group_service_advisor"):
            raise AccessError(
                self.env._("Only service advisors and after-sales managers raise sales leads from after-sales.")
            )
        if not self.partner_id:
            raise UserError(self.env._("Choose the customer the lead comes from."))
        if (
            self.task_id
            and self.task_id.partner_id.commercial_partner_id != self.partner_id.commercial_partner_id
        ):
            raise UserError(
                self.env._("The visit %(visit)s is not %(customer)s's.",
                           visit=self.task_id.display_name, customer=self.partner_id.display_name)
            )
        if not self.kind or not self.grade:
            raise UserError(self.env._("Say what kind of lead it is and how clear the need is (A or B)."))
        if not (self.note or "").strip():
            raise UserError(
                self.env._("Write down what the customer said: the salesperson starts from your note.")
            )
        if self.kind == "referral" and not (self.referral_name or "").strip():
            raise UserError(self.env._("A referral needs the friend's name."))

    def _prepare_lead_values(self, salesperson, team):
        self.ensure_one()
        customer = self.partner_id
        kind_label = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        values = {
            "type": "opportunity",
            "user_id": salesperson.id,
            "team_id": team.id,
            "company_id": (self.task_id.company_id or self.env.company).id,
            "priority": GRADE_PRIORITY[self.grade],
            "description": plaintext2html(self.note.strip()),
            "journey_lead_kind": self.kind,
            "journey_lead_grade": self.grade,
            "journey_origin": "service",
            "journey_source_task_id": self.task_id.id,
            "journey_source_partner_id": customer.id,
            "journey_origin_user_id": self.env.uid,
        }
        if self.kind == "referral":
            friend = self.referral_name.strip()
            values.update(
                name=self.env._("%(kind)s: %(friend)s (from %(customer)s)",
                                kind=kind_label, friend=friend, customer=customer.name),
                contact_name=friend,
                phone=self.referral_phone,
                email_from=self.referral_email,
                referred=customer.name,
                journey_referrer_id=customer.id,
            )
        else:
            values.update(
                name=self.env._("%(kind)s: %(customer)s", kind=kind_label, customer=customer.name),
                partner_id=customer.id,
            )
        return values

    def action_confirm(self):
        self._check_lead()
        salesperson, team = self._journey_find_assignee()
        if not salesperson:
            raise UserError(
                self.env._(
                    "Nobody can take this lead: %(customer)s has no salesperson and no sales team "
                    "has a leader. Ask a sales manager to give the customer a salesperson or the "
                    "sales team a leader.",
                    customer=self.partner_id.display_name,
                )
            )
        # The advisor may not see the salesperson's pipeline: create as superuser,
        # after the checks above. The advisor stays the author of the lead.
        lead = (
            self.env["crm.lead"]
            .sudo()
            .with_context(journey_lead_creation=True)
            .create(self._prepare_lead_values(salesperson, team))
        )
        deadline = lead.journey_response_deadline
        lead.activity_schedule(
            "journey_service.mail_act_service_lead",
            date_deadline=fields.Datetime.context_timestamp(
                lead.with_context(tz=salesperson.tz), deadline
            ).date(),
            user_id=salesperson.id,
            note=plaintext2html(self.note.strip()),
        )
        lead.message_post(
            body=self._journey_lead_message(lead, salesperson),
            subtype_xmlid="mail.mt_note",
        )
        if self.task_id:
            self.task_id.sudo().message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Sales lead %(lead)s sent to %(user)s (grade %(grade)s), to be answered by %(date)s.",
                    lead=lead._get_html_link(),
                    user=salesperson.name,
                    grade=self.grade.upper(),
                    date=format_datetime(self.env, deadline, dt_format="short"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Lead sent to %(user)s, to be answered by %(date)s.",
                    user=salesperson.name,
                    date=format_datetime(self.env, deadline, dt_format="short"),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _journey_lead_message(self, lead, salesperson):
        if self.task_id:
            intro = self.env._(
                "Raised by %(advisor)s during the visit %(visit)s of %(customer)s; assigned to %(user)s.",
                advisor=self.env.user.name,
                visit=self.task_id._get_html_link(),
                customer=self.partner_id.name,
                user=salesperson.name,
            )
        else:
            intro = self.env._(
                "Raised by %(advisor)s in after-sales for %(customer)s; assigned to %(user)s.",
                advisor=self.env.user.name,
                customer=self.partner_id.name,
                user=salesperson.name,
            )
        return Markup("<p>%s</p>%s") % (intro, plaintext2html(self.note.strip()))
