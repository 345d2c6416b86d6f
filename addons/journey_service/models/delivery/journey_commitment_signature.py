from odoo import fields, models


class JourneyCommitmentSignature(models.Model):
    _inherit = "journey.commitment.signature"

    task_id = fields.Many2one(
        "project.task",
        string="Delivery",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Set when the customer signed the checked list at the delivery.",
    )
