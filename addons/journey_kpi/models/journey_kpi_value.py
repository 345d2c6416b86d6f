from odoo import fields, models

STATUS_SELECTION = [
    ("green", "On Target"),
    ("red", "Below Target"),
    ("nodata", "No Data"),
]


class JourneyKpiValue(models.Model):
    """A target's figure over one week, stored by the weekly scheduled action.
    Written once per target and week, never changed: the history the board's
    trend and the two-weeks-below-target rule read."""

    _name = "journey.kpi.value"
    _description = "Weekly KPI Value"
    _order = "week_start desc, id desc"
    _rec_name = "week_start"

    target_id = fields.Many2one(
        "journey.kpi.target", required=True, ondelete="cascade", readonly=True
    )
    measure_id = fields.Many2one(related="target_id.measure_id", store=True)
    company_id = fields.Many2one(related="target_id.company_id", store=True)
    week_start = fields.Date(string="Week Of", required=True, readonly=True)
    value = fields.Float(readonly=True, aggregator="avg")
    sample = fields.Integer(readonly=True)
    status = fields.Selection(STATUS_SELECTION, required=True, readonly=True)
    target = fields.Float(
        string="Target Then", readonly=True, help="The target when the week was stored."
    )

    _sql_constraints = [
        (
            "target_week_unique",
            "UNIQUE (target_id, week_start)",
            "A target has one value per week.",
        ),
    ]
