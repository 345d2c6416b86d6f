from odoo.tests import TransactionCase, tagged

from odoo.addons.journey_crm.tests.translation_check import untranslated_terms


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_chinese_complete(self):
        """Every word of the addon reads in Chinese: the first dealerships using
        Journey are Chinese, and an English word in a Chinese screen is a defect."""
        missing = untranslated_terms(self.env, "journey_service", "zh_CN")
        self.assertFalse(
            missing,
            "Untranslated in journey_service/i18n/zh_CN.po:\n" + "\n".join(missing),
        )
