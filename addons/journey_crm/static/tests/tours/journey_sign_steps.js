/** @odoo-module **/

/**
 * Steps shared by every Journey signing tour: in the open signing dialog, draw
 * the signer's name, wait until the pad really holds it, and submit.
 *
 * The pad draws the name asynchronously: an early click sends a blank image
 * ("Signature is missing").
 */
export function drawAndSubmitSignatureSteps() {
    return [
        {
            content: "Choose a signature style",
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            content: "Pick the second style",
            trigger: ".o-dropdown-item:eq(1)",
            run: "click",
        },
        {
            content: "Wait until the pad shows the drawn name",
            trigger: ".modal canvas",
            async run() {
                const blank = (canvas) => {
                    const empty = document.createElement("canvas");
                    empty.width = canvas.width;
                    empty.height = canvas.height;
                    return canvas.toDataURL() === empty.toDataURL();
                };
                for (let i = 0; i < 100 && (!this.anchor.width || blank(this.anchor)); i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
        {
            content: "Submit the signature",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
    ];
}
