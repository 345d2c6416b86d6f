from odoo import fields, models

from ...models.workshop.journey_expedite_request import ALTERNATIVE_SELECTION


class JourneyExpediteDecisionWizard(models.TransientModel):
    _name = "journey.expedite.decision.wizard"
    _description = "Decide on an Expedite Request"

    request_id = fields.Many2one(
        "journey.expedite.request", required=True, readonly=True
    )
    decision = fields.Selection(
        [("accept", "Accept"), ("decline", "Decline")], required=True, default="accept"
    )
    promised_date = fields.Datetime(string="New Promised Time")
    alternative = fields.Selection(ALTERNATIVE_SELECTION)
    alternative_note = fields.Text(string="What We Offer")

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "accept":
            self.request_id.action_accept(self.promised_date)
        else:
            self.request_id.action_decline(self.alternative, self.alternative_note)
        return {"type": "ir.actions.act_window_close"}
