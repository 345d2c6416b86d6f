from odoo import fields, models

DELIVERY_STEPS = [
    ("scheduled", "Scheduled"),
    ("prepared", "Vehicle Prepared"),
    ("ceremony", "Handover Ceremony"),
]
SERVICE_STEPS = [
    ("appointment", "Appointment"),
    ("reception", "Reception"),
    ("diagnosis", "Diagnosis"),
    ("repair", "Repair"),
    ("handed_back", "Handed Back"),
    ("follow_up", "Follow-up"),
]
STEP_SELECTION = DELIVERY_STEPS + SERVICE_STEPS + [("done", "Done")]


class ProjectTaskType(models.Model):
    _inherit = "project.task.type"

    journey_step = fields.Selection(
        STEP_SELECTION,
        help="What this stage means for the dealership's reports, whatever its name. "
        "Stages without a step are the dealership's own intermediate stages.",
    )
