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

    @api.depends("commitment_ids.fulfillment_state")
    def _compute_commitment_count(self):
        for lead in self:
            lead.commitment_count = len(
                lead.commitment_ids.filtered(
                    lambda c: c.fulfillment_state != "cancelled"
                )
            )

    def unlink(self):
        self.env["journey.commitment"].search(
            [("lead_id", "in", self.ids), ("order_id", "=", False)]
        ).unlink()
        return super().unlink()
