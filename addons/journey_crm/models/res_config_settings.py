from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    journey_commitment_required = fields.Boolean(
        related="company_id.journey_commitment_required",
        readonly=False,
    )
