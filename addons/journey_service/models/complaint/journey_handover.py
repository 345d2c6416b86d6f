from odoo import api, models

from ..handover.journey_handover import OVERDUE_BATCH


class JourneyHandover(models.Model):
    _inherit = "journey.handover"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_notify_overdue(self, batch_size=OVERDUE_BATCH):
        """The hourly job of deadlines also tells the owners of a complaint, once,
        that its joint solution is late (one mechanism for every deadline of hours):
        complaints first, then the handovers in what is left of the batch."""
        done = self.env["journey.complaint"]._journey_notify_late_solutions(batch_size)
        if done >= batch_size:
            self.env["ir.cron"]._notify_progress(done=done, remaining=1)
            return None
        return super()._cron_notify_overdue(batch_size=batch_size - done)
