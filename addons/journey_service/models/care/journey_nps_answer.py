from odoo import api, models


class JourneyNpsAnswer(models.Model):
    """The care event that asked the question tells the customer's answer."""

    _inherit = "journey.nps.answer"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        answers = super().create(vals_list)
        # sudo: the events that asked about these tasks, whoever recorded the answer.
        events = (
            self.env["journey.care.event"]
            .sudo()
            .search(
                [
                    ("task_id", "in", answers.task_id.ids),
                    ("step_id.action", "=", "nps"),
                    ("state", "=", "done"),
                ]
            )
        )
        for answer in answers:
            events.filtered(
                lambda e, task=answer.task_id: e.task_id == task
            )._journey_tell_nps_answer(answer)
        return answers
