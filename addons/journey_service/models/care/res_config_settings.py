from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    journey_care_horizon_months = fields.Integer(
        related="company_id.journey_care_horizon_months", readonly=False
    )
    journey_care_mileage_interval = fields.Integer(
        related="company_id.journey_care_mileage_interval", readonly=False
    )
