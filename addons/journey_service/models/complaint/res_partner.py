from odoo import api, fields, models
from odoo.exceptions import AccessError

# Set from the customer's NPS answers; an after-sales manager may clear them once
# the customer is won back.
CHURN_FIELDS = ("journey_churn_risk", "journey_churn_company_id")


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    journey_churn_risk = fields.Boolean(
        string="Churn Risk",
        copy=False,
        tracking=True,
        help="Two NPS answers in a row at or below the company's threshold: the area "
        "manager calls the customer to win them back.",
    )
    journey_churn_company_id = fields.Many2one(
        "res.company",
        string="Churn Risk At",
        copy=False,
        help="The dealership whose answers flagged the customer.",
    )
    journey_area_manager_id = fields.Many2one(
        "res.users",
        string="Area Manager",
        compute="_compute_journey_area_manager_id",
        help="The after-sales manager of the customer's company (the dealership "
        "that flagged them, else the customer's or the current company).",
    )
    journey_complaint_ids = fields.One2many(
        "journey.complaint", "partner_id", string="Complaints"
    )
    journey_complaint_count = fields.Integer(
        string="Complaint Count", compute="_compute_journey_complaint_count"
    )

    @api.depends("journey_churn_company_id", "company_id")
    @api.depends_context("company")
    def _compute_journey_area_manager_id(self):
        for partner in self:
            company = (
                partner.journey_churn_company_id
                or partner.company_id
                or self.env.company
            )
            partner.journey_area_manager_id = company._journey_area_manager()

    @api.depends_context("uid")
    def _compute_journey_complaint_count(self):
        if not self.env["journey.complaint"].has_access("read"):
            # Users without a dealership role open partners and tasks too.
            self.journey_complaint_count = 0
            return
        counts = dict(
            self.env["journey.complaint"]._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.journey_complaint_count = sum(
                count
                for complainant, count in counts.items()
                if complainant.commercial_partner_id == partner.commercial_partner_id
            )

    def write(self, vals):
        if (
            set(vals) & set(CHURN_FIELDS)
            and not self.env.su
            and not self.env.user.has_group("journey_crm.group_aftersales_manager")
        ):
            raise AccessError(
                self.env._(
                    "The churn risk follows the customer's NPS answers; only an "
                    "after-sales manager clears it."
                )
            )
        return super().write(vals)

    def action_journey_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_complaint_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
