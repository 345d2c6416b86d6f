from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    journey_kpi_tz = fields.Selection(
        related="company_id.journey_kpi_tz", readonly=False
    )
    journey_kpi_return_days = fields.Integer(
        related="company_id.journey_kpi_return_days", readonly=False
    )
    journey_kpi_care_grace_days = fields.Integer(
        related="company_id.journey_kpi_care_grace_days", readonly=False
    )
    journey_kpi_pack_row_limit = fields.Integer(
        related="company_id.journey_kpi_pack_row_limit", readonly=False
    )
    journey_kpi_trend_weeks = fields.Integer(
        related="company_id.journey_kpi_trend_weeks", readonly=False
    )
    journey_kpi_cx_manager_id = fields.Many2one(
        related="company_id.journey_kpi_cx_manager_id", readonly=False
    )
