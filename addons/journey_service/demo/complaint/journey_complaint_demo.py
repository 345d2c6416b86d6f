from datetime import timedelta

from odoo import api, fields, models


class JourneyServiceDemo(models.AbstractModel):
    _inherit = "journey.service.demo"

    @api.model
    def _play_red_alert_complaint(self, order_id, quality_id, manager_id):
        """Wang Fang's complaint after her first visit, answered by sales,
        after-sales and quality together, played through the buttons staff use."""
        order = self.env["sale.order"].browse(order_id)
        quality = self.env["res.users"].browse(quality_id)
        manager = self.env["res.users"].browse(manager_id)
        visit = order.journey_task_ids.filtered(
            lambda t: t.journey_work_type == "service"
        )[:1]
        advisor = visit.journey_service_advisor_id or manager
        complaint = (
            self.env["journey.complaint"]
            .with_user(order.user_id)
            .create(
                {
                    "partner_id": order.partner_id.id,
                    "vehicle_id": visit.journey_vehicle_id.id,
                    "task_id": visit.id,
                    "channel": "phone",
                    "quality_user_id": quality.id,
                    "aftersales_user_id": advisor.id,
                    "description": self.env._(
                        "On the highway this morning the dashboard said 刹车失灵 "
                        "(brake failure) twice. The car has pulled to the left again "
                        "since the alignment. I do not dare to drive it."
                    ),
                }
            )
        )
        complaint.with_user(advisor).action_investigate()
        complaint.with_user(quality).write(
            {
                "solution": self.env._(
                    "<p>We collect the car from Ms Wang's home today and lend her one "
                    "meanwhile (after-sales); the quality manager reads the brake "
                    "system log with the brand's engineer; Zhang Min calls her every "
                    "two hours until the car is back.</p>"
                ),
            }
        )
        complaint.with_user(quality).action_propose_solution()
        complaint.with_user(quality).write(
            {
                "root_cause": "product_defect",
                "root_cause_note": self.env._(
                    "A faulty wheel-speed sensor, replaced under warranty; the "
                    "alignment was redone."
                ),
            }
        )
        complaint.with_user(manager).action_resolve()
        # The story happened yesterday: received 30 hours ago, the joint solution
        # given within 5 hours, resolved this morning.
        received = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=30)
        complaint.sudo().write(
            {
                "date_received": received,
                "date_solution_deadline": received
                + timedelta(hours=complaint.company_id.journey_complaint_answer_hours),
                "date_investigating": received + timedelta(minutes=20),
                "date_joint_solution": received + timedelta(hours=5),
                "date_resolved": received + timedelta(hours=26),
            }
        )
        return complaint
