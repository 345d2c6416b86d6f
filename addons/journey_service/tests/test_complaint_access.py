"""Who reads, records and answers complaints, and who keeps the red-alert
keywords: every role, the quality manager included."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_complaint import JourneyComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintAccess(JourneyComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._complaint(user=cls.cx_manager)
        cls.theirs = cls._complaint(
            user=cls.cx_manager, partner_id=cls.other_customer.id
        )
        cls.foreign = cls.Complaint.sudo().create(
            {
                "partner_id": cls.customer.id,
                "description": "Another dealership's complaint",
                "company_id": cls.other_company.id,
            }
        )
        cls.keyword = cls.Keyword.create({"keyword": "recall"})

    def _visible(self, user):
        return self.Complaint.with_user(user).search(
            [("id", "in", (self.mine | self.theirs | self.foreign).ids)]
        )

    def test_consultants_see_and_answer_only_their_customers_complaints(self):
        self.assertEqual(self._visible(self.consultant), self.mine)
        self.assertEqual(self._visible(self.consultant_2), self.theirs)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.consultant).read(["description"])
        self.mine.with_user(self.consultant).write({"root_cause_note": "Mats late"})
        self.mine.with_user(self.consultant).action_investigate()
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.consultant).write({"root_cause_note": "x"})
        created = self._complaint(user=self.consultant)
        self.assertEqual(created.contact_user_id, self.consultant)
        with self.assertRaises(AccessError):
            self._complaint(user=self.consultant, partner_id=self.other_customer.id)
        with self.assertRaises(AccessError):
            created.with_user(self.consultant).unlink()

    def test_delivery_specialists_read_and_record_not_answer(self):
        self.assertEqual(self._visible(self.delivery), self.mine | self.theirs)
        created = self._complaint(user=self.delivery, channel="store")
        self.assertEqual(created.channel, "store")
        with self.assertRaises(AccessError):
            self.mine.with_user(self.delivery).write({"root_cause_note": "x"})
        with self.assertRaises(AccessError):
            self.mine.with_user(self.delivery).action_investigate()

    def test_after_sales_and_quality_work_on_every_complaint_of_their_company(self):
        for user in (self.advisor, self.manager, self.quality, self.cx_manager):
            self.assertEqual(self._visible(user), self.mine | self.theirs, user.name)
            self.theirs.with_user(user).write({"root_cause_note": user.name})
            self._complaint(user=user, partner_id=self.other_customer.id)
            with self.assertRaises(AccessError):
                self.foreign.with_user(user).read(["description"])
        # An advisor who is not an owner does not move someone else's complaint on;
        # the managers (after-sales, quality) do.
        self.theirs.sudo().aftersales_user_id = self.manager_2
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.advisor).action_investigate()
        self.theirs.with_user(self.quality).action_investigate()
        self.assertEqual(self.theirs.state, "investigating")
        for user in (self.consultant, self.advisor, self.manager, self.quality):
            with self.assertRaises(AccessError):
                self.mine.with_user(user).unlink()

    def test_keywords_are_kept_by_after_sales_and_quality_managers(self):
        for user in (self.consultant, self.delivery, self.advisor):
            self.keyword.with_user(user).read(["keyword"])
            with self.assertRaises(AccessError):
                self.keyword.with_user(user).write({"keyword": "recalled"})
            with self.assertRaises(AccessError):
                self.Keyword.with_user(user).create({"keyword": "leak"})
            with self.assertRaises(AccessError):
                self.keyword.with_user(user).unlink()
        for user in (self.manager, self.quality, self.cx_manager):
            keyword = self.Keyword.with_user(user).create(
                {"keyword": f"leak {user.id}"}
            )
            keyword.write({"severity": "high"})
            keyword.unlink()
        # Matching does not depend on what the writer may read.
        self.assertTrue(self._complaint("a safety RECALL letter").is_red_alert)

    def test_quality_manager_role(self):
        group = self.env.ref("journey_service.group_quality_manager")
        self.assertEqual(
            group.category_id, self.env.ref("journey_crm.module_category_journey")
        )
        self.assertTrue(self.quality.has_group("journey_crm.group_service_advisor"))
        self.assertFalse(self.quality.has_group("journey_crm.group_aftersales_manager"))
        self.assertIn(self.quality, self.company._journey_quality_managers())

    def test_quality_manager_finds_the_keywords_in_configuration(self):
        keywords = self.env.ref("journey_service.menu_journey_alert_keywords")
        bays = self.env.ref("journey_service.menu_journey_service_bays")
        menus = self.env["ir.ui.menu"]
        visible = menus.with_user(self.quality)._visible_menu_ids()
        self.assertIn(keywords.id, visible)
        self.assertNotIn(bays.id, visible)
        visible = menus.with_user(self.manager)._visible_menu_ids()
        self.assertTrue({keywords.id, bays.id} <= visible)
        config = self.env.ref("journey_service.menu_journey_service_config")
        self.assertIn(config.id, menus.with_user(self.quality)._visible_menu_ids())
        self.assertNotIn(config.id, menus.with_user(self.advisor)._visible_menu_ids())

    def test_users_without_a_dealership_role_still_open_customers(self):
        plain = new_test_user(self.env, login="jc_plain", groups="base.group_user")
        self.assertEqual(self.customer.with_user(plain).journey_complaint_count, 0)
        self.assertEqual(
            self.customer.with_user(self.consultant).journey_complaint_count, 1
        )
