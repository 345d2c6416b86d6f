from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools.sql import column_exists, create_column

from ..tools import field_labels, is_module_uninstalling
from .journey_commitment import OPEN_STATES

# The salesperson's declaration: set by "Declare Checklist Complete" only.
DECLARATION_FIELDS = ("commitments_declared_by_id", "commitments_declared_on")
# What the customer's signature in the portal writes on the order.
SIGNATURE_FIELDS = ("signature", "signed_by", "signed_on")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    commitment_ids = fields.One2many(
        "journey.commitment",
        "order_id",
        string="Commitments",
        domain=[("is_current", "=", True)],
        copy=False,
    )
    commitment_signature_ids = fields.One2many(
        "journey.commitment.signature",
        "order_id",
        string="Commitment Signatures",
        copy=False,
    )
    commitment_required = fields.Boolean(
        string="Commitment Checklist Required",
        default=lambda self: self._default_commitment_required(),
        copy=False,
        help="The order cannot be confirmed until its commitment checklist is declared "
        "complete and every special commitment is approved.",
    )
    commitments_declared = fields.Boolean(
        string="Checklist Declared Complete", readonly=True, copy=False, tracking=True
    )
    commitments_declared_by_id = fields.Many2one(
        "res.users", string="Declared By", readonly=True, copy=False
    )
    commitments_declared_on = fields.Datetime(
        string="Declared On", readonly=True, copy=False
    )
    commitment_count = fields.Integer(compute="_compute_commitment_counts")
    commitment_open_count = fields.Integer(compute="_compute_commitment_counts")
    commitment_to_approve_count = fields.Integer(compute="_compute_commitment_counts")
    commitment_to_sign_count = fields.Integer(
        compute="_compute_commitment_counts",
        help="Commitments the customer has not signed yet in their current version.",
    )
    commitment_resign_needed = fields.Boolean(
        compute="_compute_commitment_counts",
        help="The customer signed this order, and commitments changed or were added "
        "since.",
    )

    journey_confirm_blocked_reason = fields.Text(
        string="Why the Quotation Cannot Be Confirmed",
        compute="_compute_journey_confirm_blocked_reason",
        help="What the commitment checklist still needs before the order is "
        "confirmed; the confirmation itself refuses it, whoever calls it.",
    )

    def _auto_init(self):
        # Orders that exist before the module is installed were sold without a
        # checklist.
        if not column_exists(self.env.cr, "sale_order", "commitment_required"):
            create_column(self.env.cr, "sale_order", "commitment_required", "boolean")
        return super()._auto_init()

    @api.model
    def _default_commitment_required(self):
        if self.env.context.get("install_filename"):
            # Orders loaded from other modules' data files predate any checklist.
            return False
        return self.env.company.journey_commitment_required

    @api.depends(
        "commitment_ids.fulfillment_state",
        "commitment_ids.approval_state",
        "commitment_ids.signed_on",
        "signature",
        "state",
    )
    def _compute_commitment_counts(self):
        for order in self:
            commitments = order.commitment_ids.filtered(
                lambda c: c.fulfillment_state != "cancelled"
            )
            to_sign = commitments.filtered(
                lambda c: c.is_visible_to_customer and not c.signed_on
            )
            order.commitment_count = len(commitments)
            order.commitment_open_count = len(
                commitments.filtered(lambda c: c.fulfillment_state in OPEN_STATES)
            )
            order.commitment_to_approve_count = len(
                commitments.filtered(lambda c: c.approval_state == "to_approve")
            )
            order.commitment_to_sign_count = len(to_sign)
            order.commitment_resign_needed = bool(to_sign) and (
                bool(order.signature) or order.state == "sale"
            )

    @api.depends(
        "state",
        "commitment_required",
        "commitments_declared",
        "commitment_ids.fulfillment_state",
        "commitment_ids.policy",
        "commitment_ids.approval_state",
        "commitment_ids.name",
    )
    @api.depends_context("lang")
    def _compute_journey_confirm_blocked_reason(self):
        for order in self:
            reasons = (
                order._get_commitment_blocking_reasons()
                if order.state in ("draft", "sent")
                else []
            )
            order.journey_confirm_blocked_reason = "\n".join(reasons) or False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_journey_create_values(vals)
        orders = super().create(vals_list)
        for order in orders.filtered("opportunity_id"):
            if not order.commitment_ids:
                order._copy_commitments_from_lead()
        return orders

    @api.model
    def _check_journey_create_values(self, vals):
        if self.env.su:
            return
        forbidden = [
            name for name in DECLARATION_FIELDS + SIGNATURE_FIELDS if vals.get(name)
        ]
        if vals.get("commitments_declared"):
            forbidden.append("commitments_declared")
        if forbidden:
            raise AccessError(
                self.env._(
                    "A new quotation is neither declared nor signed: %(fields)s",
                    fields=field_labels(self, forbidden),
                )
            )
        if vals.get("commitment_required") is False and not self._may_waive_checklist(
            vals
        ):
            raise AccessError(
                self.env._("Only a sales manager sells without a commitment checklist.")
            )

    @api.model
    def _may_waive_checklist(self, vals):
        """Whether the user may create or turn an order without a checklist
        (extended by journey_service for the workshop's service orders)."""
        return self.env.user.has_group("sales_team.group_sale_manager")

    def write(self, vals):
        self._check_journey_write(vals)
        if vals.get("commitments_declared"):
            if not self.env.su:
                self._check_can_declare()
            vals = dict(
                vals,
                commitments_declared_by_id=self.env.uid,
                commitments_declared_on=fields.Datetime.now(),
            )
        elif "commitments_declared" in vals:
            vals = dict(
                vals, commitments_declared_by_id=False, commitments_declared_on=False
            )
        result = super().write(vals)
        if "commitment_date" in vals:
            self._sync_delivery_date_commitments()
        if vals.get("signature"):
            for order in self:
                order._sign_commitments_with_order(
                    vals.get("signed_by"), vals["signature"]
                )
        return result

    def _check_journey_write(self, vals):
        """The declaration, the customer's signature and the checklist obligation
        change through their own steps, whoever writes and whatever the context."""
        if self.env.su:
            return
        stamped = [name for name in DECLARATION_FIELDS if name in vals]
        if stamped:
            raise AccessError(
                self.env._(
                    "Who declared the checklist and when is recorded by the "
                    "declaration only: %(fields)s",
                    fields=field_labels(self, stamped),
                )
            )
        if any(vals.get(name) for name in SIGNATURE_FIELDS):
            raise AccessError(
                self.env._(
                    "The customer signs the quotation in the portal, in the store or "
                    "from their link."
                )
            )
        if vals.get("commitment_required") is False and self.filtered(
            "commitment_required"
        ):
            if not self._may_waive_checklist(vals):
                raise AccessError(
                    self.env._(
                        "Only a sales manager sells without a commitment checklist."
                    )
                )
        if "partner_id" in vals:
            # sudo: a signature binds the order whoever may read its commitments.
            signed = (
                self.env["journey.commitment"]
                .sudo()
                .search_count(
                    [
                        ("order_id", "in", self.ids),
                        ("signed_on", "!=", False),
                        ("partner_id", "!=", vals["partner_id"]),
                    ],
                    limit=1,
                )
            )
            if signed:
                raise UserError(
                    self.env._(
                        "The customer signed the commitments of this order: it cannot "
                        "go to another customer."
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed_commitments(self):
        # sudo: a signature binds the order whoever may read its commitments.
        signed = (
            self.env["journey.commitment"]
            .sudo()
            .search([("order_id", "in", self.ids), ("signed_on", "!=", False)], limit=1)
        )
        if signed:
            raise UserError(
                self.env._(
                    "%(order)s has commitments signed by the customer and cannot be "
                    "deleted.",
                    order=signed.order_id.name,
                )
            )

    def unlink(self):
        if not is_module_uninstalling(self.env, "journey_crm"):
            # Before the commitments go: the refusal names the order, not a line.
            # Only a module uninstall (superuser) skips it, not a caller's context.
            self._unlink_except_signed_commitments()
        self.env["journey.commitment"].search([("order_id", "in", self.ids)]).unlink()
        return super().unlink()

    def _copy_commitments_from_lead(self):
        """Each quotation made from an opportunity receives its promises."""
        self.ensure_one()
        lead_commitments = self.opportunity_id.commitment_ids.filtered(
            lambda c: c.fulfillment_state != "cancelled"
        )
        return lead_commitments._copy_to_order(self)

    def _sync_delivery_date_commitments(self):
        """The promised delivery date of the order is the delivery-date promise."""
        for order in self:
            if not order.commitment_date:
                continue
            delivery_date = fields.Date.to_date(
                fields.Datetime.context_timestamp(order, order.commitment_date)
            )
            commitments = order.commitment_ids.filtered(
                lambda c, day=delivery_date: (
                    c.category == "delivery_date"
                    and c.due_rule == "fixed_date"
                    and c.fulfillment_state in OPEN_STATES
                    and c.date_deadline != day
                )
            )
            if commitments:
                commitments.write({"date_deadline": delivery_date})

    # ------------------------------------------------------------------
    # Declaration and confirmation
    # ------------------------------------------------------------------

    def _reset_commitment_declaration(self):
        orders = self.filtered(
            lambda o: o.commitments_declared and o.state in ("draft", "sent")
        )
        if not orders:
            return
        # sudo: a changed checklist lapses the declaration, whoever changed it.
        orders.sudo().write({"commitments_declared": False})
        for order in orders:
            order.sudo().message_post(
                body=self.env._(
                    "The commitment checklist changed: the salesperson must declare it "
                    "again."
                )
            )

    def _check_can_declare(self):
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "%(order)s: only a quotation's checklist can be declared.",
                        order=order.name,
                    )
                )
            rejected = order.commitment_ids.filtered(
                lambda c: (
                    c.approval_state == "rejected"
                    and c.fulfillment_state != "cancelled"
                )
            )
            if rejected:
                raise UserError(
                    self.env._(
                        "%(order)s: cancel or change the rejected commitments first: "
                        "%(names)s",
                        order=order.name,
                        names=", ".join(rejected.mapped("name")),
                    )
                )

    def action_declare_commitments(self):
        self._check_can_declare()
        self.write({"commitments_declared": True})
        for order in self:
            order.message_post(
                body=self.env._(
                    "%(user)s declared the commitment checklist complete (%(count)s "
                    "commitments).",
                    user=self.env.user.name,
                    count=order.commitment_count,
                )
            )
        return True

    def _get_commitment_blocking_reasons(self):
        """Why the checklist stops this order from being confirmed, one line each."""
        self.ensure_one()
        if not self.commitment_required:
            return []
        reasons = []
        if not self.commitments_declared:
            reasons.append(
                self.env._(
                    "The salesperson has not declared the commitment checklist "
                    "complete."
                )
            )
        for commitment in self.commitment_ids:
            if (
                commitment.fulfillment_state == "cancelled"
                or commitment.policy != "special"
            ):
                continue
            if commitment.approval_state == "to_approve":
                reasons.append(
                    self.env._(
                        'Special commitment "%(name)s" is awaiting approval.',
                        name=commitment.name,
                    )
                )
            elif commitment.approval_state == "rejected":
                reasons.append(
                    self.env._(
                        'Special commitment "%(name)s" was rejected.',
                        name=commitment.name,
                    )
                )
        return reasons

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        reasons = self._get_commitment_blocking_reasons()
        if reasons:
            return self.env._(
                "%(order)s cannot be confirmed yet:\n%(reasons)s",
                order=self.name,
                reasons="\n".join(f"- {reason}" for reason in reasons),
            )
        return False

    def _has_to_be_signed(self):
        return (
            super()._has_to_be_signed() and not self._get_commitment_blocking_reasons()
        )

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._get_commitment_blocking_reasons()

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------

    def _get_commitments_to_sign(self):
        self.ensure_one()
        return self._get_customer_commitments().filtered(lambda c: not c.signed_on)

    def _get_customer_commitments(self):
        """The commitments the customer sees on the portal and the PDF, in the
        order the salesperson listed them."""
        self.ensure_one()
        return self.commitment_ids.filtered("is_visible_to_customer").sorted(
            lambda c: (c.sequence, c.id)
        )

    @api.model
    def _get_commitment_request_signer(self):
        """The user who acts in the current request and how the customer signs.

        Portal and payment flows run as superuser: who acted comes from the
        request, never from the environment's user.
        """
        user = request.env.user if request and request.env else self.env.user
        method = "in_store" if user._is_internal() else "portal"
        return user, method

    def _sign_commitments_with_order(self, signer_name, signature):
        """The quotation's signature also covers the commitments it shows."""
        self.ensure_one()
        to_sign = self._get_commitments_to_sign()
        if not to_sign:
            return self.env["journey.commitment.signature"]
        user, method = self._get_commitment_request_signer()
        return to_sign._sign(
            signer_name or self.partner_id.name,
            signature,
            method,
            user=user,
            order=self,
        )

    def _sign_commitments(self, signer_name, signature):
        """Sign the commitments changed or added after the order was signed."""
        self.ensure_one()
        if not self.signature and self.state != "sale":
            # Unsigned quotation (possibly still blocked by its checklist): only the
            # quotation's own signature, once allowed, covers its commitments.
            raise UserError(
                self.env._("Sign the quotation: its signature covers the commitments.")
            )
        to_sign = self._get_commitments_to_sign()
        if not to_sign:
            raise UserError(
                self.env._("Every commitment of this order is already signed.")
            )
        user, method = self._get_commitment_request_signer()
        signing = to_sign._sign(signer_name, signature, method, user=user, order=self)
        # sudo: the customer's signature is logged whoever they are.
        self.sudo().message_post(
            body=self.env._(
                "%(name)s signed the changed commitments: %(names)s",
                name=signing.name,
                names=", ".join(to_sign.mapped("name")),
            ),
            author_id=self.partner_id.id if user._is_public() else user.partner_id.id,
        )
        return signing

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_commitments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_crm.journey_commitment_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {
            "default_order_id": self.id,
            "search_default_filter_current": 1,
        }
        return action
