/** @odoo-module **/

import { registry } from "@web/core/registry";
import { drawAndSubmitSignatureSteps } from "@journey_crm/../tests/tours/journey_sign_steps";

// The data of these tours is created by journey_service/tests/test_ux_delivery.py.

// The consultant hands the order over to delivery: the only delivery specialist is
// proposed, Send works the first time, and the button gives way to the handover.
registry.category("web_tour.tours").add("journey_service_handover_send", {
    steps: () => [
        {
            content: "Hand the order over to delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_journey_handover']",
            run: "click",
        },
        {
            content: "The only delivery specialist is proposed",
            trigger: ".modal .o_field_widget[name='receiver_id'] input:value(Delivery Specialist)",
        },
        {
            content: "Tell delivery about the customer",
            trigger: ".modal .o_field_widget[name='background'] textarea",
            run: "edit Teacher; first electric car, charges at work.",
        },
        {
            content: "Send it",
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            content: "Sent: the handover shows in a smart button",
            trigger: ".o_form_view:not(:has(.modal)) button[name='action_journey_view_handover']:contains(Sent)",
        },
        {
            content: "The handover cannot be sent twice",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_journey_handover']))",
        },
    ],
});

// The specialist taps Kept on the wrong line and opens it again with a reason.
registry.category("web_tour.tours").add("journey_service_checklist_reopen", {
    steps: () => [
        {
            content: "Open the delivery checklist",
            trigger: ".o_form_view .nav-link[name='journey_checklist']",
            run: "click",
        },
        {
            content: "The due text is not cut on a desktop",
            trigger: ".o_data_row:contains(Floor mats) td[name='due_description']",
            run() {
                if (this.anchor.scrollWidth > this.anchor.clientWidth + 1) {
                    throw new Error(`The due text is cut: ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "Kept, by mistake",
            trigger: ".o_data_row:contains(Floor mats) button[name='action_journey_fulfil']",
            run: "click",
        },
        {
            content: "The line is kept, and can be reopened",
            trigger: ".o_data_row.text-success:contains(Floor mats) button[name='action_journey_reopen']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit The mats are still in the warehouse.",
        },
        {
            content: "Reopen the line",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The line is open again: Kept is offered once more",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_data_row:not(.text-success):contains(Floor mats) button[name='action_journey_fulfil']",
        },
        {
            content: "The reason is in the chatter of the line, nothing left kept",
            trigger: ".o_form_view .alert-warning:contains(still to check)",
        },
    ],
});

function assertOnScreen(element) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || box.left < 0 || box.right > window.innerWidth + 1) {
        throw new Error(
            `"${element.textContent.trim()}" is off-screen: ${box.left}-${box.right} of ${window.innerWidth}px`
        );
    }
}

// On a phone at the car: each promise is a card, its buttons on screen.
registry.category("web_tour.tours").add("journey_service_checklist_phone", {
    steps: () => [
        {
            content: "The checklist shows cards, not a cut list",
            trigger: ".o_journey_checklist_cards .o_kanban_record:contains(Floor mats)",
        },
        {
            content: "The due text is shown whole",
            trigger: ".o_journey_checklist_cards .o_kanban_record:contains(Floor mats) .o_journey_due",
            run() {
                const field = this.anchor;
                if (field.scrollWidth > field.clientWidth + 1) {
                    throw new Error(`The due text is cut: ${field.textContent}`);
                }
                assertOnScreen(field);
            },
        },
        {
            content: "Every check button of the card is on screen",
            trigger: ".o_journey_checklist_cards .o_kanban_record:contains(Floor mats) .o_journey_checklist_actions",
            run() {
                const names = [
                    "action_journey_fulfil",
                    "action_journey_partial",
                    "action_journey_defer",
                    "action_journey_waive",
                ];
                for (const name of names) {
                    const button = this.anchor.querySelector(`button[name='${name}']`);
                    if (!button) {
                        throw new Error(`No ${name} button on the card`);
                    }
                    assertOnScreen(button);
                }
            },
        },
        {
            content: "Kept, from the phone",
            trigger: ".o_journey_checklist_cards .o_kanban_record:contains(Floor mats) button[name='action_journey_fulfil']",
            run: "click",
        },
        {
            content: "The card is kept (it offers Reopen now)",
            trigger:
                ".o_journey_checklist_cards .o_kanban_record:contains(Floor mats):not(:has(button[name='action_journey_fulfil'])) button[name='action_journey_reopen']",
        },
    ],
});

// The tablet handed to the customer: sign-only, then locked until the specialist's
// own password.
registry.category("web_tour.tours").add("journey_service_kiosk", {
    steps: () => [
        {
            content: "The checklist is on the tablet",
            trigger: ".o_journey_delivery_kiosk .o_journey_delivery_checklist tr:contains(Floor mats)",
        },
        {
            content: "No menu, no link to the back office",
            trigger: "body:not(:has(a[href^='/odoo'])):not(:has(a[href^='/web'])):not(:has(header#top)):not(:has(footer))",
        },
        {
            content: "The customer signs",
            trigger: "#o_journey_sign_checklist",
            run: "click",
        },
        ...drawAndSubmitSignatureSteps(),
        {
            content: "Thank you screen",
            trigger: "#journey_kiosk_thanks:contains(Customer Zhao)",
            timeout: 60000,
        },
        {
            content: "Still no link out",
            trigger: "body:not(:has(a[href^='/odoo'])):not(:has(a[href^='/web']))",
        },
        {
            content: "The specialist takes the tablet back",
            trigger: ".o_journey_kiosk_unlock summary",
            run: "click",
        },
        {
            content: "A wrong password",
            trigger: ".o_journey_kiosk_unlock input[name='password']",
            run: "edit not-my-password",
        },
        {
            content: "Unlock",
            trigger: ".o_journey_kiosk_unlock button[type='submit']",
            run: "click",
        },
        {
            content: "Still locked",
            trigger: "#journey_kiosk_unlock_error",
        },
        {
            content: "The right password",
            trigger: ".o_journey_kiosk_unlock input[name='password']",
            run: "edit jc_delivery",
        },
        {
            content: "Unlock",
            trigger: ".o_journey_kiosk_unlock button[type='submit']",
            run: "click",
        },
        {
            content: "Back on the delivery, signed",
            trigger: ".o_form_view .o_field_widget[name='journey_checklist_signed_on']",
        },
    ],
});
