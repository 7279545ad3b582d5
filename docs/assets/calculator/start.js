// Starts the calculator's worker (runtime.js) as soon as this module is loaded: the build puts it
// into the calculator page's head with `async` (scripts/calculator_page/page.py), so it runs while
// the page is still being parsed, before the theme's script and the form (calculator.js, which
// runs only once the whole page is parsed, finds the worker started).
// Python's start in the worker is most of the wait for a first result; on a slow phone the page's
// own work before it would otherwise come first (make bench: the 4x CPU figure).
import { startWorker } from "./runtime.js";

startWorker();
