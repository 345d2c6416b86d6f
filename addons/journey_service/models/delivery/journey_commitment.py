from odoo import api, fields, models


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
