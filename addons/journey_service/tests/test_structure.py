"""Deliveries and visits open in their own views, the customer's link is made
when first needed, customer e-mails come from templates in the customer's
language, and managers follow exactly the events they choose."""

from odoo.tests import tagged

from .common import JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestStructure(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant
        cls.order = cls._confirmed_order().with_env(cls.env)
        cls.task = cls._delivery_task(cls.order)
        cls.task.user_ids = cls.delivery

    def test_each_kind_of_work_opens_in_its_own_form(self):
        visit = self._create_service_task()
        self.assertEqual(
            self.task.get_formview_id(),
            self.env.ref("journey_service.project_task_delivery_view_form").id,
        )
        self.assertEqual(
            visit.get_formview_id(),
            self.env.ref("journey_service.project_task_workshop_view_form").id,
        )
        other = self.env["project.task"].create(
            {
                "name": "Office move",
                "project_id": self.env["project.project"].create({"name": "Office"}).id,
            }
        )
        self.assertNotIn(
            other.get_formview_id(),
            (
                self.env.ref("journey_service.project_task_delivery_view_form").id,
                self.env.ref("journey_service.project_task_workshop_view_form").id,
            ),
        )
        # Odoo's own task form knows nothing of deliveries and visits.
        generic = self.env["project.task"].get_view(
            self.env.ref("project.view_task_form2").id, "form"
        )
        self.assertNotIn("journey_", generic["arch"])
        for xmlid, view_mode, view in (
            (
                "project_task_action_journey_delivery",
                "form",
                "project_task_delivery_view_form",
            ),
            (
                "project_task_action_journey_delivery",
                "list",
                "project_task_delivery_view_list",
            ),
            (
                "project_task_action_journey_service",
                "kanban",
                "project_task_workshop_view_kanban",
            ),
            (
                "project_task_action_journey_service",
                "calendar",
                "project_task_workshop_view_calendar",
            ),
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(
                f"journey_service.{xmlid}"
            )
            self.assertIn(
                (self.env.ref(f"journey_service.{view}").id, view_mode), action["views"]
            )

    def test_the_project_app_opens_deliveries_and_visits_in_their_own_views(self):
        """From Project's kanban of projects too: the delivery and service projects
        open on their own views, other projects on Odoo's."""
        for project, view in (
            (self.task.project_id, "project_task_delivery_view_form"),
            (self._create_service_task().project_id, "project_task_workshop_view_form"),
        ):
            action = project.with_user(self.manager).action_view_tasks()
            self.assertIn(
                (self.env.ref(f"journey_service.{view}").id, "form"), action["views"]
            )
            self.assertEqual(action["domain"], [("project_id", "=", project.id)])
            self.assertEqual(action["context"]["default_project_id"], project.id)
        office = self.env["project.project"].create({"name": "Office"})
        action = office.action_view_tasks()
        self.assertEqual(action["res_model"], "project.task")
        self.assertNotIn(
            self.env.ref("journey_service.project_task_delivery_view_form").id,
            [view_id for view_id, _mode in action["views"]],
        )

    def test_the_customers_link_is_made_when_first_needed(self):
        task = self._delivery_task(self._confirmed_order()).with_env(self.env)
        self.assertFalse(
            task.journey_access_token, "no token at the order's confirmation"
        )
        url = task.get_portal_url(query_string="&message=signed")
        self.assertTrue(task.journey_access_token)
        self.assertEqual(
            url,
            f"/my/journey/delivery/{task.id}?access_token={task.journey_access_token}&message=signed",
        )
        self.assertFalse(
            task.access_token,
            "Odoo's own task token, which opens its task pages, is never made",
        )
        visit = self._create_service_task()
        self.assertTrue(
            visit.get_portal_url(suffix="/nps").startswith(
                f"/my/journey/service/{visit.id}/nps?"
            )
        )

    def test_customer_emails_come_from_templates_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("journey_service.mail_template_delivery_checklist")
        template.with_context(lang="fr_FR").subject = "Votre liste de livraison"
        self.customer.lang = "fr_FR"
        self.task.with_user(self.delivery).action_journey_send_customer_link()
        message = self.task.message_ids[0]
        self.assertEqual(message.subject, "Votre liste de livraison")
        self.assertIn(self.customer, message.partner_ids)
        self.assertIn(
            f"/my/journey/delivery/{self.task.id}?access_token=", message.body
        )
        # Admins change the wording without code: the next e-mail says it.
        template.with_context(lang="fr_FR").body_html = "<p>Signez ici</p>"
        self.task.with_user(self.delivery).action_journey_send_customer_link()
        self.assertIn("Signez ici", self.task.message_ids[0].body)

    def test_managers_follow_exactly_the_events_they_choose(self):
        order = self._create_order()
        approved = self.env.ref("journey_crm.mt_order_commitment_approved")
        order.message_subscribe(
            partner_ids=self.manager_2.partner_id.ids, subtype_ids=approved.ids
        )
        special = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        special.with_user(self.manager).action_approve()
        decision = special.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("journey_crm.mt_commitment_approved")
        )
        self.assertTrue(decision)
        self.assertIn(
            self.manager_2.partner_id,
            decision.notified_partner_ids,
            "following the order's approvals notifies its commitments' approvals",
        )
        mats = self._add_commitment(order, self.type_mats, "Floor mats")
        mats.with_user(self.consultant).action_cancel(reason="Not needed")
        self.assertNotIn(
            self.manager_2.partner_id,
            mats.message_ids.notified_partner_ids,
            "a cancellation is not what they follow",
        )

    def test_handover_subtypes(self):
        handover = self.order.journey_handover_ids
        handover.with_user(self.consultant).write(
            {"receiver_id": self.delivery.id, "background": "Teacher"}
        )
        handover.with_user(self.consultant).action_send()
        handover.with_user(self.delivery).action_acknowledge()
        self.assertIn(
            self.env.ref("journey_service.mt_handover_acknowledged"),
            handover.message_ids.subtype_id,
        )

    def test_visit_banner_shows_the_vehicles_and_the_customers_own_promises(self):
        brand_model = self.fleet_model
        fleet_customer = self.env["res.partner"].create(
            {"name": "Fleet Co", "is_company": True}
        )
        vehicles = self.env["fleet.vehicle"].create(
            [
                {"model_id": brand_model.id, "journey_partner_id": fleet_customer.id}
                for _i in range(3)
            ]
        )
        order = self._confirmed_order(partner=fleet_customer)
        promises = order.commitment_ids
        promises[0].sudo().vehicle_id = vehicles[0]
        promises[1].sudo().vehicle_id = vehicles[1]
        visit = self._create_service_task(
            partner=fleet_customer, journey_vehicle_id=vehicles[0].id
        )
        self.assertEqual(visit.journey_open_commitment_ids, promises[0])
        self.assertEqual(visit.journey_other_open_commitment_count, 1)
        action = visit.action_journey_view_open_commitments()
        self.assertEqual(
            self.env["journey.commitment"].search(action["domain"]), promises
        )
        self.assertEqual(
            self._create_service_task(
                partner=fleet_customer, journey_vehicle_id=vehicles[2].id
            ).journey_other_open_commitment_count,
            2,
        )
