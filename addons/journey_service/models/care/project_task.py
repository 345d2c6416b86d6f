from odoo import models


class ProjectTask(models.Model):
    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited

    def _journey_after_done(self):
        """A delivered vehicle starts its care plan."""
        result = super()._journey_after_done()
        vehicles = self.filtered(
            lambda t: t.journey_work_type == "delivery"
        ).journey_vehicle_id
        if vehicles:
            self.env["journey.care.event"]._journey_generate(vehicles)
        return result
