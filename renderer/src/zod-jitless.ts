import { z } from 'zod';

// Imported first: zod probes `new Function("")` on first parse to decide whether to compile
// validators; under this CSP (no 'unsafe-eval') the probe is refused AND reported as a CSP violation
// in the console. jitless skips the probe and validates the same way, interpreted.
z.config({ jitless: true });
