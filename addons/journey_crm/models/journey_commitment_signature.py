from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import is_module_uninstalling

SIGN_METHOD_SELECTION = [
    ("portal", "Customer's Own Link"),
    ("in_store", "In the Store"),
]


class JourneyCommitmentSignature(models.Model):
    """One signing of commitment versions by the customer.

    The sales order keeps a single signature that Odoo overwrites or clears;
    each signing of commitments is kept here, never changed or deleted.
    """

    _name = "journey.commitment.signature"
    _description = "Commitment Signature"
    _order = "signed_on desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Signed By", required=True, readonly=True)
    signature = fields.Image(
        max_width=1024, max_height=1024, required=True, readonly=True, attachment=True
    )
    signed_on = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        readonly=True,
        help="The user of the request: the customer's portal or public user, or the "
        "employee whose session the customer signed in.",
    )
    method = fields.Selection(
        SIGN_METHOD_SELECTION, string="Signed Through", required=True, readonly=True
    )
    fingerprint = fields.Char(readonly=True, help="Hash of all the versions signed.")
    commitment_ids = fields.Many2many(
        "journey.commitment",
        "journey_commitment_signature_rel",
        "signature_id",
        "commitment_id",
        string="Commitment Versions",
        readonly=True,
    )
    commitment_count = fields.Integer(compute="_compute_commitment_count")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )

    @api.depends("commitment_ids")
    def _compute_commitment_count(self):
        for signing in self:
            signing.commitment_count = len(signing.commitment_ids)

    @api.depends("name", "signed_on")
    def _compute_display_name(self):
        for signing in self:
            signing.display_name = self.env._(
                "%(name)s on %(date)s",
                name=signing.name,
                date=fields.Datetime.to_string(signing.signed_on),
            )

    def write(self, vals):
        if vals:
            raise UserError(self.env._("A customer's signature is never changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A customer's signature is never deleted."))

    def unlink(self):
        if not is_module_uninstalling(self.env, "journey_crm"):
            # Odoo skips ``@api.ondelete(at_uninstall=False)`` under a context key
            # any caller can set: only a module uninstall may delete signatures.
            self.check_access("unlink")
            self._unlink_never()
        return super().unlink()
