from odoo import fields, models
from odoo.exceptions import UserError


class JourneyCommitmentReasonWizard(models.TransientModel):
    _name = "journey.commitment.reason.wizard"
    _description = "Commitment Rejection or Cancellation Reason"

    commitment_ids = fields.Many2many("journey.commitment", required=True)
    mode = fields.Selection(
        [("reject", "Reject"), ("cancel", "Cancel")], required=True, default="reject"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(
                self.env._("Give the reason: the salesperson and the chatter keep it.")
            )
        if self.mode == "reject":
            self.commitment_ids.action_reject(reason=self.reason)
        else:
            self.commitment_ids.action_cancel(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
