from odoo import api, fields, models
from odoo.exceptions import ValidationError

CLOSE_BATCH = 200


class JourneyCommitment(models.Model):
    """Free services promised over a period, used one per workshop visit."""

    _inherit = "journey.commitment"  # pylint: disable=consider-merging-classes-inherited

    journey_overdue_label = fields.Char(
        string="Late",
        compute="_compute_journey_overdue_label",
        help="Says in words that the promise is overdue (the workshop's brief).",
    )

    @api.depends("is_overdue")
    def _compute_journey_overdue_label(self):
        for commitment in self:
            commitment.journey_overdue_label = (
                self.env._("Overdue") if commitment.is_overdue else False
            )

    def _journey_is_free_service(self):
        """N free services over a period, used one per workshop visit."""
        self.ensure_one()
        return (
            self.category == "free_service"
            and self.due_rule == "over_period"
            and self.uses_total > 0
        )

    def _journey_uses_left_label(self):
        """How many free services are left, as one sentence (the vehicle health
        report): translators see the whole phrase, not its pieces."""
        self.ensure_one()
        return self.env._(
            "%(left)s of %(total)s left",
            left=self.uses_total - self.uses_done,
            total=self.uses_total,
        )

    def _journey_check_use_available(self):
        today = fields.Date.context_today(self)
        for commitment in self:
            if not commitment._journey_is_free_service():
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a promise of free services.",
                        name=commitment.name,
                    )
                )
            if (
                commitment.fulfillment_state not in ("open", "in_progress")
                or not commitment.is_current
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s cannot be used: it is %(state)s.",
                        name=commitment.name,
                        state=commitment._get_fulfillment_state_label(),
                    )
                )
            if commitment.uses_done >= commitment.uses_total:
                raise ValidationError(
                    self.env._(
                        "All %(total)s free services of %(name)s have been used.",
                        total=commitment.uses_total,
                        name=commitment.name,
                    )
                )
            if commitment.date_deadline and commitment.date_deadline < today:
                raise ValidationError(
                    self.env._(
                        "The period of %(name)s ended on %(date)s.",
                        name=commitment.name,
                        date=commitment.date_deadline,
                    )
                )

    def _journey_consume_use(self, task):
        """A service visit used one of the promised free services."""
        self.ensure_one()
        self._journey_check_use_available()
        uses_done = self.uses_done + 1
        values = {"uses_done": uses_done}
        values["fulfillment_state"] = (
            "fulfilled" if uses_done >= self.uses_total else "in_progress"
        )
        # sudo: a use is consumed by finishing the visit, never written by a caller.
        self.sudo().write(values)
        self.sudo().message_post(
            body=self.env._(
                "Free service %(done)s of %(total)s used by %(task)s.",
                done=uses_done,
                total=self.uses_total,
                task=task.name,
            ),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="journey_crm.mt_commitment_fulfilled"
            if uses_done >= self.uses_total
            else None,
        )

    @api.model
    def _cron_journey_close_free_services(self, batch_size=CLOSE_BATCH):
        """Close the free services whose period ended, noting how many were used:
        a batch per call, the scheduled action calls again while some remain."""
        domain = [
            ("is_current", "=", True),
            ("category", "=", "free_service"),
            ("due_rule", "=", "over_period"),
            ("fulfillment_state", "in", ("open", "in_progress")),
            # The due date of an open free service is its period's end.
            ("date_due", "<", fields.Date.context_today(self)),
            ("order_id.state", "=", "sale"),
        ]
        ended = self.search(domain, limit=batch_size, order="date_due, id")
        # sudo: the period's end closes the promise, whoever runs the job.
        ended.sudo().write({"fulfillment_state": "fulfilled"})
        for commitment in ended:
            commitment.message_post(
                body=self.env._(
                    "The period ended with %(done)s of %(total)s free services used.",
                    done=commitment.uses_done,
                    total=commitment.uses_total,
                )
            )
        self.env["ir.cron"]._notify_progress(
            done=len(ended), remaining=1 if len(ended) >= batch_size else 0
        )
