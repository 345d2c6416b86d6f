from odoo import models


class JourneyHandover(models.Model):
    _inherit = "journey.handover"  # pylint: disable=consider-merging-classes-inherited

    def action_call_done(self):
        """The advisor's first call after the delivery does the plan's call step:
        no second call."""
        result = super().action_call_done()
        handovers = self.filtered(lambda h: h.kind == "delivery_service")
        if handovers:
            # sudo: the care events of the vehicle, whoever made the call.
            events = (
                self.env["journey.care.event"]
                .sudo()
                .search(
                    [
                        ("vehicle_id", "in", handovers.task_id.journey_vehicle_id.ids),
                        ("step_id.counts_handover_call", "=", True),
                        ("state", "=", "planned"),
                    ]
                )
            )
            for handover in handovers:
                for event in events.filtered(
                    lambda e, h=handover: e.vehicle_id == h.task_id.journey_vehicle_id
                ):
                    event.write({"handover_id": handover.id})
                    event.activity_ids.unlink()
                    event._journey_mark("done", handover.call_note, user=self.env.user)
        return result
