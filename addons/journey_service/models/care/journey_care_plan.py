from odoo import api, fields, models

# Vehicles regenerated at once when a plan changes; the scheduled action does the
# rest (their horizon is cleared, so it takes them first).
REGENERATE_NOW = 200


class JourneyCarePlan(models.Model):
    """What the dealership does for a vehicle after its delivery, step by step.

    Which plan a vehicle follows: among the active plans of its company, a plan
    naming the vehicle's model beats a plan for every model; then the lowest
    sequence wins (then the oldest plan). A plan naming other models only does not
    apply.
    """

    _name = "journey.care.plan"
    _description = "Care Plan"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        help="When several plans fit a vehicle equally well, the lowest number wins.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    vehicle_model_ids = fields.Many2many(
        "fleet.vehicle.model",
        string="Vehicle Models",
        help="Leave empty for every model. A plan naming a vehicle's model is chosen "
        "before a plan for every model.",
    )
    step_ids = fields.One2many("journey.care.plan.step", "plan_id", string="Steps")
    step_count = fields.Integer(compute="_compute_step_count")
    event_count = fields.Integer(compute="_compute_event_count")
    description = fields.Text()

    @api.depends("step_ids")
    def _compute_step_count(self):
        for plan in self:
            plan.step_count = len(plan.step_ids)

    def _compute_event_count(self):
        counts = dict(
            self.env["journey.care.event"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.event_count = counts.get(plan, 0)

    # ------------------------------------------------------------------
    # Which plan a vehicle follows
    # ------------------------------------------------------------------

    @api.model
    def _journey_plans_for_vehicles(self, vehicles):
        """``{vehicle: plan}`` for each vehicle that has a plan, in one search."""
        # sudo: the plan a vehicle follows does not depend on who triggers it.
        plans = self.sudo().search([("company_id", "in", vehicles.company_id.ids)])
        result = {}
        for vehicle in vehicles:
            candidates = plans.filtered(
                lambda p, v=vehicle: (
                    p.company_id == v.company_id
                    and (not p.vehicle_model_ids or v.model_id in p.vehicle_model_ids)
                )
            )
            if candidates:
                result[vehicle] = candidates.sorted(
                    lambda p: (not p.vehicle_model_ids, p.sequence, p.id)
                )[0]
        return result

    # ------------------------------------------------------------------
    # Regeneration
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans._journey_regenerate_events()
        return plans

    def write(self, vals):
        companies = self.company_id
        result = super().write(vals)
        if set(vals) - {"name", "description", "message_main_attachment_id"}:
            self._journey_regenerate_events(companies)
        return result

    def unlink(self):
        companies = self.company_id
        # sudo: planned events of a deleted plan go with it; done ones stay
        # (the steps refuse to go then).
        self.env["journey.care.event"].sudo().search(
            [("plan_id", "in", self.ids), ("state", "=", "planned")]
        ).unlink()
        result = super().unlink()
        self.browse()._journey_regenerate_events(companies)
        return result

    def _journey_regenerate_events(self, companies=None):
        """Plans changed: the planned events of their companies' vehicles are made
        again (done, skipped and failed ones are never touched). A few vehicles at
        once; the scheduled action takes the others first."""
        companies = (companies or self.env["res.company"]) | self.company_id
        if not companies:
            return
        Vehicle = self.env["fleet.vehicle"].sudo()
        # sudo: every vehicle of the company follows the plans, whoever edits them.
        vehicles = Vehicle.search(
            [("company_id", "in", companies.ids), *Vehicle._journey_care_domain()]
        )
        vehicles.write({"journey_care_horizon_date": False})
        self.env["journey.care.event"]._journey_generate(vehicles[:REGENERATE_NOW])

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_care_event_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"search_default_planned": 1}
        return action
