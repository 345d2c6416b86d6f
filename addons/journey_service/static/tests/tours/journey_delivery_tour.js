/** @odoo-module **/

import { registry } from "@web/core/registry";
import { drawAndSubmitSignatureSteps } from "@journey_crm/../tests/tours/journey_sign_steps";

// The delivery specialist checks each promise on the delivery's checklist.
// The data is created by journey_service/tests/test_delivery_tour.py.
registry.category("web_tour.tours").add("journey_service_delivery_check", {
    steps: () => [
        {
            content: "Open the delivery checklist",
            trigger: ".o_form_view .nav-link[name='journey_checklist']",
            run: "click",
        },
        {
            content: "The delivery cannot be done yet",
            trigger: ".alert-warning:contains(still to check)",
        },
        {
            content: "The floor mats were handed over",
            trigger: ".o_data_row:contains(Floor mats) button[name='action_journey_fulfil']",
            run: "click",
        },
        {
            content: "The floor mats are kept",
            trigger: ".o_data_row:contains(Floor mats) .badge:contains(Kept)",
        },
        {
            content: "The charging cable bag was handed over",
            trigger: ".o_data_row:contains(Charging cable bag) button[name='action_journey_fulfil']",
            run: "click",
        },
        {
            content: "Every promise is kept: nothing left to check",
            trigger: ".o_form_view:not(:has(.alert-warning:contains(still to check)))",
        },
    ],
});

// The customer signs the checked list from their own link (or on the tablet).
registry.category("web_tour.tours").add("journey_service_checklist_sign", {
    steps: () => [
        {
            content: "The checklist shows what was promised, kept",
            trigger: ".o_journey_delivery_checklist tr:contains(Floor mats) .badge:contains(Kept)",
        },
        {
            content: "Sign the checklist",
            trigger: "#o_journey_sign_checklist",
            run: "click",
        },
        {
            content: "The signer's name is filled in",
            trigger: ".modal .o_web_sign_name_and_signature input:value(Customer Zhao)",
        },
        ...drawAndSubmitSignatureSteps(),
        {
            content: "The checklist is signed",
            trigger: ".alert-success:contains(your delivery checklist is signed)",
            // The first page load of a fresh database builds its assets: be patient.
            timeout: 60000,
        },
        {
            content: "The signature is shown",
            trigger: "#journey_checklist_signed:contains(Customer Zhao)",
        },
    ],
});
