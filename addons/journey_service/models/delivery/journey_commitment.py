from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# A line checked at the delivery that may be opened again, before the customer signs
# the checked list, when it was recorded by mistake.
REOPEN_STATES = ("fulfilled", "partial", "deferred", "waived")
# What a decision recorded besides the state: cleared when the line is reopened.
REOPEN_CLEARED = {
    "fulfilled_by_id": False,
    "fulfilled_on": False,
    "date_deferred": False,
    "waive_reason": False,
    "customer_consent": False,
    "fulfillment_note": False,
}


class JourneyCommitment(models.Model):
    """Promises due at the delivery: on the delivery's checklist, with whether the
    promised product is in stock, and signed again by the customer once checked."""

    _inherit = "journey.commitment"  # pylint: disable=consider-merging-classes-inherited

    delivery_task_id = fields.Many2one(
        "project.task",
        string="Delivery",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The delivery whose checklist holds this promise.",
    )
    stock_status = fields.Selection(
        [
            ("in_stock", "In Stock"),
            ("missing", "Not in Stock"),
            ("no_stock", "Not Stocked"),
        ],
        compute="_compute_stock_status",
        help="Whether the promised product is on hand for the delivery.",
    )

    reopen_reason = fields.Text(
        string="Reopened Because",
        readonly=True,
        copy=False,
        help="Why the line was opened again before the customer signed the checklist.",
    )
    journey_can_reopen = fields.Boolean(
        string="Can Be Reopened",
        compute="_compute_journey_can_reopen",
        help="Checked at the delivery, and the checklist is not signed yet.",
    )

    @api.depends(
        "fulfillment_state",
        "is_current",
        "delivery_task_id.journey_checklist_signature_id",
        "delivery_task_id.journey_is_done",
    )
    def _compute_journey_can_reopen(self):
        for commitment in self:
            # sudo: whether the checklist is signed decides a button only.
            task = commitment.sudo().delivery_task_id
            commitment.journey_can_reopen = bool(
                task
                and commitment.is_current
                and commitment.fulfillment_state in REOPEN_STATES
                and not task.journey_checklist_signature_id
                and not task.journey_is_done
            )

    @api.depends("product_id", "quantity")
    @api.depends_context("company")
    def _compute_stock_status(self):
        for commitment in self:
            product = commitment.product_id
            if not product or not product.is_storable:
                commitment.stock_status = "no_stock"
            elif product.qty_available >= commitment.quantity:
                commitment.stock_status = "in_stock"
            else:
                commitment.stock_status = "missing"

    def _journey_is_due_at_delivery(self):
        self.ensure_one()
        return (
            self.is_current
            and self.fulfillment_state != "cancelled"
            and self.approval_state != "rejected"
            and (self.due_rule == "at_delivery" or self.category == "delivery_date")
        )

    @api.model_create_multi
    def create(self, vals_list):
        commitments = super().create(vals_list)
        # A promise added after the confirmation joins the open delivery's checklist.
        for commitment in commitments.filtered(
            lambda c: (
                not c.delivery_task_id
                and c.order_id.state == "sale"
                and c._journey_is_due_at_delivery()
            )
        ):
            task = commitment.order_id.journey_task_ids.filtered(
                lambda t: t.journey_work_type == "delivery" and not t.journey_is_done
            )[:1]
            if task:
                # sudo: the checklist a promise joins is the ledger's bookkeeping.
                commitment.sudo().write({"delivery_task_id": task.id})
        return commitments

    @api.model
    def _get_ledger_fields(self):
        return super()._get_ledger_fields() | {"delivery_task_id"}

    # ------------------------------------------------------------------
    # Reopening a line checked by mistake
    # ------------------------------------------------------------------

    @api.model
    def _get_fulfillment_fields(self):
        # The reason is written with the reopening, never on its own.
        return super()._get_fulfillment_fields() | {"reopen_reason"}

    def _journey_get_reopened(self, vals):
        """The lines this write moves back to open (a reopening), if any."""
        if vals.get("fulfillment_state") != "open":
            return self.browse()
        return self.filtered(lambda c: c.fulfillment_state != "open")

    def _check_frozen(self, vals):
        if self._journey_get_reopened(vals):
            # A kept or waived line is closed, except for this one transition,
            # checked by ``_journey_check_can_reopen`` whoever writes it.
            vals = {
                name: value
                for name, value in vals.items()
                if name not in {"fulfillment_state", *self._get_fulfillment_fields()}
            }
        return super()._check_frozen(vals)

    def _prepare_fulfillment_update(self, vals):
        reopened = self._journey_get_reopened(vals)
        if not reopened:
            return super()._prepare_fulfillment_update(vals)
        reopened._journey_check_can_reopen(vals.get("reopen_reason"))
        return dict(REOPEN_CLEARED, reopen_reason=vals["reopen_reason"].strip())

    def _journey_check_can_reopen(self, reason=None, check_reason=True):
        """A line of a delivery checklist, kept, partly kept, deferred or waived by
        mistake, goes back to open until the customer signs the checked list: by a
        delivery specialist (or the service advisor on an after-sales promise),
        with a reason. After the signature nobody reopens it, not even the
        superuser: the signed list would no longer match.

        :raise AccessError: the user does not check promises at the delivery
        :raise UserError: the line cannot be reopened, or the reason is missing
        """
        user = self.env.user
        for commitment in self:
            # sudo: the checklist's signature and progress decide the rule.
            task = commitment.sudo().delivery_task_id
            if not task:
                raise UserError(
                    self.env._(
                        "%(name)s is on no delivery checklist: it cannot be reopened.",
                        name=commitment.name,
                    )
                )
            if task.journey_checklist_signature_id:
                raise UserError(
                    self.env._(
                        "%(name)s: the customer signed the delivery checklist; a "
                        "signed line is not reopened.",
                        name=commitment.name,
                    )
                )
            if task.journey_is_done:
                raise UserError(
                    self.env._(
                        "%(name)s: the delivery is done; its lines are not reopened.",
                        name=commitment.name,
                    )
                )
            if not commitment.is_current or commitment.fulfillment_state not in (
                REOPEN_STATES
            ):
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: only a line kept, partly kept, "
                        "deferred or waived at the delivery is reopened.",
                        name=commitment.name,
                        state=commitment._get_fulfillment_state_label(),
                    )
                )
            if not self.env.su and not (
                user.has_group("journey_crm.group_delivery_specialist")
                or (
                    commitment.department == "after_sales"
                    and user.has_group("journey_crm.group_service_advisor")
                )
            ):
                raise AccessError(
                    self.env._(
                        "Only the delivery specialist reopens a line of the delivery "
                        "checklist."
                    )
                )
        if check_reason and not (reason or "").strip():
            raise UserError(self.env._("Say why the line is opened again."))

    def _get_fulfillment_message(self, state):
        if state == "open" and self.reopen_reason:
            return self.env._(
                "Reopened before the customer signed: %(reason)s",
                reason=self.reopen_reason,
            )
        return super()._get_fulfillment_message(state)

    def action_journey_reopen(self):
        """Ask why, then open the line again (before the customer signs)."""
        self._journey_check_can_reopen(check_reason=False)
        return self.env["journey.commitment.reopen.wizard"]._journey_open(self)

    def _get_version_carry_over(self):
        return dict(
            super()._get_version_carry_over(), delivery_task_id=self.delivery_task_id.id
        )

    def _journey_get_responsible(self):
        if self.department == "delivery":
            task = (
                self.delivery_task_id
                or self.order_id.journey_task_ids.filtered(
                    lambda t: t.journey_work_type == "delivery"
                )[:1]
            )
            if task.user_ids:
                return task.user_ids[:1]
        return super()._journey_get_responsible()

    # ------------------------------------------------------------------
    # Signing the checked list
    # ------------------------------------------------------------------

    def _prepare_signature_values(
        self, signer_name, signature, method, user, order, task=None
    ):
        """The delivery's signature covers how each promise was kept at the delivery."""
        values = super()._prepare_signature_values(
            signer_name, signature, method, user, order
        )
        if task:
            values.update(
                task_id=task.id,
                partner_id=task.partner_id.id,
                fingerprint=task._journey_get_checklist_fingerprint(),
                company_id=(task.company_id or order.company_id or self.env.company).id,
            )
        return values

    def _journey_sign_delivery(self, task, signer_name, signature, method, user=None):
        """Record the customer's signature of the checked list of ``task``."""
        self._check_can_sign(signer_name, signature)
        return self._create_signature(
            self._prepare_signature_values(
                signer_name, signature, method, user, task.journey_order_id, task=task
            )
        )
