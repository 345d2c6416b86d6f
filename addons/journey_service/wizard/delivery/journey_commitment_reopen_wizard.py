from odoo import api, fields, models


class JourneyCommitmentReopenWizard(models.TransientModel):
    """Open a checklist line again, before the customer signs, saying why."""

    _name = "journey.commitment.reopen.wizard"
    _description = "Reopen a Checklist Line"

    commitment_ids = fields.Many2many(
        "journey.commitment", required=True, readonly=True
    )
    reason = fields.Text(
        required=True, help="Why the line is opened again: kept in the chatter."
    )

    @api.model
    def _journey_open(self, commitments):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen the Line"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_commitment_ids": commitments.ids},
        }

    def action_confirm(self):
        """The ledger checks the reopening (``journey.commitment.write``)."""
        self.ensure_one()
        self.commitment_ids.write(
            {"fulfillment_state": "open", "reopen_reason": self.reason}
        )
        return {"type": "ir.actions.act_window_close"}
