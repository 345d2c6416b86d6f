from odoo import http
from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestWorkshopPortal(HttpCaseWithUserPortal, JourneyServiceCommon):
    """The customer's answer to the NPS question after a visit, on their own page."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_nps_page(self):
        self.authenticate(None, None)
        visit = self._create_service_task()
        url = f"/my/journey/service/{visit.id}/nps"
        token = visit._portal_ensure_token()
        self.assertEqual(self._get(f"{url}?access_token=wrong").status_code, 404)
        self.assertIn(
            "once your vehicle is handed back",
            self._get(f"{url}?access_token={token}").text,
        )
        self._hand_back(visit)
        page = self._get(f"{url}?access_token={token}")
        self.assertIn("How likely are you to recommend us", page.text)
        data = {
            "access_token": token,
            "score": "12",
            "comment": "Excellent",
            "csrf_token": http.Request.csrf_token(self),
        }
        response = self.url_open(url, data=data)
        self.assertIn("0 to 10", response.text)
        self.assertIn("Excellent", response.text, "the comment is kept")
        self.assertFalse(visit.journey_nps_answer_ids)
        data["score"] = "9"
        self.url_open(url, data={**data, "access_token": "wrong"})
        self.assertFalse(visit.journey_nps_answer_ids, "a wrong token records nothing")
        response = self.url_open(url, data=data)
        self.assertIn("Thank you for your answer", response.text)
        self.env.invalidate_all()
        self.assertEqual(
            (visit.journey_nps_answer_ids.score, visit.journey_nps_answer_ids.comment),
            (9, "Excellent"),
        )
        response = self.url_open(url, data={**data, "score": "3"})
        self.assertIn("already", response.text)
        self.env.invalidate_all()
        self.assertEqual(visit.journey_nps_answer_ids.score, 9)
