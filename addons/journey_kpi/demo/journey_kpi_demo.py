from datetime import datetime, time, timedelta

from odoo import api, models


class JourneyKpiDemo(models.AbstractModel):
    """The demo dealership's KPI story, played through the same methods staff and
    the weekly scheduled action use (called from ``journey_kpi_demo.xml``).

    The workshop raised seven sales leads over the last two weeks; sales turned
    one, a friend Sun Hao referred, into an order. Service lead conversion is
    below its 30% target two weeks running, so the customer-experience manager
    has an improvement meeting to hold.
    """

    _name = "journey.kpi.demo"
    _description = "Journey KPI Demo Data"

    @api.model
    def _play_lead_conversion_story(self):
        advisor = self.env.ref("journey_crm.user_service_advisor")
        customers = self.env.ref("journey_service.partner_wang_fang") | self.env.ref(
            "journey_service.partner_sun_hao"
        )
        target = self.env.ref("journey_kpi.target_lead_conversion")
        company = target.company_id
        # A small dealership judges a week from three leads.
        target.min_sample = 3
        monday, sunday = target._journey_last_week(company)
        weeks = [
            (monday - timedelta(days=7), sunday - timedelta(days=7)),
            (monday, sunday),
        ]
        notes = [
            self.env._("Asked what a trade-in of the old sedan would be worth."),
            self.env._("A second child is coming: they need seven seats."),
            self.env._("The old car drinks too much; interested in the hybrid."),
            self.env._("Her brother is looking for an electric car."),
            self.env._("Wants a quote for the top trim before the price rises."),
            self.env._("Asked when the new model's long-range version arrives."),
            self.env._("Referred a colleague who wants the same SUV."),
        ]
        kinds = ["trade_in", "additional_purchase"] * 2 + [
            "trade_in",
            "additional_purchase",
            "referral",
        ]
        leads = self.env["crm.lead"]
        for index, note in enumerate(notes):
            lead = (
                self.env["crm.lead"]
                .with_user(advisor)
                ._journey_raise_from_service(
                    customers[index % 2],
                    kinds[index],
                    "a" if index % 3 else "b",
                    note,
                    referral={"name": "Chen Jie", "phone": "+86 138 0000 0001"}
                    if kinds[index] == "referral"
                    else None,
                )
            )
            start = weeks[0 if index < 3 else 1][0]
            raised = datetime.combine(start + timedelta(days=index % 3), time(3, 0))
            # Demo only: the leads were raised over the last two weeks.
            self.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s WHERE id = %s", (raised, lead.id)
            )
            leads |= lead
        leads.invalidate_recordset(["create_date"])
        self._convert_lead(leads[6], weeks[1][0] + timedelta(days=3))
        for week_start, week_end in weeks:
            target._journey_store_week(week_start, week_end)

    @api.model
    def _convert_lead(self, lead, day):
        """Sales quotes the referred friend and the friend confirms."""
        friend = self.env["res.partner"].create(
            {"name": lead.contact_name, "phone": lead.phone}
        )
        order = (
            self.env["sale.order"]
            .with_user(lead.user_id)
            .create(
                {
                    "partner_id": friend.id,
                    "opportunity_id": lead.id,
                    "team_id": lead.team_id.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.env.ref(
                                    "journey_crm.product_ev_suv"
                                ).id
                            },
                        )
                    ],
                }
            )
        )
        order.action_declare_commitments()
        order.action_confirm()
        # Demo only: confirmed on that day of last week.
        self.env.cr.execute(
            "UPDATE sale_order SET date_order = %s WHERE id = %s",
            (datetime.combine(day, time(6, 0)), order.id),
        )
        order.invalidate_recordset(["date_order"])
