from odoo import api, fields, models

from ..models.journey_kpi_measure import PERIOD_SELECTION


class JourneyKpiPackWizard(models.TransientModel):
    """The monthly joint meeting pack: one XLSX file built with the requesting
    user's rights."""

    _name = "journey.kpi.pack.wizard"
    _description = "Monthly Joint Meeting Pack"

    period = fields.Selection(PERIOD_SELECTION, required=True, default="last_month")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    team_ids = fields.Many2many("crm.team", string="Sales Teams")

    @api.model
    def _journey_filters(self):
        return {}
