/** @odoo-module **/

import { registry } from "@web/core/registry";

// The data of these tours is created by journey_service/tests/test_ux_workshop.py.

// The advisor records the score given on the follow-up call: nothing is chosen
// for them, the 0-10 scale is a row of buttons.
registry.category("web_tour.tours").add("journey_service_nps_record", {
    steps: () => [
        {
            content: "Record the follow-up call: the visit's next step",
            trigger:
                ".o_form_view .o_statusbar_buttons button.btn-primary[name='action_journey_record_followup']",
            run: "click",
        },
        {
            content: "The scale shows 0 to 10 as buttons",
            trigger: ".modal .o_field_selection_badge[name='score'] .o_selection_badge:contains(10)",
        },
        {
            content: "No score is chosen for the advisor",
            trigger: ".modal .o_field_selection_badge[name='score']:not(:has(.o_selection_badge.active))",
        },
        {
            content: "Record without a score",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Refused: the score is missing",
            trigger: ".modal .o_field_invalid[name='score']",
        },
        {
            content: "The customer gave 8",
            trigger: ".modal .o_field_selection_badge[name='score'] .o_selection_badge:contains(8)",
            run: "click",
        },
        {
            content: "8 is chosen",
            trigger: ".modal .o_field_selection_badge[name='score'] .o_selection_badge.active:contains(8)",
        },
        {
            content: "Record",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The visit shows the score",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name='journey_nps_score']:contains(8)",
        },
    ],
});

// A salesperson opens a visit of their customer from the vehicle: the workshop's
// views, read-only, no New, no clickable stage bar; only their own action, a
// small dialog to ask for an expedite.
registry.category("web_tour.tours").add("journey_service_visit_consultant", {
    steps: () => [
        {
            content: "The vehicle's visits",
            trigger: ".o_form_view .oe_stat_button[name='action_journey_view_tasks']",
            run: "click",
        },
        {
            content: "The visits open on the workshop's board, without New",
            trigger:
                ".o_kanban_view .o_kanban_record:contains(Wheel alignment):not(:has(.o_kanban_quick_add))",
        },
        {
            content: "No New on the board",
            trigger: ".o_control_panel:not(:has(.o-kanban-button-new))",
        },
        {
            content: "Open the visit",
            trigger: ".o_kanban_record:contains(Wheel alignment)",
            run: "click",
        },
        {
            content: "The visit opens read-only",
            trigger: ".o_form_view .o_form_readonly .o_field_widget[name='partner_id']:contains(Customer Zhao)",
        },
        {
            content: "No New button",
            trigger: ".o_control_panel:not(:has(.o_form_button_create))",
        },
        {
            content: "The stage bar is not clickable",
            trigger: ".o_field_statusbar .o_statusbar_status button.o_arrow_button:not(.o_arrow_button_current):disabled",
        },
        {
            content: "No workshop button",
            trigger:
                ".o_statusbar_buttons:not(:has(button[name='action_journey_checkin'])):not(:has(button[name='action_journey_service_quotation']))",
        },
        {
            content: "The promises and notes are one closed line, with counts",
            trigger: ".o_journey_visit_brief:not([open]) summary:contains(open promise(s))",
        },
        {
            content: "Open the promises",
            trigger: ".o_journey_visit_brief summary",
            run: "click",
        },
        {
            content: "The promises are listed",
            trigger: ".o_journey_visit_brief[open] .o_data_row:contains(Home charger)",
        },
        {
            content: "Ask to expedite",
            trigger: ".o_statusbar_buttons button[name='action_journey_request_expedite']",
            run: "click",
        },
        {
            content: "A small dialog, not the request's whole form",
            trigger: ".modal .o_form_view:not(:has(.o_form_statusbar)):not(:has(.o-mail-Chatter))",
        },
        {
            content: "The reason: an urgent trip",
            trigger: ".modal .o_field_radio[name='reason_kind'] label:contains(Urgent Trip)",
            run: "click",
        },
        {
            content: "Why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Flying to Beijing on Friday, needs the car on Thursday",
        },
        {
            content: "Send",
            trigger: ".modal .modal-footer button:contains(Send Request)",
            run: "click",
        },
        {
            content: "The visit shows the pending request",
            trigger: "body:not(:has(.modal)) .o_form_view .alert-warning:contains(asks to expedite this visit)",
        },
        {
            content: "The request is not asked twice",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_journey_request_expedite']))",
        },
    ],
});

// The customer rates the visit on a phone: the eleven buttons fit the screen.
registry.category("web_tour.tours").add("journey_service_nps_phone", {
    steps: () => [
        {
            content: "The eleven buttons fit the phone's width, in rows of equal buttons",
            trigger: ".o_journey_nps_scale label.btn:contains(10)",
            run() {
                const labels = [...document.querySelectorAll(".o_journey_nps_scale label.btn")];
                if (labels.length !== 11) {
                    throw new Error(`Expected 11 score buttons, got ${labels.length}`);
                }
                const width = document.documentElement.clientWidth;
                const widths = new Set();
                for (const label of labels) {
                    const box = label.getBoundingClientRect();
                    if (box.left < 0 || box.right > width + 0.5) {
                        throw new Error(
                            `Button ${label.textContent} overflows: ${box.left}-${box.right} of ${width}`
                        );
                    }
                    widths.add(Math.round(box.width));
                }
                if (widths.size !== 1) {
                    throw new Error(`Buttons of unequal widths: ${[...widths].join(", ")}`);
                }
            },
        },
        {
            content: "The customer gives 9",
            trigger: ".o_journey_nps_scale label.btn:contains(9)",
            run: "click",
        },
        {
            content: "Send",
            trigger: "#journey_nps_form button[type='submit']",
            run: "click",
        },
        {
            content: "Thanked",
            trigger: "#journey_nps_thanks:contains(Thank you for your answer)",
            timeout: 60000,
        },
    ],
});
