from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a care event's activity done does the event, once none is
        left."""
        event_ids = [a.res_id for a in self if a.res_model == "journey.care.event"]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if event_ids:
            # sudo: the assignee marking their activity done completes the event.
            # (sudo keeps the user: the event is done by who marked the activity.)
            self.env["journey.care.event"].sudo().browse(
                event_ids
            )._journey_after_activities_done(feedback)
        return result
