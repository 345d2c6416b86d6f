import hashlib
import json

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_repr, format_date

from ..tools import field_labels, is_module_uninstalling
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
    # The words of the buttons the staff click (Kept, Partly Kept, Defer, Waive).
    ("partial", "Partly Kept"),
    ("fulfilled", "Kept"),
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
# What the salesperson (or a manager) edits while the promise is open.
TERMS_FIELDS = SIGNED_FIELDS + (
    "policy",
    "sequence",
    "department",
    "product_id",
    "cost_amount",
    "user_id",
    "company_id",
)
# Who the promise was made to: a signed promise stays with its customer.
DOCUMENT_FIELDS = ("order_id", "lead_id", "partner_id")
OPEN_STATES = ("open", "in_progress", "partial", "deferred")
# Open and not agreed to later: what is still to check at the delivery.
TO_CHECK_STATES = ("open", "in_progress", "partial")
# A promise in one of these states is closed: nothing about it changes any more.
CLOSED_STATES = ("fulfilled", "waived", "cancelled")
# Set by the ledger's own code only (signatures, versions, who decided and when),
# never by a caller's create or write: see ``_check_ledger_fields``.
LEDGER_FIELDS = (
    "approved_by_id",
    "approved_on",
    "signed_on",
    "signed_fingerprint",
    "signature_ids",
    "version",
    "previous_version_id",
    "next_version_id",
    "is_current",
    "fulfilled_by_id",
    "fulfilled_on",
    "uses_done",
)
# Recorded with a fulfilment decision (``fulfillment_state`` in the same write).
FULFILLMENT_FIELDS = (
    "date_deferred",
    "evidence_ids",
    "waive_reason",
    "customer_consent",
    "fulfillment_note",
)
# Roles that record how a promise was kept, deferred or waived.
FULFIL_GROUPS = (
    "journey_crm.group_delivery_specialist",
    "journey_crm.group_service_advisor",
)
# Roles that may change what was promised (the consultant on their own lines,
# through the record rules, and the managers).
TERMS_GROUPS = (
    "journey_crm.group_sales_consultant",
    "journey_crm.group_aftersales_manager",
    "sales_team.group_sale_manager",
)
APPROVAL_ACTIVITY = "journey_crm.mail_act_commitment_approval"


class JourneyCommitment(models.Model):
    _name = "journey.commitment"
    _description = "Commitment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    # Newest first, by the primary key: an order the database serves from its index
    # at any size. Lists inside a document sort by sequence (their views say so).
    _order = "id desc"
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
        help="The salesperson responsible for the promise; follows the order's "
        "salesperson.",
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
    # Quantities and rule values of different promises (mats, dash cams, services)
    # never add up: no sum in grouped lists and reports.
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", tracking=True, aggregator=None
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_amount = fields.Monetary(
        string="Internal Cost",
        currency_field="currency_id",
        help="What keeping the promise costs the dealership. Never shown to the "
        "customer.",
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
        aggregator=None,
        store=True,
        readonly=False,
        precompute=True,
    )
    period_months = fields.Integer(
        string="Period (Months)",
        compute="_compute_period_months",
        aggregator=None,
        store=True,
        readonly=False,
        precompute=True,
    )
    uses_total = fields.Integer(
        string="Number of Uses",
        compute="_compute_uses_total",
        aggregator=None,
        store=True,
        readonly=False,
        precompute=True,
    )
    uses_done = fields.Integer(
        readonly=True, copy=False, tracking=True, aggregator=None
    )
    date_deadline = fields.Date(
        string="Due Date",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="An explicit date for promises due by a fixed date; otherwise computed "
        "from the due rule once the delivery date is known.",
    )
    policy = fields.Selection(
        POLICY_SELECTION,
        compute="_compute_policy",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="A salesperson may raise a standard promise to special, never lower a "
        "special one.",
    )
    approval_state = fields.Selection(
        APPROVAL_SELECTION,
        default="not_required",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True, copy=False
    )
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
    version = fields.Integer(default=1, readonly=True, copy=False, aggregator=None)
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
        string="Fulfillment",
        default="open",
        required=True,
        copy=False,
        tracking=True,
    )
    fulfilled_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    fulfilled_on = fields.Datetime(readonly=True, copy=False)
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
    customer_consent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The customer agreed to the deferral or the waiver.",
    )
    fulfillment_note = fields.Text(
        readonly=True,
        copy=False,
        help="What is missing, or what was agreed with the customer.",
    )
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
            commitment.policy = (
                commitment.type_id.policy or commitment.policy or "standard"
            )

    @api.depends("type_id")
    def _compute_due_rule(self):
        for commitment in self:
            commitment.due_rule = (
                commitment.type_id.due_rule or commitment.due_rule or "at_delivery"
            )

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
                if (
                    not commitment.date_deadline
                    and commitment.category == "delivery_date"
                ):
                    commitment.date_deadline = delivery_date
                continue
            if not delivery_date:
                commitment.date_deadline = False
            elif commitment.due_rule == "at_delivery":
                commitment.date_deadline = delivery_date
            elif commitment.due_rule == "days_after_delivery":
                commitment.date_deadline = delivery_date + relativedelta(
                    days=commitment.due_days
                )
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

    # In the reader's language, words and dates alike: staff read it in their own
    # language; the portal, the PDF and the e-mails render with the customer's
    # language in the context. The signed content keeps the rule's values instead
    # (``_get_signed_content``), whoever reads it.
    @api.depends(
        "due_rule",
        "due_days",
        "period_months",
        "uses_total",
        "date_deadline",
    )
    @api.depends_context("lang")
    def _compute_due_description(self):
        for commitment in self:
            commitment.due_description = commitment._get_due_description()

    def _get_due_description(self):
        """The due rule in the language of the environment (the reader's)."""
        self.ensure_one()
        if self.due_rule == "fixed_date":
            if not self.date_deadline:
                return self.env._("By a date to be agreed")
            return self.env._("By %(date)s", date=self._format_date(self.date_deadline))
        if self.due_rule == "at_delivery":
            rule = self.env._("At delivery")
        elif self.due_rule == "days_after_delivery":
            rule = self.env._("Within %(days)s days of delivery", days=self.due_days)
        elif self.due_rule == "during_period":
            if self.date_deadline:
                return self.env._(
                    "For %(months)s months after delivery (until %(date)s)",
                    months=self.period_months,
                    date=self._format_date(self.date_deadline),
                )
            return self.env._(
                "For %(months)s months after delivery", months=self.period_months
            )
        elif self.uses_total == 1:
            rule = self.env._(
                "Once within %(months)s months", months=self.period_months
            )
        else:
            rule = self.env._(
                "%(uses)s times within %(months)s months",
                uses=self.uses_total,
                months=self.period_months,
            )
        if self.date_deadline:
            return self.env._(
                "%(rule)s (%(date)s)",
                rule=rule,
                date=self._format_date(self.date_deadline),
            )
        return rule

    def _get_customer_state_text(self):
        """Where the promise stands, in the customer's words (portal and PDF)."""
        self.ensure_one()
        state = self.fulfillment_state
        if state == "open":
            if self.department == "after_sales":
                return self.env._("To be provided")
            return self.env._("To be delivered")
        if state == "in_progress":
            if self.due_rule == "over_period" and self.uses_total:
                return self.env._(
                    "In use: %(done)s of %(total)s used",
                    done=self.uses_done,
                    total=self.uses_total,
                )
            return self.env._("In progress")
        if state == "partial":
            return self.env._("Partly kept, the rest to follow")
        if state == "fulfilled":
            if self.fulfilled_on:
                return self.env._(
                    "Kept on %(date)s",
                    date=self._format_date(self.fulfilled_on),
                )
            return self.env._("Kept")
        if state == "deferred":
            return self.env._(
                "Moved to %(date)s with your agreement",
                date=self._format_date(self.date_deferred),
            )
        if state == "waived":
            return self.env._("Waived with your agreement")
        return self._get_fulfillment_state_label()

    def _format_date(self, date):
        """A date in the reader's language (the environment's)."""
        return format_date(self.env, date)

    # ------------------------------------------------------------------
    # Fingerprint and versions
    # ------------------------------------------------------------------

    def _get_signed_content(self, overrides=None):
        """What the customer reads, as plain values; ``overrides`` are pending
        changes."""
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
        elif due_rule == "during_period":
            content["period_months"] = value("period_months") or 0
        elif due_rule == "fixed_date":
            content["date_deadline"] = (
                fields.Date.to_string(value("date_deadline")) or ""
            )
        return content

    def _get_fingerprint(self, overrides=None):
        self.ensure_one()
        payload = json.dumps(self._get_signed_content(overrides), sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _get_version_carry_over(self):
        """What a new version keeps from the version it replaces: what was already
        used, decided or linked, which no caller may set."""
        self.ensure_one()
        return {
            "fulfillment_state": self.fulfillment_state,
            "uses_done": self.uses_done,
            "date_deferred": self.date_deferred,
            "customer_consent": self.customer_consent,
            "fulfillment_note": self.fulfillment_note,
            "evidence_ids": [Command.set(self.evidence_ids.ids)],
        }

    def _create_new_versions(self, vals):
        """Keep each signed commitment as signed and carry ``vals`` on a new version."""
        new_versions = self.browse()
        for signed in self:
            new_version = signed.copy(vals)
            # sudo: version links and what the signed version already used or decided
            # are the ledger's bookkeeping, which no caller may write.
            new_version.sudo().write(
                dict(
                    signed._get_version_carry_over(),
                    version=signed.version + 1,
                    previous_version_id=signed.id,
                )
            )
            # sudo: likewise, the signed version is replaced by the ledger only.
            signed.sudo().write(
                {"is_current": False, "next_version_id": new_version.id}
            )
            signed.message_post(
                body=self.env._(
                    "Changed after the customer signed it: version %(version)s "
                    "replaces this signed version, and the customer must sign it "
                    "again.",
                    version=new_version.version,
                )
            )
            new_version.message_post(
                body=self.env._(
                    "New version of a signed commitment (version %(version)s was "
                    "signed on %(date)s). The customer must sign this version.",
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
                raise ValidationError(
                    self.env._("Write the promise as the customer will read it.")
                )

    @api.constrains("quantity", "cost_amount", "uses_done")
    def _check_amounts(self):
        for commitment in self:
            if commitment.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the quantity must be positive.", name=commitment.name
                    )
                )
            if commitment.cost_amount < 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the internal cost cannot be negative.",
                        name=commitment.name,
                    )
                )
            if commitment.uses_done < 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the uses done cannot be negative.",
                        name=commitment.name,
                    )
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
                    self.env._(
                        "%(name)s: give the date by which it is due.",
                        name=commitment.name,
                    )
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
            if (
                commitment.type_id.policy == "special"
                and commitment.policy == "standard"
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s: a %(type)s promise is always special and needs "
                        "approval.",
                        name=commitment.name,
                        type=commitment.type_id.name,
                    )
                )

    @api.constrains("order_id", "lead_id", "type_id")
    def _check_document(self):
        for commitment in self:
            if not commitment.order_id and not commitment.lead_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s: a commitment belongs to an opportunity or a sales "
                        "order.",
                        name=commitment.name,
                    )
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
            if commitment.fulfillment_state in CLOSED_STATES + (
                "in_progress",
                "partial",
            ):
                raise UserError(
                    self.env._(
                        "%(name)s cannot be deleted: it was already kept, partly kept "
                        "or waived, and its history is kept.",
                        name=commitment.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create_values(vals)
        commitments = super().create(vals_list)
        commitments.filtered(
            lambda c: c.policy == "special" and c.approval_state == "not_required"
        ).write({"approval_state": "to_approve"})
        commitments.order_id._reset_commitment_declaration()
        return commitments

    @api.model
    def _check_create_values(self, vals):
        """A new promise starts open, unsigned and, when special, awaiting approval:
        only the ledger's own code creates one otherwise (a new version, a copy
        of an approved promise)."""
        if self.env.su:
            return
        self._check_ledger_fields(vals)
        decided = [
            name
            for name in (
                "approval_state",
                "rejection_reason",
                "cancel_reason",
                *FULFILLMENT_FIELDS,
            )
            if vals.get(name)
        ]
        if vals.get("fulfillment_state", "open") != "open":
            decided.append("fulfillment_state")
        if decided:
            raise AccessError(
                self.env._(
                    "A new commitment starts open and undecided; these are set by "
                    "approvals and fulfillment only: %(fields)s",
                    fields=field_labels(self, decided),
                )
            )

    def write(self, vals):
        vals = self._drop_unchanged_history(dict(vals))
        if not vals:
            return True
        self._check_ledger_fields(vals)
        self._check_frozen(vals)
        self._check_terms_update(vals)
        self._check_document_update(vals)
        if "approval_state" in vals or "rejection_reason" in vals:
            vals.update(self._prepare_approval_update(vals))
        if "fulfillment_state" in vals or set(vals) & set(
            self._get_fulfillment_fields()
        ):
            vals.update(self._prepare_fulfillment_update(vals))
        if "cancel_reason" in vals and "fulfillment_state" not in vals:
            self._check_can_cancel()
        changed_fields = set(vals) & set(SIGNED_FIELDS)
        signed = self.browse()
        if changed_fields:
            signed = self.filtered(
                lambda c: (
                    c.signed_on and c._get_fingerprint(vals) != c.signed_fingerprint
                )
            )
        others = self - signed
        if signed:
            signed._create_new_versions(vals)
        result = super(JourneyCommitment, others).write(vals) if others else True
        if others and (changed_fields or "policy" in vals):
            others._back_to_approval()
        if others and vals.get("approval_state"):
            others._after_approval_update(vals["approval_state"])
        if others and vals.get("fulfillment_state"):
            others._after_fulfillment_update(vals["fulfillment_state"])
        if set(vals) & set(LIST_FIELDS) or vals.get("fulfillment_state") == "cancelled":
            self.order_id._reset_commitment_declaration()
        return result

    @api.model
    def _get_ledger_fields(self):
        """Fields that only the ledger's own code writes (extended by other addons)."""
        return set(LEDGER_FIELDS)

    @api.model
    def _get_fulfillment_fields(self):
        """Fields recorded with a fulfilment decision, never on their own."""
        return set(FULFILLMENT_FIELDS)

    @api.model
    def _check_ledger_fields(self, vals):
        """Signatures, versions and who decided are set by the ledger's own code,
        which runs as superuser after its checks; no caller, whatever their role
        or context, writes them."""
        if self.env.su:
            return
        protected = sorted(set(vals) & self._get_ledger_fields())
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by approvals, signatures and fulfillment "
                    "only: %(fields)s",
                    fields=field_labels(self, protected),
                )
            )

    def _drop_unchanged_history(self, vals):
        """Values that a replaced version or a closed promise already holds are not
        written again (a module update rewrites demo records, a form may save them):
        nothing changes, nothing is stamped again."""
        if not self.filtered(
            lambda c: not c.is_current or c.fulfillment_state in CLOSED_STATES
        ):
            return vals
        names = set(vals) & {
            name
            for name, field in self._fields.items()
            if field.store and not field.compute
        } | ({"fulfillment_state"} & set(vals))
        unchanged = {
            name
            for name in names
            if not any(c._get_changed_fields(vals, {name}) for c in self)
        }
        return {name: value for name, value in vals.items() if name not in unchanged}

    def _check_frozen(self, vals):
        """A replaced version and a closed promise are history: they do not change
        (writing the values they already hold, as a module update does, changes
        nothing)."""
        names = set(vals) & set(
            TERMS_FIELDS
            + DOCUMENT_FIELDS
            + ("approval_state", "rejection_reason", "cancel_reason")
            + tuple(self._get_fulfillment_fields())
        )
        if self.env.su:
            # The ledger closes promises and carries values on new versions itself.
            names -= {"fulfillment_state", *self._get_fulfillment_fields()}
        elif "fulfillment_state" in vals:
            names.add("fulfillment_state")
        frozen = self.filtered(
            lambda c: not c.is_current or c.fulfillment_state in CLOSED_STATES
        )
        if not names or not frozen:
            return
        frozen = frozen.filtered(lambda c: c._get_changed_fields(vals, names))
        for commitment in frozen:
            if not commitment.is_current:
                raise UserError(
                    self.env._(
                        "%(name)s: this version was signed and has been replaced by a "
                        "newer one; it cannot be changed.",
                        name=commitment.name,
                    )
                )
            if commitment.fulfillment_state in CLOSED_STATES:
                raise UserError(
                    self.env._(
                        "%(name)s is already %(state)s: it can no longer be changed.",
                        name=commitment.name,
                        state=commitment._get_fulfillment_state_label(),
                    )
                )

    def _check_terms_update(self, vals):
        """What was promised is changed by the salesperson or a manager, never by the
        departments that keep the promise."""
        if self.env.su or not set(vals) & set(TERMS_FIELDS):
            return
        if not any(self.env.user.has_group(group) for group in TERMS_GROUPS):
            raise AccessError(
                self.env._(
                    "Only the salesperson and the managers change what was promised; "
                    "delivery and after-sales record how it was kept."
                )
            )

    def _check_document_update(self, vals):
        """A signed promise stays with the customer and the order it was signed for."""
        moved = [name for name in DOCUMENT_FIELDS if name in vals]
        if not moved:
            return
        for commitment in self.filtered("signed_on"):
            for name in moved:
                field = self._fields[name]
                new_value = field.convert_to_record(
                    field.convert_to_cache(vals[name], commitment), commitment
                )
                if new_value != commitment[name]:
                    raise UserError(
                        self.env._(
                            "%(name)s was signed by %(customer)s for %(document)s: it "
                            "cannot move to another customer or document. Cancel it "
                            "and promise it again.",
                            name=commitment.name,
                            customer=commitment.partner_id.display_name,
                            document=(
                                commitment.order_id or commitment.lead_id
                            ).display_name,
                        )
                    )

    def _get_changed_fields(self, vals, names):
        """The fields among ``names`` whose value in ``vals`` differs from this
        record's."""
        self.ensure_one()
        changed = set()
        for name in names:
            field = self._fields[name]
            value = field.convert_to_record(
                field.convert_to_cache(vals[name], self), self
            )
            if value != self[name]:
                changed.add(name)
        return changed

    def _get_fulfillment_state_label(self):
        self.ensure_one()
        return dict(self._fields["fulfillment_state"]._description_selection(self.env))[
            self.fulfillment_state
        ]

    def unlink(self):
        if not is_module_uninstalling(self.env, "journey_crm"):
            # Odoo skips ``@api.ondelete(at_uninstall=False)`` under this context
            # key, which any caller can set: only a module uninstall may skip it.
            self.check_access("unlink")
            self._unlink_except_signed()
        orders = self.order_id
        result = super().unlink()
        orders.exists()._reset_commitment_declaration()
        return result

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        for commitment, vals in zip(self, vals_list, strict=False):
            # Recompute from the document the copy belongs to.
            for field_name in ("partner_id", "user_id", "company_id"):
                if field_name not in (default or {}):
                    vals.pop(field_name, None)
            if commitment.due_rule != "fixed_date" and "date_deadline" not in (
                default or {}
            ):
                vals.pop("date_deadline", None)
        return vals_list

    def _copy_to_order(self, order):
        """The opportunity's promises, copied to a quotation made from it.

        Each copy keeps the approval decided on the opportunity: the promise is
        the same, only the document changes.
        """
        vals_list = self.copy_data(
            {"order_id": order.id, "lead_id": order.opportunity_id.id}
        )
        for commitment, vals in zip(self, vals_list, strict=False):
            if commitment.approval_state != "not_required":
                vals.update(
                    approval_state=commitment.approval_state,
                    approved_by_id=commitment.approved_by_id.id,
                    approved_on=commitment.approved_on,
                    rejection_reason=commitment.rejection_reason,
                )
        # sudo: the approval decided on the opportunity travels with its promise;
        # a caller's create never sets an approval.
        return self.sudo().create(vals_list).sudo(False)

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def _back_to_approval(self):
        """A special promise that was edited must be approved again."""
        special = self.filtered(
            lambda c: c.policy == "special" and c.approval_state != "to_approve"
        )
        if special:
            special.write({"approval_state": "to_approve"})

    def _prepare_approval_update(self, vals):
        """Check a change of approval against the transition and the user's rights,
        and stamp who decided and when."""
        state = vals.get("approval_state")
        if state is None:
            # A reason written before deciding, by who decides.
            if not self.env.su:
                self._check_can_decide()
            return {}
        if state == "to_approve":
            not_special = self.filtered(lambda c: c.policy != "special")
            if not_special and not self.env.su:
                raise UserError(
                    self.env._(
                        "Only special commitments need approval; these are standard: "
                        "%(names)s",
                        names=", ".join(not_special.mapped("name")),
                    )
                )
            return {
                "approved_by_id": False,
                "approved_on": False,
                "rejection_reason": False,
            }
        if self.env.su:
            return {
                "approved_by_id": vals.get("approved_by_id", self.env.uid),
                "approved_on": vals.get("approved_on", fields.Datetime.now()),
            }
        if state not in ("approved", "rejected"):
            raise UserError(
                self.env._(
                    "A special commitment is approved or rejected by a decision of an "
                    "after-sales manager; its approval is set no other way."
                )
            )
        self._check_can_decide()
        if state == "rejected":
            reason = vals.get("rejection_reason")
            if any(not (reason or c.rejection_reason or "").strip() for c in self):
                raise UserError(
                    self.env._(
                        "Give the reason: the salesperson and the chatter keep it."
                    )
                )
        return {"approved_by_id": self.env.uid, "approved_on": fields.Datetime.now()}

    def _after_approval_update(self, state):
        if state == "to_approve":
            self._schedule_approval_activities()
        elif state == "approved":
            self._close_approval_activities(self.env._("Approved"))
            for commitment in self:
                commitment.message_post(
                    body=self.env._("Special commitment approved."),
                    subtype_xmlid="journey_crm.mt_commitment_approved",
                )
        elif state == "rejected":
            self._close_approval_activities(self.env._("Rejected"))
            for commitment in self:
                commitment.message_post(
                    body=self.env._(
                        "Special commitment rejected: %(reason)s",
                        reason=commitment.rejection_reason,
                    ),
                    partner_ids=commitment.user_id.partner_id.ids,
                    subtype_xmlid="journey_crm.mt_commitment_rejected",
                )
                if commitment.user_id:
                    commitment.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=commitment.user_id.id,
                        summary=self.env._("Special commitment rejected"),
                        note=commitment.rejection_reason,
                    )

    def _get_approvers(self):
        self.ensure_one()
        group = self.env.ref("journey_crm.group_aftersales_manager")
        # sudo: who approves is read whatever the salesperson may read of users.
        return group.sudo().users.filtered(
            lambda u: (
                u.active
                and not u.share
                and self.company_id in u.company_ids
                and u not in (self.user_id | self.create_uid)
            )
        )

    def _schedule_approval_activities(self):
        for commitment in self:
            for approver in commitment._get_approvers():
                commitment.activity_schedule(
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
                self.env._(
                    "Only after-sales and customer-experience managers decide on "
                    "special commitments."
                )
            )
        for commitment in self:
            if commitment.approval_state != "to_approve":
                raise UserError(
                    self.env._(
                        "%(name)s is not awaiting approval.", name=commitment.name
                    )
                )
            if self.env.user in (commitment.user_id | commitment.create_uid):
                raise UserError(
                    self.env._(
                        "%(name)s: you made this promise; another manager must decide "
                        "on it.",
                        name=commitment.name,
                    )
                )

    def _close_approval_activities(self, feedback):
        self.activity_feedback(
            [APPROVAL_ACTIVITY], user_id=self.env.uid, feedback=feedback
        )
        # The other managers' activities close with the decision.
        self.activity_unlink([APPROVAL_ACTIVITY])

    def action_approve(self):
        self.write({"approval_state": "approved"})
        return True

    def action_reject(self, reason=None):
        """Reject with the given reason or the one written on the commitments, or ask
        for it."""
        if not (reason or "").strip() and any(
            not (c.rejection_reason or "").strip() for c in self
        ):
            return self._open_reason_wizard("reject")
        vals = {"approval_state": "rejected"}
        if (reason or "").strip():
            vals["rejection_reason"] = reason.strip()
        self.write(vals)
        return True

    # ------------------------------------------------------------------
    # Fulfilment
    # ------------------------------------------------------------------

    def _check_can_cancel(self):
        if not any(self.env.user.has_group(group) for group in TERMS_GROUPS):
            raise AccessError(
                self.env._("Only the salesperson and the managers cancel a promise.")
            )
        for commitment in self:
            if not commitment.is_current:
                raise UserError(
                    self.env._(
                        "Only the current version of a commitment can be cancelled."
                    )
                )
        self._check_not_closed()

    def _check_not_closed(self):
        """A kept, waived or cancelled promise takes no further decision."""
        for commitment in self:
            if commitment.fulfillment_state in CLOSED_STATES:
                raise UserError(
                    self.env._(
                        "%(name)s is already %(state)s: it can no longer be changed.",
                        name=commitment.name,
                        state=commitment._get_fulfillment_state_label(),
                    )
                )

    def _check_can_fulfil(self):
        if not any(self.env.user.has_group(group) for group in FULFIL_GROUPS):
            raise AccessError(
                self.env._(
                    "Only delivery specialists and service staff record how a promise "
                    "was kept."
                )
            )
        for commitment in self:
            if not commitment.is_current:
                raise UserError(
                    self.env._(
                        "%(name)s was replaced by a newer version: check the current "
                        "one.",
                        name=commitment.name,
                    )
                )
            if commitment.approval_state in ("to_approve", "rejected"):
                raise UserError(
                    self.env._(
                        "%(name)s was never approved: it cannot be kept or waived.",
                        name=commitment.name,
                    )
                )
        self._check_not_closed()

    def _prepare_fulfillment_update(self, vals):
        """Check a fulfilment decision, however it is written (a button, the wizard,
        a kanban card moved to another column, an RPC call), and stamp who kept
        the promise and when."""
        state = vals.get("fulfillment_state")
        if self.env.su:
            # The ledger's own changes (a free service used up, a period ended).
            if state == "fulfilled":
                return {
                    "fulfilled_by_id": vals.get("fulfilled_by_id", self.env.uid),
                    "fulfilled_on": vals.get("fulfilled_on", fields.Datetime.now()),
                }
            return {}
        if state is None:
            raise UserError(
                self.env._(
                    "How a promise was kept is recorded together with the decision "
                    "(kept, partly kept, deferred or waived), never on its own."
                )
            )
        if state == "cancelled":
            self._check_can_cancel()
            reason = vals.get("cancel_reason")
            if any(not (reason or c.cancel_reason or "").strip() for c in self):
                raise UserError(self.env._("Give the reason the promise is cancelled."))
            return {}
        if state not in ("fulfilled", "partial", "deferred", "waived"):
            raise UserError(
                self.env._(
                    "A promise becomes open or in progress by itself (a new version, a "
                    "free service used); record how it was kept instead."
                )
            )
        self._check_can_fulfil()
        note = (vals.get("fulfillment_note") or "").strip()
        if state == "fulfilled":
            for commitment in self:
                evidence = vals.get("evidence_ids") or commitment.evidence_ids
                if commitment.type_id.evidence_required and not evidence:
                    raise UserError(
                        self.env._(
                            "%(name)s: attach the evidence (a photo, a receipt) that "
                            "the promise was kept.",
                            name=commitment.name,
                        )
                    )
            return {
                "fulfilled_by_id": self.env.uid,
                "fulfilled_on": fields.Datetime.now(),
            }
        if state == "partial" and not note:
            raise UserError(self.env._("Say what is still missing."))
        if state in ("deferred", "waived") and not vals.get("customer_consent"):
            raise UserError(
                self.env._(
                    "Deferring or waiving a promise needs the customer's consent."
                )
            )
        if state == "deferred":
            date_deferred = fields.Date.to_date(vals.get("date_deferred"))
            if not date_deferred or date_deferred <= fields.Date.context_today(self):
                raise UserError(
                    self.env._(
                        "Choose the new date, after today, agreed with the customer."
                    )
                )
        if state == "waived" and not (vals.get("waive_reason") or "").strip():
            raise UserError(
                self.env._("Give the reason the customer waives the promise.")
            )
        return {}

    def _after_fulfillment_update(self, state):
        """A person's decision goes to the chatter, with its author, however it was
        written; the ledger's own changes (a free service used, a period ended)
        post their own message."""
        if state == "cancelled":
            # A cancelled promise needs nobody's approval any more.
            self.activity_unlink([APPROVAL_ACTIVITY])
        if self.env.su:
            return
        subtype = (
            "journey_crm.mt_commitment_fulfilled"
            if state == "fulfilled"
            else "mail.mt_note"
        )
        for commitment in self:
            commitment.message_post(
                body=commitment._get_fulfillment_message(state), subtype_xmlid=subtype
            )

    def _get_fulfillment_message(self, state):
        self.ensure_one()
        if state == "fulfilled":
            return self.env._("Kept as promised.")
        if state == "partial":
            return self.env._(
                "Partly kept; missing: %(note)s", note=self.fulfillment_note
            )
        if state == "deferred":
            return self.env._(
                "Deferred to %(date)s with the customer's consent.",
                date=format_date(self.env, self.date_deferred),
            )
        if state == "waived":
            return self.env._(
                "Waived with the customer's consent: %(reason)s",
                reason=self.waive_reason,
            )
        if state == "cancelled":
            return self.env._(
                "Commitment cancelled: %(reason)s", reason=self.cancel_reason
            )
        return self.env._("Now %(state)s.", state=self._get_fulfillment_state_label())

    def action_cancel(self, reason=None):
        """Cancel with the given reason or the one written on the commitments, or ask
        for it."""
        if not (reason or "").strip() and any(
            not (c.cancel_reason or "").strip() for c in self
        ):
            return self._open_reason_wizard("cancel")
        self._check_can_cancel()
        vals = {"fulfillment_state": "cancelled"}
        if (reason or "").strip():
            vals["cancel_reason"] = reason.strip()
        self.write(vals)
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

    def _check_can_sign(self, signer_name, signature):
        """What every signing needs, whatever is signed: an image and a name."""
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        if not (signer_name or "").strip():
            raise UserError(self.env._("Write the name of the person who signs."))

    def _prepare_signature_values(self, signer_name, signature, method, user, order):
        """The values of the signature record of these commitment versions.

        :param str signer_name: the name the customer typed
        :param signature: the signature image (base64)
        :param str method: ``portal`` (customer's own link) or ``in_store``
        :param user: the user who acted in the request (never the superuser)
        :param order: the sales order signed
        """
        fingerprints = [c.signed_fingerprint or c.fingerprint for c in self]
        return {
            "name": signer_name.strip(),
            "signature": signature,
            "signed_on": fields.Datetime.now(),
            "partner_id": (order.partner_id or self.partner_id[:1]).id,
            "order_id": order.id,
            "user_id": (user or self.env.user).id,
            "method": method,
            "fingerprint": hashlib.sha256(
                "".join(sorted(fingerprints)).encode()
            ).hexdigest(),
            "commitment_ids": [Command.set(self.ids)],
            "company_id": (
                order.company_id or self.company_id[:1] or self.env.company
            ).id,
        }

    def _create_signature(self, values):
        # sudo: no role creates signatures (no access right does): this is the one
        # path, after the signer's checks.
        return self.env["journey.commitment.signature"].sudo().create(values)

    def _sign(self, signer_name, signature, method, user=None, order=None):
        """Record one signing of these commitment versions by the customer."""
        if not self:
            raise UserError(self.env._("There is nothing to sign."))
        self._check_can_sign(signer_name, signature)
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
        values = self._prepare_signature_values(
            signer_name, signature, method, user, order or self.order_id[:1]
        )
        for commitment in self:
            # sudo: signing is recorded by the ledger, never written by a caller.
            # The versions carry the signature's own time, to the second.
            commitment.sudo().write(
                {
                    "signed_on": values["signed_on"],
                    "signed_fingerprint": commitment._get_fingerprint(),
                }
            )
        signing = self._create_signature(values)
        for commitment in self:
            # sudo: the customer's signature is logged whoever they are.
            commitment.sudo().message_post(
                body=self.env._("Signed by %(name)s.", name=signing.name),
                subtype_xmlid="journey_crm.mt_commitment_signed",
            )
        return signing
