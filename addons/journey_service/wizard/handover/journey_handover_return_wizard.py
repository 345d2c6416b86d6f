from odoo import fields, models
from odoo.exceptions import UserError


class JourneyHandoverReturnWizard(models.TransientModel):
    _name = "journey.handover.return.wizard"
    _description = "Return a Handover"

    handover_ids = fields.Many2many("journey.handover", required=True)
    reason = fields.Text(string="What Is Missing or Wrong", required=True)

    def action_return(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say what is missing or wrong."))
        return self.handover_ids.action_return(reason=self.reason)
