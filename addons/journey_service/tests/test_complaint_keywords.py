"""Red alerts: the customer's words are compared with the keywords without HTML,
whatever the character width, case or script, and the owners' managers hear of
it at once through the shipped automation rule, which admins tune."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_complaint import JourneyComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintKeywords(JourneyComplaintCommon):
    def _matches(self, text):
        return set(self.Keyword._journey_match(text, self.company).mapped("keyword"))

    def test_matching_across_widths_case_html_and_scripts(self):
        for text, keyword in (
            ("My BRAKE Failure light is on", "brake failure"),
            ("ＢＲＡＫＥ　ＦＡＩＬＵＲＥ on the highway", "brake failure"),
            ("<p>The <b>brake</b>&nbsp;<i>failure</i> again</p>", "brake failure"),
            ("早上刹车失灵了", "刹车失灵"),
            ("早上剎車失靈了", "剎車失靈"),
            ("儀表盤顯示電池故障", "電池故障"),
            ("<div>安全氣囊燈亮了</div>", "安全氣囊"),
            ("Smoke from the hood", "smoke"),
            ("two FIRES", "fire"),
        ):
            self.assertIn(keyword, self._matches(text), text)
        for text in ("Brakes feel fine", "campfire photos", "", "<p></p>", False):
            self.assertFalse(self._matches(text), text)

    def test_a_keyword_typed_in_full_width_matches_half_width_text(self):
        self.Keyword.create({"keyword": "ＯＩＬ　ＬＥＡＫ"})
        self.assertIn("ＯＩＬ　ＬＥＡＫ", self._matches("an oil leak under the car"))

    def test_empty_keyword_is_refused(self):
        count = self.Keyword.with_context(active_test=False).search_count([])
        for empty in ("", "   ", "<p> </p>", "　"):
            with self.assertRaisesText(ValidationError, "empty keyword"):
                self.Keyword.with_user(self.manager).create({"keyword": empty})
        self.assertEqual(
            self.Keyword.with_context(active_test=False).search_count([]), count
        )
        keyword = self.Keyword.with_user(self.manager).create({"keyword": "recall"})
        with self.assertRaisesText(ValidationError, "empty keyword"):
            keyword.write({"keyword": " "})
        self.assertEqual(keyword.keyword, "recall")

    def test_archived_keyword_no_longer_alerts(self):
        keyword = self.env.ref("journey_service.alert_keyword_smoke_en")
        self.assertTrue(self._complaint("smoke in the cabin").is_red_alert)
        keyword.active = False
        self.assertFalse(self._complaint("smoke in the cabin").is_red_alert)

    def test_complaint_is_flagged_red_and_managers_told_at_once(self):
        calm = self._complaint()
        self.assertFalse(calm.is_red_alert)
        self.assertFalse(self._red_alert_messages(calm))

        complaint = self._complaint("The airbag light and then 刹车失灵!")
        self.assertTrue(complaint.is_red_alert)
        self.assertEqual(complaint.alert_severity, "critical")
        self.assertEqual(
            set(complaint.alert_keyword_ids.mapped("keyword")), {"airbag", "刹车失灵"}
        )
        message = self._red_alert_messages(complaint)
        self.assertEqual(len(message), 1)
        area_manager = self.company._journey_area_manager()
        self.assertTrue(area_manager.has_group("journey_crm.group_aftersales_manager"))
        self.assertEqual(
            complaint.quality_user_id.has_group(
                "journey_service.group_quality_manager"
            ),
            True,
        )
        self.assertLessEqual(
            (area_manager | self.quality).partner_id, message.notified_partner_ids
        )
        # A later write with more alarming words adds to the alert, told once.
        calm.write({"description": "Now there is smoke"})
        self.assertTrue(calm.is_red_alert)
        self.assertEqual(len(self._red_alert_messages(calm)), 1)
        calm.write({"description": "Now there is smoke, and fire"})
        self.assertEqual(
            set(calm.alert_keyword_ids.mapped("keyword")), {"smoke", "fire"}
        )
        self.assertEqual(len(self._red_alert_messages(calm)), 1, "once per alert")

    def test_a_complaint_created_from_the_portal_goes_through_the_same_check(self):
        # What the customer-360 portal route will do: create as superuser after
        # checking the customer.
        complaint = self.Complaint.sudo().create(
            {
                "partner_id": self.customer.id,
                "channel": "portal",
                "description": "<p>The car started to <b>SMOKE</b></p>",
            }
        )
        self.assertTrue(complaint.is_red_alert)
        self.assertEqual(len(self._red_alert_messages(complaint)), 1)

    def test_nps_comment_and_reception_words_raise_a_red_complaint(self):
        visit = self._hand_back(self._create_service_task())
        answer = self.env["journey.nps.answer"]._journey_record(
            visit, 3, "電池故障 twice this week", "portal"
        )
        self.assertTrue(answer.is_red_alert)
        complaint = answer.complaint_id
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.task_id, visit)
        self.assertTrue(complaint.is_red_alert)
        self.assertEqual(len(self._red_alert_messages(complaint)), 1)
        self.assertFalse(
            self.env["journey.nps.answer"]
            ._journey_record(
                self._hand_back(self._create_service_task()), 9, "Great", "portal"
            )
            .is_red_alert
        )

        visit = self._create_service_task().with_user(self.advisor)
        visit.journey_reception_words = "It pulls to the left"
        self.assertFalse(visit.journey_is_red_alert)
        self.assertFalse(visit.journey_complaint_ids)
        visit.journey_reception_words = "It pulls left; 发动机异响 when cold"
        self.assertTrue(visit.journey_is_red_alert)
        self.assertEqual(visit.journey_complaint_ids.channel, "store")
        self.assertEqual(visit.journey_complaint_ids.alert_severity, "high")
        self.assertEqual(visit.journey_complaint_count, 1)
        # The same words saved again raise nothing more.
        visit.journey_reception_words = "It pulls left; 发动机异响 when cold, again"
        self.assertEqual(visit.journey_complaint_count, 1)

    def test_admins_switch_the_rule_off_or_change_its_recipients(self):
        self.red_alert_rule.active = False
        complaint = self._complaint("fire under the seat")
        self.assertTrue(complaint.is_red_alert, "the flag is the model's")
        self.assertFalse(self._red_alert_messages(complaint), "nobody is told")

        self.red_alert_rule.active = True
        template = self.env.ref("journey_service.mail_template_complaint_red_alert")
        template.partner_to = str(self.cx_manager.partner_id.id)
        complaint = self._complaint("fire under the seat")
        message = self._red_alert_messages(complaint)
        self.assertEqual(message.notified_partner_ids, self.cx_manager.partner_id)
