from datetime import timedelta

from odoo import Command, fields

from odoo.addons.journey_crm.tests.common import SIGNATURE, JourneyCrmCommon  # noqa: F401


class JourneyServiceCommon(JourneyCrmCommon):
    """The dealership of journey_crm's tests, with a vehicle product, the delivery
    and service projects, a fleet model and a work bay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.car.product_tmpl_id.journey_is_vehicle = True
        cls.project_delivery = cls.env.ref("journey_service.project_delivery")
        cls.project_service = cls.env.ref("journey_service.project_service")
        cls.stage = {
            step: cls.env.ref(f"journey_service.stage_delivery_{step}")
            for step in ("scheduled", "prepared", "ceremony", "done")
        }
        cls.service_stage = {
            step: cls.env.ref(f"journey_service.stage_service_{step}")
            for step in (
                "appointment",
                "reception",
                "diagnosis",
                "repair",
                "handed_back",
                "follow_up",
                "done",
            )
        }
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Journey Motors"})
        cls.fleet_model = cls.env["fleet.vehicle.model"].create(
            {"name": "EV SUV", "brand_id": brand.id, "vehicle_type": "car"}
        )
        cls.bay = cls.env["journey.service.bay"].create(
            {"name": "Test Bay", "code": "TEST-BAY"}
        )
        cls.job_alignment = cls.env.ref("journey_service.job_wheel_alignment")
        cls.job_first = cls.env.ref("journey_service.job_first_service")
        cls.vin_counter = 0

    @classmethod
    def _next_vin(cls):
        cls.vin_counter += 1
        return f"LJ1EV2SU{cls.vin_counter:09d}"

    @classmethod
    def _confirmed_order(cls, **values):
        """A signed and confirmed order of one vehicle with floor mats and a dash
        cam."""
        order = cls._ready_order(**values)
        order.with_user(order.user_id).action_confirm()
        return order

    @classmethod
    def _delivery_task(cls, order):
        return order.journey_task_ids.filtered(
            lambda t: t.journey_work_type == "delivery"
        )

    @classmethod
    def _run_ceremony(cls, task, user=None, advisor=None, first_service=None, **values):
        user = user or cls.delivery
        wizard = (
            cls.env["journey.delivery.ceremony.wizard"]
            .with_user(user)
            .with_context(active_id=task.id)
            .create(
                {
                    "task_id": task.id,
                    "model_id": cls.fleet_model.id,
                    "vin_sn": cls._next_vin(),
                    "license_plate": f"沪A{cls.vin_counter:05d}",
                    "driver_id": task.partner_id.id,
                    "service_advisor_id": (advisor or cls.advisor).id,
                    "first_service_date": first_service
                    or fields.Date.context_today(task) + timedelta(days=120),
                    **values,
                }
            )
        )
        wizard.action_confirm()
        return task.journey_vehicle_id

    @classmethod
    def _create_service_task(cls, partner=None, advisor=None, **values):
        return cls.env["project.task"].create(
            {
                "name": "Service visit",
                "project_id": cls.project_service.id,
                "stage_id": cls.service_stage["appointment"].id,
                "partner_id": (partner or cls.customer).id,
                "journey_service_advisor_id": (advisor or cls.advisor).id,
                "user_ids": [Command.set((advisor or cls.advisor).ids)],
                **values,
            }
        )

    @classmethod
    def _hand_back(cls, task, user=None):
        """Move a service visit from reception to handed back, as its advisor."""
        task = task.with_user(user or task.journey_service_advisor_id or cls.advisor)
        for step in ("reception", "diagnosis", "repair", "handed_back"):
            task.stage_id = cls.service_stage[step]
        return task

    @classmethod
    def _check_promise(cls, commitments, action="fulfilled", user=None, **values):
        """Check promises through the wizard the delivery specialist uses."""
        if action == "fulfilled" and any(
            commitments.mapped("type_id.evidence_required")
        ):
            values.setdefault(
                "evidence_ids",
                [Command.create({"name": "photo.png", "datas": SIGNATURE})],
            )
        wizard = (
            cls.env["journey.commitment.fulfil.wizard"]
            .with_user(user or cls.delivery)
            .create(
                {
                    "commitment_ids": [Command.set(commitments.ids)],
                    "action": action,
                    **values,
                }
            )
        )
        wizard.action_confirm()
        return commitments

    @classmethod
    def _keep_all(cls, task, user=None):
        for commitment in task.journey_checklist_ids.filtered(
            lambda c: c.fulfillment_state in ("open", "in_progress", "partial")
        ):
            cls._check_promise(commitment, user=user)
