from odoo import api, fields, models
from odoo.exceptions import AccessError


class SaleOrder(models.Model):
    """A service order: the quotation that bills a workshop visit."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    journey_service_task_id = fields.Many2one(
        "project.task",
        string="Service Visit",
        index="btree_not_null",
        copy=False,
        help="The workshop visit this order bills.",
    )

    @api.model
    def _may_waive_checklist(self, vals):
        """The workshop's service orders bill a visit: no promise is sold with them."""
        if vals.get("journey_service_task_id") and self.env.user.has_group(
            "journey_crm.group_service_advisor"
        ):
            return True
        return super()._may_waive_checklist(vals)

    def _check_journey_write(self, vals):
        result = super()._check_journey_write(vals)
        if "journey_service_task_id" in vals and not self.env.su:
            raise AccessError(
                self.env._("A service order is linked to its visit when it is quoted.")
            )
        return result

    def _journey_start_delivery(self):
        """A service order sells no vehicle to deliver."""
        return super(
            SaleOrder, self.filtered(lambda o: not o.journey_service_task_id)
        )._journey_start_delivery()
