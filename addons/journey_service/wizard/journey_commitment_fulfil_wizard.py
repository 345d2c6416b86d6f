from odoo import api, fields, models

ACTION_SELECTION = [
    ("fulfilled", "Kept"),
    ("partial", "Partly Kept"),
    ("deferred", "Deferred"),
    ("waived", "Waived"),
]


class JourneyCommitmentFulfilWizard(models.TransientModel):
    """How a promise was kept at the delivery, with the evidence or the consent."""

    _name = "journey.commitment.fulfil.wizard"
    _description = "Check a Promise"

    commitment_ids = fields.Many2many(
        "journey.commitment", required=True, readonly=True
    )
    action = fields.Selection(ACTION_SELECTION, required=True, default="fulfilled")
    evidence_required = fields.Boolean(compute="_compute_evidence_required")
    evidence_ids = fields.Many2many("ir.attachment", string="Evidence Files")
    note = fields.Text(help="What is missing, or what was agreed with the customer.")
    date_deferred = fields.Date(string="New Date")
    customer_consent = fields.Boolean(
        string="The Customer Agrees", help="Required to defer or waive a promise."
    )

    @api.depends("commitment_ids.type_id.evidence_required", "action")
    def _compute_evidence_required(self):
        for wizard in self:
            wizard.evidence_required = wizard.action == "fulfilled" and any(
                wizard.commitment_ids.mapped("type_id.evidence_required")
            )

    @api.model
    def _journey_open(self, commitments, action):
        commitments._check_can_fulfil()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check a Promise"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_commitment_ids": commitments.ids,
                "default_action": action,
            },
        }

    def _prepare_commitment_values(self):
        """The decision as the commitments record it; the ledger checks it."""
        self.ensure_one()
        note = (self.note or "").strip()
        values = {"fulfillment_state": self.action}
        if self.action == "fulfilled" and self.evidence_ids:
            values["evidence_ids"] = [
                fields.Command.link(a.id) for a in self.evidence_ids
            ]
        elif self.action == "partial":
            values["fulfillment_note"] = note
        elif self.action == "deferred":
            values.update(
                date_deferred=self.date_deferred,
                customer_consent=self.customer_consent,
                fulfillment_note=note or False,
            )
        elif self.action == "waived":
            values.update(
                waive_reason=note,
                customer_consent=self.customer_consent,
                fulfillment_note=note,
            )
        return values

    def action_confirm(self):
        self.ensure_one()
        commitments = self.commitment_ids
        if self.evidence_ids:
            # The evidence files belong to the promise they prove.
            self.evidence_ids.write(
                {"res_model": "journey.commitment", "res_id": commitments[:1].id}
            )
        commitments.write(self._prepare_commitment_values())
        return {"type": "ir.actions.act_window_close"}
