from odoo import fields, models
from odoo.exceptions import UserError

# The 0-10 scale as buttons: no score until the advisor picks the one the
# customer gave (a default would record an answer nobody gave).
SCORE_SELECTION = [(str(score), str(score)) for score in range(11)]


class JourneyNpsRecordWizard(models.TransientModel):
    """The advisor records the score the customer gave on the follow-up call."""

    _name = "journey.nps.record.wizard"
    _description = "Record the Follow-up Call"

    task_id = fields.Many2one("project.task", required=True, readonly=True)
    score = fields.Selection(
        SCORE_SELECTION,
        required=True,
        help="The score the customer gave, from 0 (not at all likely) to 10 "
        "(extremely likely).",
    )
    comment = fields.Text(help="What the customer said, in their words.")

    def action_confirm(self):
        self.ensure_one()
        if not self.score:
            raise UserError(
                self.env._("Choose the score the customer gave, from 0 to 10.")
            )
        self.env["journey.nps.answer"]._journey_record(
            self.task_id, int(self.score), self.comment, "call"
        )
        return {"type": "ir.actions.act_window_close"}
