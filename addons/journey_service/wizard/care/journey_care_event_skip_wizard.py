from odoo import fields, models
from odoo.exceptions import UserError


class JourneyCareEventSkipWizard(models.TransientModel):
    _name = "journey.care.event.skip.wizard"
    _description = "Skip a Care Event"

    event_ids = fields.Many2many("journey.care.event", required=True)
    reason = fields.Text(required=True)

    def action_skip(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the care event is skipped."))
        return self.event_ids.action_skip(reason=self.reason)
