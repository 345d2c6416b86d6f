from odoo import fields, models

from .project_task_type import STEP_SELECTION


class JourneyTaskStep(models.Model):
    """When a delivery or service task entered a journey step, and who moved it."""

    _name = "journey.task.step"
    _description = "Journey Step Entered"
    _order = "date_entered, id"

    task_id = fields.Many2one(
        "project.task", required=True, index=True, ondelete="cascade"
    )
    step = fields.Selection(STEP_SELECTION, required=True)
    stage_id = fields.Many2one("project.task.type", ondelete="set null")
    date_entered = fields.Datetime(
        string="Entered On", required=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one(
        "res.users", string="Moved By", default=lambda self: self.env.user
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True)
