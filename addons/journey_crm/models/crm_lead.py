from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    commitment_ids = fields.One2many(
        "journey.commitment",
        "lead_id",
        string="Commitments",
        domain=[("order_id", "=", False), ("is_current", "=", True)],
        help="Promises made before any quotation; each quotation created from the "
        "opportunity receives them.",
    )
    commitment_count = fields.Integer(compute="_compute_commitment_count")
    commitment_to_approve_count = fields.Integer(
        compute="_compute_commitment_count",
        help="Special promises of the opportunity awaiting an after-sales manager's "
        "approval.",
    )
    customer_needs = fields.Text(related="partner_id.customer_needs", readonly=False)
    customer_concerns = fields.Text(
        related="partner_id.customer_concerns", readonly=False
    )
    preferred_contact_method = fields.Selection(
        related="partner_id.preferred_contact_method", readonly=False
    )
    referred_by_id = fields.Many2one(
        related="partner_id.referred_by_id",
        string="Referred By Customer",
        readonly=False,
    )

    @api.depends("commitment_ids.fulfillment_state", "commitment_ids.approval_state")
    def _compute_commitment_count(self):
        for lead in self:
            commitments = lead.commitment_ids.filtered(
                lambda c: c.fulfillment_state != "cancelled"
            )
            lead.commitment_count = len(commitments)
            lead.commitment_to_approve_count = len(
                commitments.filtered(lambda c: c.approval_state == "to_approve")
            )

    def unlink(self):
        self.env["journey.commitment"].search(
            [("lead_id", "in", self.ids), ("order_id", "=", False)]
        ).unlink()
        return super().unlink()
