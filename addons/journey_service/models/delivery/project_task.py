import hashlib
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.journey_crm.models.journey_commitment import TO_CHECK_STATES

_logger = logging.getLogger(__name__)

PDF_BATCH = 10


class ProjectTask(models.Model):
    """A vehicle delivery: the promises checked at the ceremony, the customer's
    signature on the checked list, the vehicle and the first service booked."""

    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited

    journey_checklist_ids = fields.One2many(
        "journey.commitment",
        "delivery_task_id",
        string="Delivery Checklist",
        domain=[("is_current", "=", True)],
        help="The current version of every promise due at this delivery.",
    )
    journey_checklist_blocking_count = fields.Integer(
        string="Promises to Check", compute="_compute_journey_checklist_blocking_count"
    )
    journey_checklist_signature_id = fields.Many2one(
        "journey.commitment.signature",
        string="Checklist Signature",
        readonly=True,
        copy=False,
    )
    journey_checklist_signed_on = fields.Datetime(
        related="journey_checklist_signature_id.signed_on", string="Checklist Signed On"
    )
    journey_checklist_pdf_posted = fields.Boolean(
        string="Signed Checklist Posted", readonly=True, copy=False
    )
    journey_prepare_reminded = fields.Boolean(copy=False, readonly=True)
    journey_first_service_task_id = fields.Many2one(
        "project.task", string="First Service", readonly=True, copy=False
    )
    journey_handover_ids = fields.One2many(
        "journey.handover", "task_id", string="Handovers"
    )

    @api.depends("journey_checklist_ids.fulfillment_state")
    def _compute_journey_checklist_blocking_count(self):
        for task in self:
            task.journey_checklist_blocking_count = len(
                task._journey_get_blocking_commitments()
            )

    def init(self):
        # The preparation reminder looks for deliveries by their planned date.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS project_task_journey_delivery_date_idx
                ON project_task (date_deadline)
             WHERE journey_work_type = 'delivery'
            """
        )

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------

    @api.model
    def _journey_read_only_view_xmlids(self):
        xmlids = super()._journey_read_only_view_xmlids()
        user = self.env.user
        if not (
            user.has_group("journey_crm.group_delivery_specialist")
            or user.has_group("project.group_project_manager")
        ):
            xmlids += (
                "journey_service.project_task_delivery_view_form",
                "journey_service.project_task_delivery_view_list",
                "journey_service.project_task_delivery_view_kanban",
                "journey_service.project_task_delivery_view_calendar",
            )
        return xmlids

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _journey_get_ledger_fields(self):
        return super()._journey_get_ledger_fields() | {
            "journey_checklist_signature_id",
            "journey_checklist_pdf_posted",
            "journey_prepare_reminded",
            "journey_first_service_task_id",
        }

    def _check_journey_write(self, vals):
        if "journey_checklist_signature_id" in vals and any(
            task.journey_checklist_signature_id
            and task.journey_checklist_signature_id.id
            != vals["journey_checklist_signature_id"]
            for task in self
        ):
            raise UserError(self.env._("A signed delivery checklist stays signed."))
        if (
            "journey_vehicle_id" in vals
            and not self.env.su
            and any(task.journey_work_type == "delivery" for task in self)
        ):
            raise AccessError(
                self.env._(
                    "The vehicle of a delivery is recorded at the delivery ceremony."
                )
            )
        return super()._check_journey_write(vals)

    def _journey_get_blocking_commitments(self):
        self.ensure_one()
        return self.journey_checklist_ids.filtered(
            lambda c: c.is_current and c.fulfillment_state in TO_CHECK_STATES
        )

    def _journey_check_can_finish(self):
        result = super()._journey_check_can_finish()
        for task in self.filtered(lambda t: t.journey_work_type == "delivery"):
            problems = []
            blocking = task._journey_get_blocking_commitments()
            if blocking:
                problems.append(
                    self.env._(
                        "These promises are not kept yet: defer them with the "
                        "customer's consent, waive them or keep them first:"
                    )
                )
                problems += [
                    f"  - {c.name} ({c._get_fulfillment_state_label()})"
                    for c in blocking
                ]
            if not task.journey_vehicle_id:
                problems.append(
                    self.env._("The vehicle (VIN, plate, model) is not recorded.")
                )
            if not task.journey_first_service_task_id:
                problems.append(self.env._("The first service is not booked."))
            if not task.partner_id.commercial_partner_id.journey_service_advisor_id:
                problems.append(self.env._("The customer has no service advisor yet."))
            if problems:
                raise UserError(
                    self.env._(
                        "%(task)s cannot be done yet:\n%(problems)s",
                        task=task.name,
                        problems="\n".join(problems),
                    )
                )
        return result

    def _journey_after_done(self):
        """The car is handed over: the service advisor takes the customer over."""
        result = super()._journey_after_done()
        for task in self.filtered(lambda t: t.journey_work_type == "delivery"):
            order = task.journey_order_id
            if order and not order.journey_delivered_on:
                # sudo: the delivery date is stamped by the delivery, never typed.
                order.sudo().journey_delivered_on = fields.Datetime.now()
            # sudo: the vehicle a promise belongs to is the ledger's bookkeeping.
            task.journey_checklist_ids.sudo().write(
                {"vehicle_id": task.journey_vehicle_id.id}
            )
            self.env["journey.handover"]._journey_create_after_delivery(task)
        return result

    # ------------------------------------------------------------------
    # The ceremony: vehicle, advisor, first service
    # ------------------------------------------------------------------

    def _journey_hold_ceremony(self, vehicle_values, advisor, first_service_date):
        """At the three-party delivery: record the vehicle (model, VIN, plate,
        driver), make ``advisor`` the customer's service advisor and book the first
        service on ``first_service_date``, within the company's window."""
        self.ensure_one()
        self._journey_check_kind("delivery")
        if self.journey_is_done:
            raise UserError(self.env._("This delivery is already done."))
        company = self.company_id or self.env.company
        low, high = company._journey_first_service_bounds(
            fields.Date.context_today(self)
        )
        if not low <= first_service_date <= high:
            raise ValidationError(
                self.env._(
                    "Book the first service between %(low)s and %(high)s (%(min)s to "
                    "%(max)s months out).",
                    low=low,
                    high=high,
                    min=company.journey_first_service_min_months,
                    max=company.journey_first_service_max_months,
                )
            )
        vehicle = self._journey_record_vehicle(vehicle_values)
        # sudo: the ceremony assigns the customer's advisor (an after-sales decision
        # the specialist records for them).
        self.partner_id.commercial_partner_id.sudo().journey_service_advisor_id = (
            advisor
        )
        # sudo: the delivery's vehicle is recorded by the ceremony only.
        self.sudo().journey_vehicle_id = vehicle
        promises = (
            self.journey_checklist_ids
            | self.journey_order_id.commitment_ids.filtered(
                lambda c: c.is_current and not c.vehicle_id
            )
        )
        # sudo: the vehicle a promise belongs to is the ledger's bookkeeping.
        promises.sudo().write({"vehicle_id": vehicle.id})
        self._journey_book_first_service(vehicle, advisor, first_service_date)
        self.message_post(
            body=self.env._(
                "Ceremony: vehicle %(vehicle)s recorded, %(advisor)s is the service "
                "advisor, first service on %(date)s.",
                vehicle=vehicle.display_name,
                advisor=advisor.name,
                date=first_service_date,
            )
        )
        return vehicle

    def _journey_record_vehicle(self, vehicle_values):
        self.ensure_one()
        values = {
            "model_id": vehicle_values["model_id"],
            "vin_sn": (vehicle_values.get("vin_sn") or "").strip().upper(),
            "license_plate": (vehicle_values.get("license_plate") or "").strip().upper()
            or False,
            "driver_id": vehicle_values.get("driver_id") or self.partner_id.id,
            "journey_partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": (self.company_id or self.env.company).id,
        }
        vehicle = self.journey_vehicle_id
        if vehicle:
            vehicle.write(values)
        else:
            vehicle = self.env["fleet.vehicle"].create(
                dict(values, journey_order_id=self.journey_order_id.id)
            )
        return vehicle

    def _journey_book_first_service(self, vehicle, advisor, first_service_date):
        """The first service at 9:00 in the dealership's time zone, in the service
        project, using a promised free service when there is one."""
        self.ensure_one()
        tz = pytz.timezone(self.env.user.tz or self.company_id.partner_id.tz or "UTC")
        start = (
            tz.localize(datetime.combine(first_service_date, time(9, 0)))
            .astimezone(pytz.UTC)
            .replace(tzinfo=None)
        )
        existing = self.journey_first_service_task_id
        if existing:
            # sudo: the specialist books the advisor's visit.
            existing.sudo().write(
                {"date_deadline": start, "journey_service_advisor_id": advisor.id}
            )
            return existing
        company = self.company_id or self.env.company
        project = self.env["project.project"]._journey_get_project("service", company)
        if not project:
            raise UserError(
                self.env._(
                    "There is no after-sales service project to book the first service "
                    "in."
                )
            )
        stage = project.type_ids.filtered(lambda s: s.journey_step == "appointment")[:1]
        free_service = self.journey_order_id.commitment_ids.filtered(
            lambda c: (
                c.is_current
                and c._journey_is_free_service()
                and c.fulfillment_state in ("open", "in_progress")
                and c.uses_done < c.uses_total
            )
        )[:1]
        # sudo: the specialist books the first service in the workshop's private
        # project.
        first = (
            self.env["project.task"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "First service: %(vehicle)s", vehicle=vehicle.display_name
                    ),
                    "project_id": project.id,
                    "stage_id": stage.id,
                    "partner_id": self.partner_id.id,
                    "company_id": company.id,
                    "journey_order_id": self.journey_order_id.id,
                    "journey_vehicle_id": vehicle.id,
                    "journey_service_advisor_id": advisor.id,
                    "journey_free_service_id": free_service.id,
                    "date_deadline": start,
                    "user_ids": [fields.Command.set(advisor.ids)],
                }
            )
        )
        # sudo: the first service is linked by the ceremony only.
        self.sudo().journey_first_service_task_id = first
        return first

    # ------------------------------------------------------------------
    # The signed checklist
    # ------------------------------------------------------------------

    def _journey_get_checklist_fingerprint(self):
        """What the customer signs at the delivery: each promise as signed and how
        it was kept."""
        self.ensure_one()
        lines = [
            "{}:{}:{}:{}".format(
                c.signed_fingerprint or c.fingerprint,
                c.fulfillment_state,
                c.date_deferred or "",
                c.uses_done,
            )
            for c in self.journey_checklist_ids.filtered("is_current").sorted("id")
        ]
        return hashlib.sha256("|".join(lines).encode()).hexdigest()

    def _journey_check_can_sign_checklist(self):
        self.ensure_one()
        self._journey_check_kind("delivery")
        if self.journey_checklist_signature_id:
            raise UserError(
                self.env._(
                    "This delivery checklist was already signed by %(name)s.",
                    name=self.journey_checklist_signature_id.name,
                )
            )
        blocking = self._journey_get_blocking_commitments()
        if blocking:
            raise UserError(
                self.env._(
                    "Check these promises with the delivery specialist before signing: "
                    "%(names)s",
                    names=", ".join(blocking.mapped("name")),
                )
            )

    def _journey_sign_checklist(self, signer_name, signature, method, user=None):
        """The customer signs the checked delivery list, once.

        The signature is stored and committed with the request; the signed PDF
        is rendered afterwards by a scheduled job, so that no lock is held and no
        worker waits while wkhtmltopdf renders.
        """
        self.ensure_one()
        self._journey_check_can_sign_checklist()
        signing = self.journey_checklist_ids.filtered(
            "is_current"
        )._journey_sign_delivery(self, signer_name, signature, method, user=user)
        # sudo: the signature is recorded by signing, never written by a caller.
        self.sudo().journey_checklist_signature_id = signing
        self.sudo().message_post(
            body=self.env._(
                "Delivery checklist signed by %(name)s.", name=signing.name
            ),
            subtype_xmlid="journey_service.mt_delivery_checklist_signed",
        )
        self.env.ref("journey_service.ir_cron_post_signed_checklists")._trigger()
        return signing

    def _journey_post_signed_checklist(self):
        """Attach the signed checklist as a PDF to the delivery's chatter."""
        for task in self:
            pdf = self.env["ir.actions.report"]._render_qweb_pdf(
                "journey_service.action_report_delivery_checklist", task.ids
            )[0]
            task.message_post(
                body=self.env._(
                    "The delivery checklist signed by %(name)s.",
                    name=task.journey_checklist_signature_id.name,
                ),
                attachments=[
                    (self.env._("Delivery checklist %(task)s.pdf", task=task.name), pdf)
                ],
            )
            task.journey_checklist_pdf_posted = True

    @api.model
    def _cron_journey_post_signed_checklists(self, batch_size=PDF_BATCH):
        """Render the PDFs of the checklists signed since the last run, a batch per
        call: the scheduled action commits each batch and calls again while some
        remain, so that an interrupted run resumes where it stopped. A checklist
        whose PDF cannot be rendered is logged and tried again at the next run."""
        domain = [
            ("journey_checklist_signature_id", "!=", False),
            ("journey_checklist_pdf_posted", "=", False),
        ]
        tasks = self.search(domain, limit=batch_size, order="id")
        for task in tasks:
            try:
                with self.env.cr.savepoint():
                    task._journey_post_signed_checklist()
            except Exception:
                _logger.exception(
                    "The signed checklist of %s could not be rendered",
                    task.display_name,
                )
        remaining = self.search_count(domain + [("id", ">", max(tasks.ids, default=0))])
        self.env["ir.cron"]._notify_progress(done=len(tasks), remaining=remaining)

    # ------------------------------------------------------------------
    # The customer's page
    # ------------------------------------------------------------------

    def action_journey_open_customer_page(self):
        """The sign-only page for the tablet handed to the customer at the ceremony:
        no menu, no way out until the specialist unlocks it with their password."""
        self.ensure_one()
        self._journey_check_kind("delivery")
        return {
            "type": "ir.actions.act_url",
            "url": self._journey_get_kiosk_url(),
            "target": "self",
        }

    def _journey_get_kiosk_url(self, suffix=""):
        self.ensure_one()
        return f"/journey/kiosk/delivery/{self.id}{suffix}"

    def _journey_get_portal_checklist_state(self):
        """Where the customer's signature stands, as the customer reads it:
        ``signed``, ``ready`` (every promise checked, the customer can sign) or
        ``preparing`` (promises still to check)."""
        self.ensure_one()
        if self.journey_checklist_signature_id:
            return "signed"
        if self.journey_checklist_blocking_count:
            return "preparing"
        return "ready"

    def action_journey_send_customer_link(self):
        """Send the customer their own link to the checklist page."""
        self.ensure_one()
        self._journey_check_kind("delivery")
        if not self.partner_id.email:
            raise UserError(
                self.env._(
                    "%(customer)s has no email address.", customer=self.partner_id.name
                )
            )
        self._portal_ensure_token()
        self.message_post_with_source(
            "journey_service.mail_template_delivery_checklist",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    # ------------------------------------------------------------------
    # Preparing the delivery
    # ------------------------------------------------------------------

    def _journey_prepare_activity_values(self):
        """The specialist's reminder to prepare the promises, as activity values."""
        self.ensure_one()
        activity_type = self.env.ref("journey_service.mail_act_prepare_delivery")
        items = self._journey_get_blocking_commitments()
        deadline = self.date_deadline and (
            self.date_deadline.date()
            - timedelta(days=self.company_id.journey_prepare_days)
        )
        note = self.env._(
            "Prepare what was promised: %(items)s",
            items=", ".join(items.mapped("name")) or self.env._("nothing to prepare"),
        )
        return self.env["mail.activity"]._journey_activity_values(
            self,
            activity_type,
            self.user_ids[:1],
            note,
            date_deadline=deadline,
            automated=False,
        )

    @api.model
    def _cron_journey_prepare_deliveries(self, batch_size=200):
        """Remind the specialists, a few days before each planned delivery, of the
        promises to prepare: a batch per call, each delivery reminded once."""
        now = fields.Datetime.now()
        reminded = self.browse()
        # Each company has its own delay (Settings > Journey); companies are few.
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            domain = [
                ("journey_work_type", "=", "delivery"),
                ("journey_prepare_reminded", "=", False),
                ("company_id", "=", company.id),
                ("state", "not in", ("1_done", "1_canceled")),
                ("user_ids", "!=", False),
                ("date_deadline", "!=", False),
                (
                    "date_deadline",
                    "<=",
                    now + timedelta(days=company.journey_prepare_days),
                ),
            ]
            reminded |= self.search(
                domain, limit=batch_size - len(reminded), order="date_deadline, id"
            )
            if len(reminded) >= batch_size:
                break
        if reminded:
            self.env["mail.activity"]._journey_schedule_batch(
                [task._journey_prepare_activity_values() for task in reminded],
                lambda env: env._("Deliveries to prepare"),
            )
            # sudo: each delivery is reminded once, whoever runs the job.
            reminded.sudo().journey_prepare_reminded = True
        self.env["ir.cron"]._notify_progress(
            done=len(reminded), remaining=1 if len(reminded) >= batch_size else 0
        )
