from odoo import fields, models


class JourneyNpsRecordWizard(models.TransientModel):
    """The advisor records the score the customer gave on the follow-up call."""

    _name = "journey.nps.record.wizard"
    _description = "Record the Follow-up Call"

    task_id = fields.Many2one("project.task", required=True, readonly=True)
    score = fields.Integer(required=True, default=10)
    comment = fields.Text(help="What the customer said, in their words.")

    def action_confirm(self):
        self.ensure_one()
        self.env["journey.nps.answer"]._journey_record(
            self.task_id, self.score, self.comment, "call"
        )
        return {"type": "ir.actions.act_window_close"}
