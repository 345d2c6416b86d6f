from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    journey_is_vehicle = fields.Boolean(
        string="Is a Vehicle",
        help="Confirming an order creates one delivery task for each vehicle of this "
        "product sold.",
    )
