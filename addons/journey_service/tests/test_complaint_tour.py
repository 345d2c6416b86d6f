from odoo.tests import HttpCase, tagged

from .common_complaint import JourneyComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase, JourneyComplaintCommon):
    # A manager's desk screen: with a long company name in the systray, Odoo moves
    # the last menus of Delivery & Service into "More" on a 1366 px screen.
    browser_size = "1920x1080"

    def test_manager_adds_a_keyword_and_the_next_complaint_is_red(self):
        """The after-sales manager adds a keyword in the UI; a complaint with it,
        in another width and case, is then flagged red."""
        self.assertFalse(
            self._complaint("ＣＯＯＬＡＮＴ ＬＥＡＫ under the car").is_red_alert
        )
        action = self.env.ref("journey_service.journey_complaint_action")
        # The first tour of a fresh database also builds the asset bundles: be patient.
        self.start_tour(
            f"/odoo/action-{action.id}",
            "journey_complaint_keyword",
            login=self.manager.login,
            timeout=300,
        )
        keyword = self.Keyword.search([("keyword", "=", "Coolant Leak")])
        self.assertEqual(keyword.severity, "critical")
        complaint = self._complaint("<p>ＣＯＯＬＡＮＴ ＬＥＡＫ under the car</p>")
        self.assertTrue(complaint.is_red_alert)
        self.assertEqual(complaint.alert_keyword_ids, keyword)
        self.assertEqual(len(self._red_alert_messages(complaint)), 1)
