from odoo import api, fields, models


class JourneyNpsAnswer(models.Model):
    """An NPS comment is read for red-alert keywords; two low answers in a row
    flag the customer at risk of leaving."""

    _inherit = "journey.nps.answer"

    is_red_alert = fields.Boolean(string="Red Alert", readonly=True, copy=False)
    alert_keyword_ids = fields.Many2many(
        "journey.alert.keyword", string="Alert Keywords", readonly=True, copy=False
    )
    complaint_id = fields.Many2one(
        "journey.complaint",
        readonly=True,
        copy=False,
        help="The complaint raised by a red-alert comment.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        answers = super().create(vals_list)
        for answer in answers:
            if answer.comment:
                answer._journey_check_red_alert()
        answers._journey_check_churn_risk()
        return answers

    def _journey_check_red_alert(self):
        """A comment with a red-alert keyword flags the answer and raises a
        complaint, which tells the owners' managers (the shipped automation rule)."""
        self.ensure_one()
        keywords = self.env["journey.alert.keyword"]._journey_match(
            self.comment, self.company_id
        )
        if not keywords:
            return
        complaint = self.env["journey.complaint"]._journey_raise(
            self.partner_id,
            self.comment,
            "portal" if self.source == "portal" else "phone",
            task=self.task_id,
            nps_answer=self,
        )
        # sudo: answers are never written by a caller; the check records its result.
        self.sudo().write(
            {
                "is_red_alert": True,
                "alert_keyword_ids": [fields.Command.set(keywords.ids)],
                "complaint_id": complaint.id,
            }
        )

    def _journey_check_churn_risk(self):
        """Two answers in a row at or below the company's threshold flag the
        customer (the shipped automation rule then asks the area manager for a
        retention call); a better answer clears the flag."""
        for partner in self.partner_id.commercial_partner_id:
            # sudo: the customer's last answers, whoever recorded this one.
            last_two = self.sudo().search(
                [("partner_id", "child_of", partner.id)],
                order="answered_on desc, id desc",
                limit=2,
            )
            company = last_two[:1].company_id or self.env.company
            threshold = company.journey_churn_threshold
            at_risk = len(last_two) == 2 and all(
                answer.score <= threshold for answer in last_two
            )
            if at_risk != partner.journey_churn_risk:
                # sudo: the flag follows the answers; no role writes it by hand.
                partner.sudo().write(
                    {
                        "journey_churn_risk": at_risk,
                        "journey_churn_company_id": company.id if at_risk else False,
                    }
                )
