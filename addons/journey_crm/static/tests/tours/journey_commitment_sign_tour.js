/** @odoo-module **/

import { registry } from "@web/core/registry";
import { drawAndSubmitSignatureSteps } from "@journey_crm/../tests/tours/journey_sign_steps";

// The customer opens the quotation from their own link, reads the
// commitments and signs. The data is created by the Python test
// (journey_crm/tests/test_portal_signing.py).
registry.category("web_tour.tours").add("journey_crm_commitment_sign", {
    steps: () => [
        {
            content: "The quotation lists our commitments to the customer",
            trigger: "#journey_commitments td:contains(Floor mats)",
        },
        {
            content: "An approved special promise is listed too",
            trigger: "#journey_commitments td:contains(Repairs within 3 days)",
        },
        {
            content: "The checklist is complete: no waiting message",
            trigger: "body:not(:has(#journey_commitments_pending))",
        },
        {
            content: "Accept and sign the quotation",
            trigger: "a[data-bs-target='#modalaccept']:contains(Accept & Sign)",
            run: "click",
        },
        {
            content: "The signer's name is filled in",
            trigger: ".modal .o_web_sign_name_and_signature input:value(Customer Zhao)",
        },
        ...drawAndSubmitSignatureSteps(),
        {
            content: "The order is signed and confirmed",
            trigger: ".alert-success:contains(Your order has been confirmed)",
            // Confirming renders and attaches the signed PDF: slow on a busy machine.
            timeout: 60000,
        },
        {
            content: "The commitments now show their signing date",
            trigger: "#journey_commitments:not(:has(.text-warning:contains(To sign)))",
        },
    ],
});
