from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    journey_brief_hours = fields.Integer(
        related="company_id.journey_brief_hours", readonly=False
    )
    journey_call_days = fields.Integer(
        related="company_id.journey_call_days", readonly=False
    )
    journey_service_brief_hours = fields.Integer(
        related="company_id.journey_service_brief_hours", readonly=False
    )
    journey_service_call_days = fields.Integer(
        related="company_id.journey_service_call_days", readonly=False
    )
    journey_prepare_days = fields.Integer(
        related="company_id.journey_prepare_days", readonly=False
    )
    journey_reminder_days = fields.Integer(
        related="company_id.journey_reminder_days", readonly=False
    )
    journey_follow_up_days = fields.Integer(
        related="company_id.journey_follow_up_days", readonly=False
    )
    journey_repeat_visit_days = fields.Integer(
        related="company_id.journey_repeat_visit_days", readonly=False
    )
    journey_first_service_min_months = fields.Integer(
        related="company_id.journey_first_service_min_months", readonly=False
    )
    journey_first_service_max_months = fields.Integer(
        related="company_id.journey_first_service_max_months", readonly=False
    )
    journey_lead_response_hours = fields.Integer(
        related="company_id.journey_lead_response_hours", readonly=False
    )
