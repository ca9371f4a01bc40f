// Joined Up page behaviour: starts the GOV.UK Frontend and MoJ Frontend components. Every page works
// without it; this only adds the enhancements (menus, accordions, focus on error summaries…).
// Served as /static/js/joinedup.js next to the two frontend bundles it imports.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
