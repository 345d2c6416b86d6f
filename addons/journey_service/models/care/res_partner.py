from odoo import api, fields, models


class ResPartner(models.Model):
    """The customer's birthday, what care contacts they decline, and their care
    events."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    journey_birthday = fields.Date(string="Birthday")
    journey_customer_success_id = fields.Many2one(
        "res.users",
        string="Customer Success Manager",
        domain="[('share', '=', False)]",
        help="Gets the care plan's activities addressed to the customer success "
        "manager.",
    )
    journey_care_opt_out_greetings = fields.Boolean(
        string="No Greetings",
        help="The customer does not want holiday and birthday greetings.",
    )
    journey_care_opt_out_surveys = fields.Boolean(
        string="No Surveys", help="The customer does not want satisfaction surveys."
    )
    journey_care_opt_out_calls = fields.Boolean(
        string="No Courtesy Contacts",
        help="The customer does not want the courtesy calls and reminders a plan "
        "allows them to decline. Safety and recall reminders are always sent.",
    )
    journey_care_event_count = fields.Integer(
        string="Care Events Count", compute="_compute_journey_care_event_count"
    )

    @api.depends_context("uid")
    def _compute_journey_care_event_count(self):
        Event = self.env["journey.care.event"]
        counts = {}
        if Event.has_access("read"):
            for partner, count in Event._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            ):
                commercial = partner.commercial_partner_id
                counts[commercial] = counts.get(commercial, 0) + count
        for partner in self:
            partner.journey_care_event_count = counts.get(
                partner._origin.commercial_partner_id, 0
            )

    def action_journey_view_care_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_care_event_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action
