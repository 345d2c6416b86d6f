from odoo import api, fields, models
from odoo.exceptions import UserError

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

    commitment_ids = fields.Many2many("journey.commitment", required=True, readonly=True)
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
        commitments._journey_check_can_fulfil()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check a Promise"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_commitment_ids": commitments.ids, "default_action": action},
        }

    def _check_values(self):
        self.ensure_one()
        if self.evidence_required and not self.evidence_ids:
            raise UserError(
                self.env._("Attach the evidence (a photo, a receipt) that the promise was kept.")
            )
        if self.action == "partial" and not (self.note or "").strip():
            raise UserError(self.env._("Say what is still missing."))
        if self.action in ("deferred", "waived") and not self.customer_consent:
            raise UserError(
                self.env._("Deferring or waiving a promise needs the customer's consent.")
            )
        if self.action == "deferred" and (
            not self.date_deferred or self.date_deferred <= fields.Date.context_today(self)
        ):
            raise UserError(self.env._("Choose the new date, after today, agreed with the customer."))
        if self.action == "waived" and not (self.note or "").strip():
            raise UserError(self.env._("Give the reason the customer waives the promise."))

    def action_confirm(self):
        self.ensure_one()
        self._check_values()
        commitments = self.commitment_ids
        note = (self.note or "").strip()
        if self.action == "fulfilled":
            values, message = {}, self.env._("Kept as promised.")
            if self.evidence_ids:
                self.evidence_ids.sudo().write(
                    {"res_model": "journey.commitment", "res_id": commitments[:1].id}
                )
                values["evidence_ids"] = [fields.Command.link(a.id) for a in self.evidence_ids]
        elif self.action == "partial":
            values = {"fulfillment_note": note}
            message = self.env._("Partly kept; missing: %(note)s", note=note)
        elif self.action == "deferred":
            values = {"date_deferred": self.date_deferred, "customer_consent": True,
                      "fulfillment_note": note or False}
            message = self.env._("Deferred to %(date)s with the customer's consent.",
                                 date=self.date_deferred)
        else:
            values = {"waive_reason": note, "customer_consent": True, "fulfillment_note": note}
            message = self.env._("Waived with the customer's consent: %(reason)s", reason=note)
        commitments._journey_set_fulfillment(self.action, message, **values)
        return {"type": "ir.actions.act_window_close"}
