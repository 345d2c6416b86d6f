from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    journey_complaint_answer_hours = fields.Integer(
        related="company_id.journey_complaint_answer_hours", readonly=False
    )
    journey_churn_threshold = fields.Integer(
        related="company_id.journey_churn_threshold", readonly=False
    )
