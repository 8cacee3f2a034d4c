import { bindIngest, type IngestApi } from '../../handlers/ingest/index.js';
import { createStructurer, type Structurer } from '../../handlers/structuring/index.js';
import { handlerDeps } from './deps.js';
import type { Runtime } from './runtime.js';

// One structurer per runtime: building the gazetteer per request would be waste; the predictor it
// holds is the runtime's PredictorHolder, so a retrained model still reaches it.
const structurers = new WeakMap<Runtime, Structurer>();

/** Appeals from other systems for the API: the handlers' deps (503 until up) and intake's structuring. */
export function ingestApi(rt: Runtime): IngestApi {
  return bindIngest(() => {
    const deps = handlerDeps(rt);
    let structurer = structurers.get(rt);
    if (!structurer) {
      structurer = createStructurer(rt.domain, rt.predictor, rt.boundaries, rt.intentScorer);
      structurers.set(rt, structurer);
    }
    return {
      ...deps,
      log: rt.log.child({ part: 'ingest' }),
      structuring: { domain: rt.domain, calendar: rt.calendar, structurer },
    };
  });
}
