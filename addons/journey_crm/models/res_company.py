from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    journey_commitment_required = fields.Boolean(
        string="Commitment Checklist Required",
        default=True,
        help="Quotations of this company cannot be confirmed until the salesperson has "
        "declared the commitment checklist complete and every special commitment "
        "is approved.",
    )
