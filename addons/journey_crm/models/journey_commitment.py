import hashlib
import json

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_repr, format_date

from .journey_commitment_type import (
    DEPARTMENT_SELECTION,
    DUE_RULE_SELECTION,
    POLICY_SELECTION,
)

APPROVAL_SELECTION = [
    ("not_required", "Not Required"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
FULFILLMENT_SELECTION = [
    ("open", "Open"),
    ("in_progress", "In Progress"),
    ("partial", "Partly Fulfilled"),
    ("fulfilled", "Fulfilled"),
    ("deferred", "Deferred"),
    ("waived", "Waived"),
    ("cancelled", "Cancelled"),
]
# What the customer reads and signs: changing one of these on a signed
# commitment creates a new version instead of rewriting the signed one.
SIGNED_FIELDS = (
    "name",
    "type_id",
    "quantity",
    "due_rule",
    "due_days",
    "period_months",
    "uses_total",
    "date_deadline",
)
# Changing one of these changes the checklist the salesperson declared.
LIST_FIELDS = SIGNED_FIELDS + ("policy", "order_id", "lead_id")
OPEN_STATES = ("open", "in_progress", "partial", "deferred")
# Set only by approvals, signatures and versioning, never by a user's write.
PROTECTED_FIELDS = (
    "approval_state",
    "approved_by_id",
    "approved_on",
    "signed_on",
    "signed_fingerprint",
    "signature_ids",
    "version",
    "previous_version_id",
    "next_version_id",
    "is_current",
)
APPROVAL_ACTIVITY = "journey_crm.mail_act_commitment_approval"


class JourneyCommitment(models.Model):
    _name = "journey.commitment"
    _description = "Commitment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "order_id, sequence, id"
    _check_company_auto = True
    _rec_names_search = ["name", "order_id.name", "partner_id.name"]

    name = fields.Char(
        string="Promise",
        tracking=True,
        help="The promise as the customer reads it.",
    )
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "journey.commitment.type",
        required=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    category = fields.Selection(related="type_id.category", store=True, precompute=True)
    department = fields.Selection(
        DEPARTMENT_SELECTION,
        compute="_compute_from_type",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Department that fulfils this promise.",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index=True,
        check_company=True,
        ondelete="set null",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="The salesperson responsible for the promise; follows the order's salesperson.",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_from_type",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Product handed over to keep the promise (floor mats, dash cam).",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_amount = fields.Monetary(
        string="Internal Cost",
        currency_field="currency_id",
        help="What keeping the promise costs the dealership. Never shown to the customer.",
    )
    due_rule = fields.Selection(
        DUE_RULE_SELECTION,
        compute="_compute_due_rule",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    due_days = fields.Integer(
        string="Due Within (Days)",
        compute="_compute_due_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    period_months = fields.Integer(
        string="Period (Months)",
        compute="_compute_period_months",
        store=True,
        readonly=False,
        precompute=True,
    )
    uses_total = fields.Integer(
        string="Number of Uses",
        compute="_compute_uses_total",
        store=True,
        readonly=False,
        precompute=True,
    )
    uses_done = fields.Integer(tracking=True)
    date_deadline = fields.Date(
        string="Due Date",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="An explicit date for promises due by a fixed date; otherwise computed from "
        "the due rule once the delivery date is known.",
    )
    policy = fields.Selection(
        POLICY_SELECTION,
        compute="_compute_policy",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="A salesperson may raise a standard promise to special, never lower a special one.",
    )
    approval_state = fields.Selection(
        APPROVAL_SELECTION,
        default="not_required",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    approved_on = fields.Datetime(string="Decided On", readonly=True, copy=False)
    rejection_reason = fields.Text(copy=False, tracking=True)
    signed_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    signed_fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="Hash of what the customer read and signed.",
    )
    signature_ids = fields.Many2many(
        "journey.commitment.signature",
        "journey_commitment_signature_rel",
        "commitment_id",
        "signature_id",
        string="Signatures",
        readonly=True,
        copy=False,
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_version_id = fields.Many2one(
        "journey.commitment",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    next_version_id = fields.Many2one(
        "journey.commitment",
        string="Replaced By",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    is_current = fields.Boolean(
        string="Current Version",
        default=True,
        readonly=True,
        copy=False,
        index=True,
    )
    fulfillment_state = fields.Selection(
        FULFILLMENT_SELECTION,
        string="Fulfilment",
        default="open",
        required=True,
        copy=False,
        tracking=True,
    )
    fulfilled_by_id = fields.Many2one("res.users", copy=False)
    fulfilled_on = fields.Datetime(copy=False)
    date_deferred = fields.Date(
        string="Deferred To",
        copy=False,
        help="New date agreed with the customer.",
    )
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "journey_commitment_evidence_rel",
        "commitment_id",
        "attachment_id",
        copy=False,
    )
    waive_reason = fields.Text(copy=False)
    cancel_reason = fields.Text(copy=False, tracking=True)
    is_visible_to_customer = fields.Boolean(
        compute="_compute_is_visible_to_customer",
        help="Current, not cancelled and not waiting for approval or rejected.",
    )
    is_signed = fields.Boolean(
        string="Signed", compute="_compute_is_signed", search="_search_is_signed"
    )
    fingerprint = fields.Char(compute="_compute_fingerprint")
    due_description = fields.Char(string="Due", compute="_compute_due_description")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    # One compute per field: a value given at creation (a due rule other than the
    # type's) must not be overwritten in the cache by a sibling computed field
    # before the due date is computed from it.
    @api.depends("type_id")
    def _compute_from_type(self):
        for commitment in self.filtered("type_id"):
            commitment.department = commitment.type_id.department
            commitment.product_id = commitment.type_id.product_id

    @api.depends("type_id")
    def _compute_policy(self):
        for commitment in self:
            commitment.policy = commitment.type_id.policy or commitment.policy or "standard"

    @api.depends("type_id")
    def _compute_due_rule(self):
        for commitment in self:
            commitment.due_rule = commitment.type_id.due_rule or commitment.due_rule or "at_delivery"

    @api.depends("type_id")
    def _compute_due_days(self):
        for commitment in self.filtered("type_id"):
            commitment.due_days = commitment.type_id.due_days

    @api.depends("type_id")
    def _compute_period_months(self):
        for commitment in self.filtered("type_id"):
            commitment.period_months = commitment.type_id.period_months

    @api.depends("type_id")
    def _compute_uses_total(self):
        for commitment in self.filtered("type_id"):
            commitment.uses_total = commitment.type_id.uses_total

    @api.depends("order_id.partner_id", "lead_id.partner_id")
    def _compute_partner_id(self):
        for commitment in self:
            partner = commitment.order_id.partner_id or commitment.lead_id.partner_id
            if partner:
                commitment.partner_id = partner

    @api.depends("order_id.user_id", "lead_id.user_id")
    def _compute_user_id(self):
        for commitment in self:
            if commitment.order_id:
                commitment.user_id = commitment.order_id.user_id
            elif commitment.lead_id:
                commitment.user_id = commitment.lead_id.user_id
            elif not commitment.user_id:
                commitment.user_id = self.env.user

    @api.depends("order_id.company_id", "lead_id.company_id")
    def _compute_company_id(self):
        for commitment in self:
            company = commitment.order_id.company_id or commitment.lead_id.company_id
            commitment.company_id = company or commitment.company_id or self.env.company

    @api.depends(
        "due_rule", "due_days", "period_months", "category", "order_id.commitment_date"
    )
    def _compute_date_deadline(self):
        for commitment in self:
            delivery = commitment.order_id.commitment_date
            delivery_date = delivery and fields.Date.to_date(
                fields.Datetime.context_timestamp(commitment, delivery)
            )
            if commitment.due_rule == "fixed_date":
                # An explicit date: only a promised delivery date is proposed.
                if not commitment.date_deadline and commitment.category == "delivery_date":
                    commitment.date_deadline = delivery_date
                continue
            if not delivery_date:
                commitment.date_deadline = False
            elif commitment.due_rule == "at_delivery":
                commitment.date_deadline = delivery_date
            elif commitment.due_rule == "days_after_delivery":
                commitment.date_deadline = delivery_date + relativedelta(days=commitment.due_days)
            else:
                commitment.date_deadline = delivery_date + relativedelta(
                    months=commitment.period_months
                )

    @api.depends("is_current", "fulfillment_state", "approval_state")
    def _compute_is_visible_to_customer(self):
        for commitment in self:
            commitment.is_visible_to_customer = (
                commitment.is_current
                and commitment.fulfillment_state != "cancelled"
                and commitment.approval_state in ("not_required", "approved")
            )

    @api.depends("signed_on")
    def _compute_is_signed(self):
        for commitment in self:
            commitment.is_signed = bool(commitment.signed_on)

    def _search_is_signed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        signed = (operator == "=") == value
        return [("signed_on", "!=" if signed else "=", False)]

    @api.depends(*SIGNED_FIELDS)
    def _compute_fingerprint(self):
        for commitment in self:
            commitment.fingerprint = commitment._get_fingerprint()

    @api.depends(
        "due_rule", "due_days", "period_months", "uses_total", "date_deadline", "partner_id.lang"
    )
    def _compute_due_description(self):
        for commitment in self:
            commitment.due_description = commitment._get_due_description()

    def _get_due_description(self):
        """The due rule as the customer reads it on the portal and the PDF."""
        self.ensure_one()
        if self.due_rule == "fixed_date":
            if not self.date_deadline:
                return self.env._("By a date to be agreed")
            return self.env._("By %(date)s", date=self._format_date(self.date_deadline))
        if self.due_rule == "at_delivery":
            rule = self.env._("At delivery")
        elif self.due_rule == "days_after_delivery":
            rule = self.env._("Within %(days)s days of delivery", days=self.due_days)
        elif self.uses_total == 1:
            rule = self.env._("Once within %(months)s months", months=self.period_months)
        else:
            rule = self.env._(
                "%(uses)s times within %(months)s months",
                uses=self.uses_total,
                months=self.period_months,
            )
        if self.date_deadline:
            return self.env._("%(rule)s (%(date)s)", rule=rule, date=self._format_date(self.date_deadline))
        return rule

    def _format_date(self, date):
        return format_date(self.env, date, lang_code=self.partner_id.lang or self.env.lang)

    # ------------------------------------------------------------------
    # Fingerprint and versions
    # ------------------------------------------------------------------

    def _get_signed_content(self, overrides=None):
        """What the customer reads, as plain values; ``overrides`` are pending changes."""
        self.ensure_one()
        overrides = overrides or {}

        def value(field_name):
            if field_name in overrides:
                field = self._fields[field_name]
                return field.convert_to_record(
                    field.convert_to_cache(overrides[field_name], self), self
                )
            return self[field_name]

        due_rule = value("due_rule")
        content = {
            "name": (value("name") or "").strip(),
            "type": value("type_id").code or "",
            "quantity": float_repr(value("quantity") or 0.0, 2),
            "due_rule": due_rule or "",
        }
        if due_rule == "days_after_delivery":
            content["due_days"] = value("due_days") or 0
        elif due_rule == "over_period":
            content["period_months"] = value("period_months") or 0
            content["uses_total"] = value("uses_total") or 0
        elif due_rule == "fixed_date":
            content["date_deadline"] = fields.Date.to_string(value("date_deadline")) or ""
        return content

    def _get_fingerprint(self, overrides=None):
        self.ensure_one()
        payload = json.dumps(self._get_signed_content(overrides), sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _create_new_versions(self, vals):
        """Keep each signed commitment as signed and carry ``vals`` on a new version."""
        new_versions = self.browse()
        for signed in self:
            default = dict(vals, version=signed.version + 1, previous_version_id=signed.id)
            for field_name in ("uses_done", "fulfillment_state", "evidence_ids"):
                default.setdefault(field_name, signed[field_name])
            new_version = signed.with_context(journey_commitment_bypass=True).copy(default)
            signed.with_context(journey_commitment_bypass=True).write(
                {"is_current": False, "next_version_id": new_version.id}
            )
            signed.message_post(
                body=self.env._(
                    "Changed after the customer signed it: version %(version)s replaces "
                    "this signed version, and the customer must sign it again.",
                    version=new_version.version,
                )
            )
            new_version.message_post(
                body=self.env._(
                    "New version of a signed commitment (version %(version)s was signed "
                    "on %(date)s). The customer must sign this version.",
                    version=signed.version,
                    date=fields.Datetime.to_string(signed.signed_on),
                )
            )
            new_versions |= new_version
        return new_versions

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    # type_id is required, hence in every creation's values: it makes the ORM run
    # the check also when a field it checks was left out of the values.
    @api.constrains("name", "type_id")
    def _check_name(self):
        for commitment in self:
            if not (commitment.name or "").strip():
                raise ValidationError(self.env._("Write the promise as the customer will read it."))

    @api.constrains("quantity", "cost_amount", "uses_done")
    def _check_amounts(self):
        for commitment in self:
            if commitment.quantity <= 0:
                raise ValidationError(
                    self.env._("%(name)s: the quantity must be positive.", name=commitment.name)
                )
            if commitment.cost_amount < 0:
                raise ValidationError(
                    self.env._("%(name)s: the internal cost cannot be negative.", name=commitment.name)
                )
            if commitment.uses_done < 0:
                raise ValidationError(
                    self.env._("%(name)s: the uses done cannot be negative.", name=commitment.name)
                )

    @api.constrains("due_rule", "due_days", "period_months", "uses_total")
    def _check_due_rule(self):
        for commitment in self:
            self.env["journey.commitment.type"]._validate_due_rule_values(
                commitment.due_rule,
                commitment.due_days,
                commitment.period_months,
                commitment.uses_total,
                commitment.name,
            )

    @api.constrains("date_deadline", "due_rule")
    def _check_date_deadline(self):
        today = fields.Date.context_today(self)
        for commitment in self:
            if commitment.due_rule != "fixed_date" or not commitment.is_current:
                continue
            if commitment.fulfillment_state not in OPEN_STATES:
                continue
            if not commitment.date_deadline and commitment.category != "delivery_date":
                raise ValidationError(
                    self.env._("%(name)s: give the date by which it is due.", name=commitment.name)
                )
            if commitment.date_deadline and commitment.date_deadline < today:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the due date %(date)s is in the past.",
                        name=commitment.name,
                        date=commitment.date_deadline,
                    )
                )

    @api.constrains("policy", "type_id")
    def _check_policy(self):
        for commitment in self:
            if commitment.type_id.policy == "special" and commitment.policy == "standard":
                raise ValidationError(
                    self.env._(
                        "%(name)s: a %(type)s promise is always special and needs approval.",
                        name=commitment.name,
                        type=commitment.type_id.name,
                    )
                )

    @api.constrains("order_id", "lead_id", "type_id")
    def _check_document(self):
        for commitment in self:
            if not commitment.order_id and not commitment.lead_id:
                raise ValidationError(
                    self.env._("%(name)s: a commitment belongs to an opportunity or a sales order.",
                      name=commitment.name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        for commitment in self:
            if commitment.signed_on or not commitment.is_current:
                raise UserError(
                    self.env._(
                        "%(name)s was signed by the customer and cannot be deleted: "
                        "cancel it with a reason instead.",
                        name=commitment.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("journey_keep_approval"):
            for vals in vals_list:
                self._check_protected_fields(vals)
        commitments = super().create(vals_list)
        to_approve = commitments.filtered(
            lambda c: c.policy == "special" and c.approval_state == "not_required"
        )
        if to_approve:
            to_approve.with_context(journey_commitment_bypass=True).write(
                {"approval_state": "to_approve"}
            )
            to_approve._schedule_approval_activities()
        commitments.order_id._reset_commitment_declaration()
        return commitments

    def write(self, vals):
        if self.env.context.get("journey_commitment_bypass"):
            return super().write(vals)
        self._check_protected_fields(vals)
        changed_fields = set(vals) & set(SIGNED_FIELDS)
        if changed_fields or "policy" in vals:
            if self.filtered(lambda c: not c.is_current):
                raise UserError(
                    self.env._(
                        "This version was signed and has been replaced by a newer one; "
                        "it cannot be changed."
                    )
                )
        signed = self.browse()
        if changed_fields:
            signed = self.filtered(
                lambda c: c.signed_on and c._get_fingerprint(vals) != c.signed_fingerprint
            )
        others = self - signed
        if signed:
            signed._create_new_versions(vals)
        result = super(JourneyCommitment, others).write(vals) if others else True
        if others and (changed_fields or "policy" in vals):
            others._back_to_approval()
        if set(vals) & set(LIST_FIELDS) or vals.get("fulfillment_state") == "cancelled":
            self.order_id._reset_commitment_declaration()
        return result

    @api.model
    def _check_protected_fields(self, vals):
        """Approvals and signatures go through their actions, never through a write."""
        if self.env.su or self.env.context.get("journey_commitment_bypass"):
            return
        protected = [name for name in PROTECTED_FIELDS if name in vals]
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by approvals and signatures only: %(fields)s",
                    fields=", ".join(self._fields[name].string for name in protected),
                )
            )

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._reset_commitment_declaration()
        return result

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        for commitment, vals in zip(self, vals_list):
            # Recompute from the document the copy belongs to.
            for field_name in ("partner_id", "user_id", "company_id"):
                if field_name not in (default or {}):
                    vals.pop(field_name, None)
            if commitment.due_rule != "fixed_date" and "date_deadline" not in (default or {}):
                vals.pop("date_deadline", None)
        if self.env.context.get("journey_keep_approval"):
            # The same promise moving from the opportunity to a quotation.
            for commitment, vals in zip(self, vals_list):
                vals.update(
                    approval_state=commitment.approval_state,
                    approved_by_id=commitment.approved_by_id.id,
                    approved_on=commitment.approved_on,
                )
        return vals_list

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def _back_to_approval(self):
        """A special promise that was edited must be approved again."""
        special = self.filtered(
            lambda c: c.policy == "special" and c.approval_state != "to_approve"
        )
        if not special:
            return
        special.with_context(journey_commitment_bypass=True).write(
            {
                "approval_state": "to_approve",
                "approved_by_id": False,
                "approved_on": False,
                "rejection_reason": False,
            }
        )
        special._schedule_approval_activities()

    def _get_approvers(self):
        self.ensure_one()
        group = self.env.ref("journey_crm.group_aftersales_manager")
        return group.sudo().users.filtered(
            lambda u: u.active
            and not u.share
            and self.company_id in u.company_ids
            and u not in (self.user_id | self.create_uid)
        )

    def _schedule_approval_activities(self):
        for commitment in self:
            for approver in commitment._get_approvers():
                commitment.sudo().activity_schedule(
                    APPROVAL_ACTIVITY,
                    user_id=approver.id,
                    summary=self.env._("Approve special commitment"),
                    note=self.env._(
                        "%(salesperson)s promised %(customer)s: %(promise)s",
                        salesperson=commitment.user_id.name or "",
                        customer=commitment.partner_id.name or "",
                        promise=commitment.name,
                    ),
                )

    def _check_can_decide(self):
        if not self.env.user.has_group("journey_crm.group_aftersales_manager"):
            raise AccessError(
                self.env._("Only after-sales and customer-experience managers decide on special commitments.")
            )
        for commitment in self:
            if commitment.approval_state != "to_approve":
                raise UserError(
                    self.env._("%(name)s is not awaiting approval.", name=commitment.name)
                )
            if self.env.user in (commitment.user_id | commitment.create_uid):
                raise UserError(
                    self.env._(
                        "%(name)s: you made this promise; another manager must decide on it.",
                        name=commitment.name,
                    )
                )

    def _close_approval_activities(self, feedback):
        self.activity_feedback([APPROVAL_ACTIVITY], user_id=self.env.uid, feedback=feedback)
        self.sudo().activity_unlink([APPROVAL_ACTIVITY])

    def action_approve(self):
        self._check_can_decide()
        self.with_context(journey_commitment_bypass=True).write(
            {
                "approval_state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        self._close_approval_activities(self.env._("Approved"))
        for commitment in self:
            commitment.message_post(body=self.env._("Special commitment approved."))
        return True

    def action_reject(self):
        """Reject with the reason filled on the commitments, or ask for it."""
        if any(not (c.rejection_reason or "").strip() for c in self):
            return self._open_reason_wizard("reject")
        self._check_can_decide()
        self.with_context(journey_commitment_bypass=True).write(
            {
                "approval_state": "rejected",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        self._close_approval_activities(self.env._("Rejected"))
        for commitment in self:
            commitment.message_post(
                body=self.env._("Special commitment rejected: %(reason)s", reason=commitment.rejection_reason),
                partner_ids=commitment.user_id.partner_id.ids,
            )
            if commitment.user_id:
                commitment.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=commitment.user_id.id,
                    summary=self.env._("Special commitment rejected"),
                    note=commitment.rejection_reason,
                )
        return True

    def action_cancel(self):
        """Cancel with the reason filled on the commitments, or ask for it."""
        if any(not (c.cancel_reason or "").strip() for c in self):
            return self._open_reason_wizard("cancel")
        for commitment in self:
            if commitment.fulfillment_state in ("fulfilled", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(name)s is already %(state)s and cannot be cancelled.",
                        name=commitment.name,
                        state=dict(FULFILLMENT_SELECTION)[commitment.fulfillment_state],
                    )
                )
            if not commitment.is_current:
                raise UserError(self.env._("Only the current version of a commitment can be cancelled."))
        self.write({"fulfillment_state": "cancelled"})
        self.sudo().activity_unlink([APPROVAL_ACTIVITY])
        for commitment in self:
            commitment.message_post(
                body=self.env._("Commitment cancelled: %(reason)s", reason=commitment.cancel_reason)
            )
        return True

    def _open_reason_wizard(self, mode):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_crm.journey_commitment_reason_wizard_action"
        )
        action["context"] = {
            "default_commitment_ids": self.ids,
            "default_mode": mode,
        }
        return action

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------

    def _sign(self, signer_name, signature, method, user=None, order=None):
        """Record one signing of these commitment versions by the customer.

        :param str signer_name: the name the customer typed
        :param signature: the signature image (base64)
        :param str method: ``portal`` (customer's own link) or ``in_store``
        :param user: the user who acted in the request (never the superuser)
        """
        if not self:
            raise UserError(self.env._("There is nothing to sign."))
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        if not (signer_name or "").strip():
            raise UserError(self.env._("Write the name of the person who signs."))
        already = self.filtered("signed_on")
        if already:
            raise UserError(
                self.env._(
                    "These commitments are already signed: %(names)s",
                    names=", ".join(already.mapped("name")),
                )
            )
        hidden = self.filtered(lambda c: not c.is_visible_to_customer)
        if hidden:
            raise UserError(
                self.env._(
                    "These commitments cannot be signed yet: %(names)s",
                    names=", ".join(hidden.mapped("name")),
                )
            )
        order = order or self.order_id[:1]
        now = fields.Datetime.now()
        for commitment in self:
            commitment.with_context(journey_commitment_bypass=True).sudo().write(
                {"signed_on": now, "signed_fingerprint": commitment._get_fingerprint()}
            )
        fingerprint = hashlib.sha256(
            "".join(sorted(self.mapped("signed_fingerprint"))).encode()
        ).hexdigest()
        signing = self.env["journey.commitment.signature"].sudo().create(
            {
                "name": signer_name.strip(),
                "signature": signature,
                "signed_on": now,
                "partner_id": (order.partner_id or self.partner_id[:1]).id,
                "order_id": order.id,
                "user_id": (user or self.env.user).id,
                "method": method,
                "fingerprint": fingerprint,
                "commitment_ids": [fields.Command.set(self.ids)],
                "company_id": (order.company_id or self.company_id[:1]).id,
            }
        )
        for commitment in self:
            commitment.sudo().message_post(
                body=self.env._("Signed by %(name)s.", name=signing.name),
            )
        return signing
