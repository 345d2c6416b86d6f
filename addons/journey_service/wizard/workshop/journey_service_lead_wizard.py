from odoo import api, fields, models
from odoo.tools import format_datetime

from ...models.workshop.crm_lead import LEAD_GRADE_SELECTION, LEAD_KIND_SELECTION


class JourneyServiceLeadWizard(models.TransientModel):
    """The workshop hears of a need or a friend: the advisor passes it to the
    customer's salesperson (``crm.lead._journey_raise_from_service``)."""

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
    note = fields.Text(
        help="What the customer said or what you noticed, in their words."
    )
    referral_name = fields.Char(string="Friend's Name")
    referral_phone = fields.Char(string="Friend's Phone")
    referral_email = fields.Char(string="Friend's Email")
    salesperson_id = fields.Many2one(
        "res.users", string="Goes To", compute="_compute_assignment"
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_assignment"
    )

    @api.depends("task_id")
    def _compute_partner_id(self):
        for wizard in self:
            if wizard.task_id.partner_id:
                wizard.partner_id = wizard.task_id.partner_id

    @api.depends("partner_id")
    def _compute_assignment(self):
        for wizard in self:
            salesperson, team = (
                wizard.partner_id._journey_find_lead_assignee()
                if wizard.partner_id
                else (False, False)
            )
            wizard.salesperson_id = salesperson
            wizard.team_id = team

    def action_confirm(self):
        self.ensure_one()
        referral = None
        if self.kind == "referral":
            referral = {
                "name": self.referral_name,
                "phone": self.referral_phone,
                "email": self.referral_email,
            }
        lead = self.env["crm.lead"]._journey_raise_from_service(
            self.partner_id,
            self.kind,
            self.grade,
            self.note,
            task=self.task_id,
            referral=referral,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Lead sent to %(user)s, to be answered by %(date)s.",
                    user=lead.user_id.name,
                    date=format_datetime(
                        self.env, lead.journey_response_deadline, dt_format="short"
                    ),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
