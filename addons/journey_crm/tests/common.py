from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

# A 1x1 transparent PNG: what the portal's signature pad posts (base64, no prefix).
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6"
    "kgAAAABJRU5ErkJggg=="
)


class JourneyCrmCommon(TransactionCase):
    """A dealership with one user per role, a customer, a catalogue and a quotation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Dealership"})
        cls.company.journey_commitment_required = True

        def user(login, group, **kwargs):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,journey_crm.{group}",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
                **kwargs,
            )

        cls.consultant = user(
            "jc_consultant", "group_sales_consultant", name="Consultant One"
        )
        cls.consultant_2 = user(
            "jc_consultant2", "group_sales_consultant", name="Consultant Two"
        )
        cls.delivery = user(
            "jc_delivery", "group_delivery_specialist", name="Delivery Specialist"
        )
        cls.advisor = user(
            "jc_advisor", "group_service_advisor", name="Service Advisor"
        )
        cls.manager = user(
            "jc_manager", "group_aftersales_manager", name="After-Sales Manager"
        )
        cls.manager_2 = user(
            "jc_manager2", "group_aftersales_manager", name="Second Manager"
        )
        cls.cx_manager = user("jc_cx", "group_cx_manager", name="CX Manager")

        cls.customer = cls.env["res.partner"].create(
            {"name": "Customer Zhao", "email": "zhao@example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Customer Qian", "email": "qian@example.com"}
        )
        cls.car = cls.env["product.product"].create(
            {"name": "Test EV", "type": "consu", "list_price": 200000.0}
        )
        cls.type_mats = cls.env.ref("journey_crm.commitment_type_floor_mats")
        cls.type_dash_cam = cls.env.ref("journey_crm.commitment_type_dash_cam")
        cls.type_delivery_date = cls.env.ref(
            "journey_crm.commitment_type_delivery_date"
        )
        cls.type_free_maintenance = cls.env.ref(
            "journey_crm.commitment_type_free_maintenance"
        )
        cls.type_repairs = cls.env.ref("journey_crm.commitment_type_repair_turnaround")
        cls.type_charger = cls.env.ref("journey_crm.commitment_type_home_charger")
        cls.delivery_datetime = fields.Datetime.now().replace(
            microsecond=0
        ) + timedelta(days=30)

    @classmethod
    def _create_order(cls, user=None, partner=None, **values):
        user = user or cls.consultant
        return (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "user_id": user.id,
                    "require_signature": True,
                    "require_payment": False,
                    "commitment_date": cls.delivery_datetime,
                    "order_line": [Command.create({"product_id": cls.car.id})],
                    **values,
                }
            )
        )

    @classmethod
    def _add_commitment(cls, order, commitment_type, name, user=None, **values):
        return (
            cls.env["journey.commitment"]
            .with_user(user or order.user_id)
            .create(
                {
                    "order_id": order.id,
                    "type_id": commitment_type.id,
                    "name": name,
                    **values,
                }
            )
        )

    @classmethod
    def _ready_order(cls, **values):
        """A quotation with two standard promises, declared complete."""
        order = cls._create_order(**values)
        cls._add_commitment(order, cls.type_mats, "Floor mats")
        cls._add_commitment(order, cls.type_dash_cam, "Dash cam")
        order.with_user(order.user_id).action_declare_commitments()
        return order

    @contextmanager
    def assertRaisesText(self, exception, *fragments):
        """``assertRaises`` (rolled back to a savepoint, cache cleared) that also
        checks that the message contains each of ``fragments``."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        message = str(
            catcher.exception.args[0] if catcher.exception.args else catcher.exception
        )
        for fragment in fragments:
            self.assertIn(fragment, message)
