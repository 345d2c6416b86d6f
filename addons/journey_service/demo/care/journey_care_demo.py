from odoo import api, fields, models


class JourneyCareDemo(models.AbstractModel):
    """Wang Fang's care plan after her delivery, played through the same methods
    the plan and the scheduled action use (called from ``journey_care_demo.xml``)."""

    _name = "journey.care.demo"
    _description = "Journey Care Demo Data"

    @api.model
    def _play_care(self, order_id, birthday):
        order = self.env["sale.order"].browse(order_id)
        partner = order.partner_id.commercial_partner_id
        partner.journey_birthday = fields.Date.to_date(birthday)
        vehicles = self.env["fleet.vehicle"].search(
            [("journey_order_id", "=", order.id)]
        )
        Event = self.env["journey.care.event"]
        # Her delivery was moved two months back: her plan follows it.
        Event._journey_generate(vehicles)
        due = Event.search(
            [("vehicle_id", "in", vehicles.ids), *Event._journey_due_domain()]
        )
        due._journey_carry_out()
        return vehicles
