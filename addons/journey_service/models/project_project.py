from odoo import api, fields, models

WORK_TYPE_SELECTION = [
    ("delivery", "Vehicle Delivery"),
    ("service", "After-Sales Service"),
]


class ProjectProject(models.Model):
    _inherit = "project.project"

    journey_work_type = fields.Selection(
        WORK_TYPE_SELECTION,
        string="Dealership Work",
        index=True,
        help="Delivery projects receive a task per vehicle sold; service projects hold "
        "workshop visits. Their tasks follow the journey steps of their stages.",
    )

    @api.model
    def _journey_get_project(self, work_type, company):
        """The project that receives ``work_type`` tasks for ``company``."""
        return self.sudo().search(
            [("journey_work_type", "=", work_type), ("company_id", "in", [company.id, False])],
            order="company_id, sequence, id",
            limit=1,
        )
