from odoo.tests import TransactionCase, tagged

from odoo.addons.journey_crm.tests.translation_check import untranslated_terms


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_chinese_complete(self):
        """Every word of the board, the pack and the settings reads in Chinese."""
        missing = untranslated_terms(self.env, "journey_kpi", "zh_CN")
        self.assertFalse(
            missing,
            "Untranslated in journey_kpi/i18n/zh_CN.po:\n" + "\n".join(missing),
        )
