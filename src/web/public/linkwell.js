// Progressive enhancement only: every journey works without this file.
import { initAll } from '/assets/nhsuk/nhsuk-frontend.min.js';

initAll();
