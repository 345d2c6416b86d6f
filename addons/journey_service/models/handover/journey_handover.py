from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime, html2plaintext

from odoo.addons.journey_crm.models.journey_commitment import OPEN_STATES
from odoo.addons.journey_crm.models.res_partner import CONTACT_METHOD_SELECTION
from odoo.addons.journey_crm.tools import field_labels

KIND_SELECTION = [
    ("sales_delivery", "Sales to Delivery"),
    ("delivery_service", "Delivery to After-Sales"),
]
STATE_SELECTION = [
    ("draft", "To Send"),
    ("sent", "Sent"),
    ("returned", "Returned"),
    ("acknowledged", "Acknowledged"),
]
OVERDUE_BATCH = 200
RECEIVER_GROUPS = {
    "sales_delivery": "journey_crm.group_delivery_specialist",
    "delivery_service": "journey_crm.group_service_advisor",
}
PROFILE_FIELDS = (
    "background",
    "needs",
    "concerns",
    "preferred_contact_method",
    "special_requests",
)
# Set by the handover's own steps (creation, send, acknowledge, return, the call,
# the hourly notice), never by a caller's write: they make the accuracy and
# deadline figures.
LEDGER_FIELDS = (
    "kind",
    "order_id",
    "task_id",
    "partner_id",
    "company_id",
    "date_deadline",
    "call_deadline",
    "date_sent",
    "date_acknowledged",
    "return_count",
    "call_event_id",
    "call_done_on",
    "brief_overdue_notified",
    "call_overdue_notified",
)
MANAGER_GROUP = "journey_crm.group_cx_manager"


class JourneyHandover(models.Model):
    """A hot handover of a customer from one department to the next.

    The receiver confirms it or returns it naming what is missing; a handover
    acknowledged without any return counts for the information accuracy KPI.
    """

    _name = "journey.handover"
    _description = "Customer Handover"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(
        KIND_SELECTION, required=True, readonly=True, default="sales_delivery"
    )
    state = fields.Selection(
        STATE_SELECTION,
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        copy=False,
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index=True,
        readonly=True,
        check_company=True,
    )
    task_id = fields.Many2one(
        "project.task", string="Delivery", index=True, readonly=True, check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    salesperson_id = fields.Many2one(
        "res.users", compute="_compute_salesperson_id", store=True, index=True
    )
    sender_id = fields.Many2one(
        "res.users",
        string="From",
        required=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    receiver_id = fields.Many2one(
        "res.users", string="To", tracking=True, domain="[('share', '=', False)]"
    )
    background = fields.Text(
        help="Who the customer is: family, work, how they came to us."
    )
    needs = fields.Text()
    concerns = fields.Text()
    preferred_contact_method = fields.Selection(
        CONTACT_METHOD_SELECTION,
        string="Preferred Contact",
    )
    special_requests = fields.Text(
        help="What the customer asked for the handover or the delivery."
    )
    commitment_ids = fields.Many2many(
        "journey.commitment", compute="_compute_commitment_ids", string="Promises"
    )
    date_deadline = fields.Datetime(
        string="Brief Due",
        required=True,
        tracking=True,
        help="The brief is due by this time.",
    )
    date_sent = fields.Datetime(readonly=True, copy=False)
    date_acknowledged = fields.Datetime(readonly=True, copy=False)
    return_count = fields.Integer(string="Times Returned", readonly=True, copy=False)
    return_reason = fields.Text(
        string="What Is Missing or Wrong", tracking=True, copy=False
    )
    is_first_time_right = fields.Boolean(
        string="Acknowledged First Time",
        compute="_compute_is_first_time_right",
        store=True,
        help="Acknowledged without ever being returned: counts for information "
        "accuracy.",
    )
    call_deadline = fields.Datetime(
        string="Call Due",
        required=True,
        help="Three-party call (sales, delivery, customer) or the advisor's first "
        "call.",
    )
    call_date = fields.Datetime(string="Call Planned On")
    call_event_id = fields.Many2one(
        "calendar.event", string="Call Meeting", readonly=True, copy=False
    )
    call_done_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    call_note = fields.Text(tracking=True)
    call_state = fields.Selection(
        [("to_do", "To Do"), ("scheduled", "Scheduled in Time"), ("done", "Done")],
        compute="_compute_call_state",
        store=True,
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    brief_overdue_notified = fields.Boolean(readonly=True, copy=False)
    call_overdue_notified = fields.Boolean(readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def init(self):
        # The hourly notice and the Overdue filter look for briefs still to send and
        # calls still to make by their deadline: a few rows of a large table.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS journey_handover_brief_to_send_idx
                ON journey_handover (date_deadline)
             WHERE state IN ('draft', 'returned');
            CREATE INDEX IF NOT EXISTS journey_handover_call_to_do_idx
                ON journey_handover (call_deadline) WHERE call_state = 'to_do';
            """
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("kind", "partner_id.name")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for handover in self:
            handover.name = "{}: {}".format(
                kinds.get(handover.kind, ""),
                handover.partner_id.name or "",
            )

    @api.depends("order_id.user_id", "partner_id")
    def _compute_salesperson_id(self):
        for handover in self:
            handover.salesperson_id = (
                handover.order_id.user_id
                or handover.partner_id._journey_get_salesperson()
            )

    @api.depends("order_id", "task_id", "kind")
    def _compute_commitment_ids(self):
        for handover in self:
            commitments = handover.order_id.commitment_ids.filtered(
                "is_visible_to_customer"
            )
            if handover.kind == "delivery_service":
                commitments = commitments.filtered(
                    lambda c: c.fulfillment_state in OPEN_STATES
                )
            handover.commitment_ids = commitments

    @api.depends("state", "return_count")
    def _compute_is_first_time_right(self):
        for handover in self:
            handover.is_first_time_right = (
                handover.state == "acknowledged" and not handover.return_count
            )

    @api.depends("call_done_on", "call_event_id.start", "call_deadline")
    def _compute_call_state(self):
        for handover in self:
            if handover.call_done_on:
                handover.call_state = "done"
            elif (
                handover.call_event_id
                and handover.call_event_id.start <= handover.call_deadline
            ):
                handover.call_state = "scheduled"
            else:
                handover.call_state = "to_do"

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for handover in self:
            handover.is_overdue = bool(
                (
                    handover.state in ("draft", "returned")
                    and handover.date_deadline < now
                )
                or (handover.call_state == "to_do" and handover.call_deadline < now)
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        now = fields.Datetime.now()
        domain = [
            "|",
            "&",
            ("state", "in", ("draft", "returned")),
            ("date_deadline", "<", now),
            "&",
            ("call_state", "=", "to_do"),
            ("call_deadline", "<", now),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    @api.model
    def _journey_prepare_values(
        self, kind, order, task, sender, receiver=None, start=None
    ):
        """The values of a new handover: who hands the customer over to whom, and its
        deadlines from the company's settings (Settings > Journey), counted from
        ``start`` (the confirmation or the delivery)."""
        company = task.company_id or order.company_id or self.env.company
        start = start or fields.Datetime.now()
        if kind == "sales_delivery":
            brief, call = company.journey_brief_hours, company.journey_call_days
        else:
            brief, call = (
                company.journey_service_brief_hours,
                company.journey_service_call_days,
            )
        return {
            "kind": kind,
            "order_id": order.id,
            "task_id": task.id,
            "partner_id": (task.partner_id or order.partner_id).id,
            "sender_id": sender.id,
            "receiver_id": receiver.id if receiver else False,
            "date_deadline": start + timedelta(hours=brief),
            "call_deadline": start + timedelta(days=call),
            "company_id": company.id,
        }

    @api.model
    def _journey_create_for_order(self, order, task):
        """The sales -> delivery handover, at the order's confirmation."""
        values = self._journey_prepare_values(
            "sales_delivery",
            order,
            task,
            order.user_id or self.env.user,
            start=order.date_order or fields.Datetime.now(),
        )
        # sudo: handovers are created by the flow only, for whoever confirmed the order.
        handover = self.sudo().create(values)
        handover._journey_prefill_from_customer()
        return handover.sudo(False)

    @api.model
    def _journey_create_after_delivery(self, task):
        """The delivery -> after-sales handover, once the car is handed over."""
        values = self._journey_prepare_values(
            "delivery_service",
            task.journey_order_id,
            task,
            task.user_ids[:1] or self.env.user,
            receiver=task.partner_id.commercial_partner_id.journey_service_advisor_id,
        )
        # sudo: handovers are created by the flow only, whoever finishes the delivery.
        handover = self.sudo().create(values)
        handover._journey_prefill_from_customer()
        return handover.sudo(False)

    def _journey_default_receiver(self):
        """Who the brief most likely goes to: the person already assigned to the
        delivery, or the company's only delivery specialist (managers, who hold the
        role too, are not counted). Nobody when the choice is not obvious."""
        self.ensure_one()
        if self.kind != "sales_delivery":
            return self.env["res.users"]
        group = RECEIVER_GROUPS[self.kind]
        # sudo: who is assigned to the delivery decides the default only.
        assigned = self.task_id.sudo().user_ids.filtered(
            lambda u: u.has_group(group) and u != self.sender_id
        )[:1]
        if assigned:
            return assigned.sudo(False)
        specialists = self.env["res.users"].search(
            [
                ("share", "=", False),
                ("groups_id", "in", self.env.ref(group).ids),
                ("groups_id", "not in", self.env.ref(MANAGER_GROUP).ids),
                ("company_ids", "in", self.company_id.ids),
                ("id", "!=", self.sender_id.id),
            ],
            limit=2,
        )
        return specialists if len(specialists) == 1 else self.env["res.users"]

    def _journey_prefill_from_customer(self):
        """Fill what is known from the customer's profile, the lead and the promises."""
        for handover in self:
            partner = handover.partner_id.commercial_partner_id
            lead = handover.order_id.opportunity_id
            previous = self.search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("id", "!=", handover.id),
                    ("state", "=", "acknowledged"),
                ],
                order="date_acknowledged desc",
                limit=1,
            )
            values = {
                "background": previous.background
                or (lead.description and html2plaintext(lead.description)),
                "needs": previous.needs or partner.customer_needs,
                "concerns": previous.concerns or partner.customer_concerns,
                "preferred_contact_method": partner.preferred_contact_method
                or previous.preferred_contact_method,
                "special_requests": previous.special_requests,
            }
            handover.write(
                {
                    key: value
                    for key, value in values.items()
                    if value and not handover[key]
                }
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Handovers are created by the order's confirmation and by the end "
                    "of the delivery."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        vals = dict(vals)
        if not self.env.su:
            self._check_journey_write(vals)
        if vals.get("state"):
            vals.update(self._prepare_state_update(vals["state"], vals))
        result = super().write(vals)
        if vals.get("state"):
            self._after_state_update(vals["state"])
        return result

    def _check_journey_write(self, vals):
        protected = [name for name in LEDGER_FIELDS if name in vals]
        if "sender_id" in vals and not self.env.user.has_group(MANAGER_GROUP):
            protected.append("sender_id")
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by the handover's own steps only: %(fields)s",
                    fields=field_labels(self, protected),
                )
            )
        if set(vals) & set(PROFILE_FIELDS + ("receiver_id",)):
            if self.filtered(lambda h: h.state in ("sent", "acknowledged")):
                raise UserError(
                    self.env._(
                        "A sent handover is not edited: the receiver returns it when "
                        "something is missing or wrong."
                    )
                )
        if "return_reason" in vals and vals.get("state") != "returned":
            # The reason is written by the receiver before returning the handover.
            self._journey_check_receiver()
            if self.filtered(lambda h: h.state != "sent"):
                raise UserError(self.env._("Only a sent handover can be returned."))
        if "call_note" in vals and self.filtered("call_done_on"):
            raise UserError(
                self.env._("The call was recorded as done: its note is kept.")
            )

    def _prepare_state_update(self, state, vals):
        """Check a change of state against the transition and the user, and stamp it."""
        now = fields.Datetime.now()
        if state == "sent":
            for handover in self:
                if handover.state not in ("draft", "returned"):
                    raise UserError(
                        self.env._("%(name)s was already sent.", name=handover.name)
                    )
                handover._journey_check_user(handover.sender_id, self.env._("sender"))
                handover._journey_check_brief(vals)
            return {"date_sent": now}
        if state in ("acknowledged", "returned"):
            for handover in self:
                if handover.state != "sent":
                    raise UserError(
                        self.env._(
                            "Only a sent handover can be acknowledged or returned."
                        )
                    )
            self._journey_check_receiver()
            if state == "acknowledged":
                return {"date_acknowledged": now}
            reason = vals.get("return_reason")
            if any(not (reason or h.return_reason or "").strip() for h in self):
                raise UserError(self.env._("Say what is missing or wrong."))
            return {"brief_overdue_notified": False}
        raise UserError(
            self.env._("A handover is sent, then acknowledged or returned.")
        )

    def _journey_check_brief(self, vals):
        """What a brief needs before it goes: a receiver of the right role, not the
        sender, and something about the customer."""
        self.ensure_one()
        receiver = self.env["res.users"].browse(
            vals.get("receiver_id", self.receiver_id.id)
        )
        if not receiver:
            raise UserError(self.env._("Choose who receives the handover."))
        if receiver == self.sender_id:
            raise UserError(
                self.env._("A handover goes to someone else: choose the receiver.")
            )
        group = RECEIVER_GROUPS[self.kind]
        if not receiver.has_group(group):
            raise UserError(
                self.env._(
                    "%(user)s cannot receive this handover: choose a %(role)s.",
                    user=receiver.name,
                    role=self.env.ref(group).name,
                )
            )
        if not any(
            (vals.get(name, self[name]) or "").strip()
            for name in ("background", "needs", "concerns")
        ):
            raise UserError(
                self.env._(
                    "Tell the receiver about the customer: background, needs or "
                    "concerns."
                )
            )

    def _journey_check_user(self, user, role):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        if self.env.user != user:
            raise AccessError(
                self.env._(
                    "Only %(user)s, the %(role)s of this handover, can do this.",
                    user=user.name or self.env._("nobody"),
                    role=role,
                )
            )

    def _journey_check_receiver(self):
        """The receiver confirms or returns what they were told; the sender never
        does it for them (it would count as accurate information)."""
        for handover in self:
            handover._journey_check_user(handover.receiver_id, self.env._("receiver"))
            if not self.env.su and self.env.user == handover.sender_id:
                raise AccessError(
                    self.env._(
                        "You sent this handover: only its receiver acknowledges or "
                        "returns it."
                    )
                )

    def _journey_check_participant(self):
        for handover in self:
            if self.env.user not in handover.sender_id | handover.receiver_id and not (
                self.env.su or self.env.user.has_group(MANAGER_GROUP)
            ):
                raise AccessError(
                    self.env._(
                        "Only the sender and the receiver of this handover record its "
                        "call."
                    )
                )

    def _after_state_update(self, state):
        for handover in self:
            if state == "sent":
                if handover.kind == "sales_delivery" and handover.task_id:
                    # sudo: the delivery is assigned to the receiver, whatever the
                    # sender
                    # may write on tasks.
                    handover.task_id.sudo().user_ids = handover.receiver_id
                handover.activity_schedule(
                    "journey_service.mail_act_handover_acknowledge",
                    user_id=handover.receiver_id.id,
                    note=self.env._(
                        "Read the brief on %(customer)s and acknowledge it or return "
                        "it.",
                        customer=handover.partner_id.name,
                    ),
                )
                handover.message_post(
                    body=self.env._(
                        "Handover sent to %(user)s.", user=handover.receiver_id.name
                    ),
                    partner_ids=handover.receiver_id.partner_id.ids,
                )
            elif state == "acknowledged":
                handover._journey_close_activity(
                    "journey_service.mail_act_handover_acknowledge",
                    self.env._("Acknowledged"),
                )
                handover.message_post(
                    body=self.env._("Handover acknowledged."),
                    partner_ids=handover.sender_id.partner_id.ids,
                    subtype_xmlid="journey_service.mt_handover_acknowledged",
                )
            elif state == "returned":
                # sudo: the count of returns feeds the accuracy figure; no caller writes
                # it.
                handover.sudo().return_count = handover.return_count + 1
                handover._journey_close_activity(
                    "journey_service.mail_act_handover_acknowledge",
                    self.env._("Returned"),
                )
                handover.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=handover.sender_id.id,
                    summary=self.env._("Handover returned"),
                    note=handover.return_reason,
                )
                handover.message_post(
                    body=self.env._(
                        "Handover returned: %(reason)s", reason=handover.return_reason
                    ),
                    partner_ids=handover.sender_id.partner_id.ids,
                    subtype_xmlid="journey_service.mt_handover_returned",
                )

    def action_send(self):
        self.write({"state": "sent"})
        return True

    def action_acknowledge(self):
        self.write({"state": "acknowledged"})
        return True

    def action_return(self, reason=None):
        """Return to the sender naming what is missing or wrong (asks for it first)."""
        if not (reason or "").strip() and any(
            not (h.return_reason or "").strip() for h in self
        ):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Return the Handover"),
                "res_model": "journey.handover.return.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_handover_ids": self.ids},
            }
        vals = {"state": "returned"}
        if (reason or "").strip():
            vals["return_reason"] = reason.strip()
        self.write(vals)
        return True

    def action_schedule_call(self):
        self._journey_check_participant()
        for handover in self:
            if not handover.call_date:
                raise UserError(self.env._("Choose when the call takes place."))
            attendees = (
                handover.sender_id | handover.receiver_id
            ).partner_id | handover.partner_id
            if handover.kind == "sales_delivery":
                name = self.env._(
                    "Three-party call with %(customer)s",
                    customer=handover.partner_id.name,
                )
            else:
                name = self.env._(
                    "First call to %(customer)s", customer=handover.partner_id.name
                )
            values = {
                "name": name,
                "start": handover.call_date,
                "stop": handover.call_date + timedelta(minutes=15),
                "partner_ids": [fields.Command.set(attendees.ids)],
                "res_model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": handover.id,
                "user_id": self.env.uid,
            }
            if handover.call_event_id:
                handover.call_event_id.write(values)
            else:
                event = (
                    self.env["calendar.event"]
                    .with_context(
                        mail_create_nosubscribe=True, no_mail_to_attendees=True
                    )
                    .create(values)
                )
                # sudo: the meeting is linked by scheduling it, never typed (call KPI).
                handover.sudo().call_event_id = event
            if handover.partner_id.email:
                handover.message_post_with_source(
                    "journey_service.mail_template_handover_call_invitation",
                    subtype_xmlid="mail.mt_comment",
                )
        return True

    def action_call_done(self):
        self._journey_check_participant()
        for handover in self:
            if handover.call_done_on:
                raise UserError(self.env._("The call was already recorded as done."))
            if not (handover.call_note or "").strip():
                raise UserError(self.env._("Write down what was said on the call."))
            # sudo: the time of the call is stamped by this button, never typed (call
            # KPI).
            handover.sudo().call_done_on = fields.Datetime.now()
        return True

    @api.model
    def _journey_get_default_filters(self):
        """The search filters the Handovers menu starts with for the current user:
        a manager reviews every handover, anyone else the ones they send or
        receive."""
        user = self.env.user
        if user.has_group(MANAGER_GROUP) or user.has_group(
            "journey_crm.group_aftersales_manager"
        ):
            return []
        return ["mine"]

    @api.model
    def _journey_action_open_handovers(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_handover_action"
        )
        action["context"] = {
            f"search_default_{name}": 1 for name in self._journey_get_default_filters()
        }
        return action

    def _journey_close_activity(self, xmlid, feedback):
        self.activity_feedback([xmlid], feedback=feedback)
        self.activity_unlink([xmlid])

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(h.state != "draft" for h in self):
            raise UserError(self.env._("A handover that was sent is kept."))

    # ------------------------------------------------------------------
    # Overdue
    # ------------------------------------------------------------------

    def _journey_overdue_activity_values(self, what):
        """The activity telling who is responsible that ``what`` (brief or call)
        is late."""
        self.ensure_one()
        activity_type = self.env.ref("journey_service.mail_act_handover_overdue")
        if what == "brief":
            user = self.sender_id
            note = self.env._(
                "The brief on %(customer)s was due on %(date)s.",
                customer=self.partner_id.name,
                date=format_datetime(
                    self.env, self.date_deadline, tz=user.tz, lang_code=user.lang
                ),
            )
        else:
            user = (
                self.sender_id if self.kind == "sales_delivery" else self.receiver_id
            ) or self.sender_id
            note = self.env._(
                "The call with %(customer)s was due on %(date)s.",
                customer=self.partner_id.name,
                date=format_datetime(
                    self.env, self.call_deadline, tz=user.tz, lang_code=user.lang
                ),
            )
        return self.env["mail.activity"]._journey_activity_values(
            self, activity_type, user, note
        )

    @api.model
    def _journey_late_domains(self):
        """The late briefs and the late calls not notified yet."""
        now = fields.Datetime.now()
        return {
            "brief": [
                ("state", "in", ("draft", "returned")),
                ("brief_overdue_notified", "=", False),
                ("date_deadline", "<", now),
            ],
            "call": [
                ("call_state", "=", "to_do"),
                ("call_overdue_notified", "=", False),
                ("call_deadline", "<", now),
            ],
        }

    @api.model
    def _cron_notify_overdue(self, batch_size=OVERDUE_BATCH):
        """Tell the responsible person, once, that a handover deadline passed: a batch
        per call, the activities created together and the notices marked in the
        same transaction; the scheduled action calls again while some remain."""
        done = 0
        remaining = 0
        flags = {"brief": "brief_overdue_notified", "call": "call_overdue_notified"}
        # By deadline: the partial indexes on briefs to send and calls to make serve it.
        orders = {"brief": "date_deadline, id", "call": "call_deadline, id"}
        for what, domain in self._journey_late_domains().items():
            late = self.search(
                domain, limit=max(batch_size - done, 0), order=orders[what]
            )
            if late:
                self.env["mail.activity"]._journey_schedule_batch(
                    [
                        handover._journey_overdue_activity_values(what)
                        for handover in late
                    ],
                    lambda env: env._("Handover deadlines passed"),
                )
                # sudo: the notice is sent once, whoever runs the job.
                late.sudo().write({flags[what]: True})
            done += len(late)
            if done >= batch_size:
                remaining = 1
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
