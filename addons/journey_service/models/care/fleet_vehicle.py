from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.journey_crm.models.journey_commitment import OPEN_STATES

from .journey_care_event import company_today


class FleetVehicle(models.Model):
    """The vehicle's care: its events, its health report and the service reminder
    its odometer triggers."""

    _inherit = "fleet.vehicle"  # pylint: disable=consider-merging-classes-inherited

    journey_care_event_ids = fields.One2many(
        "journey.care.event", "vehicle_id", string="Care Events"
    )
    journey_care_event_count = fields.Integer(
        string="Care Events Count", compute="_compute_journey_care_event_count"
    )
    journey_care_horizon_date = fields.Date(
        string="Care Planned Until",
        readonly=True,
        copy=False,
        help="Care events are made up to this date; empty when the plan changed "
        "and the events are to be made again.",
    )
    journey_mileage_reminded_on = fields.Date(
        string="Mileage Reminder Sent On", readonly=True, copy=False
    )

    def _compute_journey_care_event_count(self):
        counts = {}
        if self.env["journey.care.event"].has_access("read"):
            counts = dict(
                self.env["journey.care.event"]._read_group(
                    [("vehicle_id", "in", self.ids)], ["vehicle_id"], ["__count"]
                )
            )
        for vehicle in self:
            vehicle.journey_care_event_count = counts.get(vehicle._origin, 0)

    def _journey_care_domain(self):
        """Vehicles that follow a care plan: delivered to a customer."""
        return [
            ("journey_partner_id", "!=", False),
            ("journey_order_id.journey_delivered_on", "!=", False),
        ]

    def _journey_care_stale_domain(self):
        """Vehicles whose care events are to be made again: after a change of
        plan, or once their horizon is less than a month ahead."""
        # sudo: the companies' horizons, whatever the job's user may read.
        companies = self.env["res.company"].sudo().search([("id", "!=", 0)])
        parts = []
        for company in companies:
            threshold = company_today(company) + relativedelta(
                months=company.journey_care_horizon_months - 1
            )
            parts.append(
                [
                    "&",
                    ("company_id", "=", company.id),
                    ("journey_care_horizon_date", "<", threshold),
                ]
            )
        domain = ["|"] * len(parts) + [("journey_care_horizon_date", "=", False)]
        for part in parts:
            domain += part
        return self._journey_care_domain() + domain

    def action_journey_view_care_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_care_event_action"
        )
        action["domain"] = [("vehicle_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Health report
    # ------------------------------------------------------------------

    def _journey_health_values(self):
        """What the health report shows, read once per vehicle."""
        self.ensure_one()
        visits = self.journey_task_ids.filtered(
            lambda t: t.journey_work_type == "service" and t.journey_date_handed_back
        ).sorted("journey_date_handed_back", reverse=True)
        promises = self.journey_commitment_ids.filtered(
            lambda c: c.is_current and c.fulfillment_state in OPEN_STATES
        )
        free_services = promises.filtered(lambda c: c._journey_is_free_service())
        today = company_today(self.company_id)
        planned = self.journey_care_event_ids.filtered(
            lambda e: e.state == "planned" and e.planned_date >= today
        ).sorted("planned_date")
        booked = self.journey_task_ids.filtered(
            lambda t: (
                t.journey_work_type == "service"
                and t.journey_step == "appointment"
                and t.date_deadline
            )
        ).sorted("date_deadline")
        return {
            "visits": visits[:5],
            "promises": promises - free_services,
            "free_services": free_services,
            "planned": planned[:6],
            "next_service": booked[:1],
            "next_service_event": planned.filtered(
                lambda e: e.step_id.kind == "service"
            )[:1],
            "odometer_logs": self.env["fleet.vehicle.odometer"].search(
                [("vehicle_id", "=", self.id)], order="date desc, id desc", limit=3
            ),
        }

    def action_journey_health_report(self):
        return self.env.ref(
            "journey_service.action_report_vehicle_health"
        ).report_action(self)

    def action_journey_send_health_report(self):
        self.check_access("write")
        for vehicle in self:
            if not vehicle.journey_partner_id.email:
                raise UserError(
                    self.env._(
                        "%(customer)s has no e-mail address.",
                        customer=vehicle.journey_partner_id.name or "",
                    )
                )
            vehicle._journey_send_health_report()
        return True

    def _journey_send_health_report(self, event=None):
        """E-mail the health report (PDF) to the customer; the message stays on the
        vehicle."""
        self.ensure_one()
        # sudo: the report reads the visits and promises of the vehicle, which
        # the staff member or the job sends as a whole.
        messages = self.sudo().message_post_with_source(
            "journey_service.mail_template_care_health_report",
            subtype_xmlid="mail.mt_comment",
        )
        if event:
            event.message_post(
                body=self.env._(
                    "Health report sent to %(customer)s.",
                    customer=self.journey_partner_id.name,
                ),
                attachment_ids=messages.attachment_ids.ids,
            )
        return messages

    # ------------------------------------------------------------------
    # Mileage reminder
    # ------------------------------------------------------------------

    def _journey_check_mileage(self):
        """An odometer reading past the company's interval since the last service
        reminds the advisor and the salesperson to book one, once per service."""
        # sudo: the reminder is the vehicle's, whoever records the reading.
        Odometer = self.env["fleet.vehicle.odometer"].sudo()
        for vehicle in self.sudo().filtered("journey_partner_id"):
            last_visit = (
                self.env["project.task"]
                .sudo()
                .search(
                    [
                        ("journey_vehicle_id", "=", vehicle.id),
                        ("journey_work_type", "=", "service"),
                        ("journey_date_handed_back", "!=", False),
                    ],
                    order="journey_date_handed_back desc",
                    limit=1,
                )
            )
            since = last_visit.journey_date_handed_back
            since_date = since.date() if since else None
            if vehicle.journey_mileage_reminded_on and (
                not since_date or vehicle.journey_mileage_reminded_on >= since_date
            ):
                continue
            base = 0.0
            if since_date:
                base = Odometer.search(
                    [("vehicle_id", "=", vehicle.id), ("date", "<=", since_date)],
                    order="value desc",
                    limit=1,
                ).value
            interval = vehicle.company_id.journey_care_mileage_interval
            if vehicle.odometer - base < interval:
                continue
            users = (
                vehicle.journey_partner_id.commercial_partner_id.journey_service_advisor_id
                | vehicle.journey_salesperson_id
            ).filtered(lambda u: u.active and not u.share)
            for user in users:
                vehicle.activity_schedule(
                    "journey_service.mail_act_care_mileage",
                    user_id=user.id,
                    note=self.env._(
                        "%(vehicle)s has run %(km)s km since its last service: book "
                        "the next one with %(customer)s.",
                        vehicle=vehicle.display_name,
                        km=int(vehicle.odometer - base),
                        customer=vehicle.journey_partner_id.name,
                    ),
                )
            vehicle.journey_mileage_reminded_on = company_today(vehicle.company_id)
