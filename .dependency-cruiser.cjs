/**
 * The import rules of the project, checked by `npm run lint:deps` (part of `npm test`):
 * no import cycle anywhere, layers that point one way (lib ← config ← models ← handlers ← bots ← src),
 * the feature folders of handlers/ in one order, so no two features import each other, and the
 * outside (bots, src, scripts, bench) reaching a feature only through its index.ts.
 */

/** handlers/ feature folders, lowest first: a feature may import only the ones before it. */
const FEATURES = [
  'calendar',
  'subscriptions',
  'reminders',
  'people',
  'cases',
  'polls',
  'answers',
  'structuring',
  'inbox',
  'intake',
  'ingest',
  'privacy',
  'pages',
  'page-monitoring',
  'analytics',
  'reports',
  'commands',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move the shared piece down a floor, or turn one direction into a port.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-the-lowest-floor',
      severity: 'error',
      comment: 'lib/ holds pure libraries: nothing from the rest of the project.',
      from: { path: '^lib/' },
      to: { path: '^(config|models|handlers|bots|src|scripts|bench|test)/' },
    },
    {
      name: 'config-below-models',
      severity: 'error',
      from: { path: '^config/' },
      to: { path: '^(models|handlers|bots|src|scripts)/' },
    },
    {
      name: 'models-below-handlers',
      severity: 'error',
      comment: 'models/ (repositories, schema, migrations) knows no use case and no platform.',
      from: { path: '^models/' },
      to: { path: '^(handlers|bots|src|scripts)/' },
    },
    {
      name: 'handlers-below-adapters',
      severity: 'error',
      comment: 'handlers/ are platform- and transport-neutral: bots/ and src/ call them, not the other way.',
      from: { path: '^handlers/' },
      to: { path: '^(bots|src|scripts)/' },
    },
    {
      name: 'bots-below-src',
      severity: 'error',
      comment: 'A messenger adapter is wired by the composition root (src/), it does not reach into it.',
      from: { path: '^bots/' },
      to: { path: '^(src|scripts)/' },
    },
    {
      // One way to bind a feature: its index.ts exports the API the bots call, bindX(deps) and whatever
      // else the outside uses (job functions, outcome types, constants), so a feature's files can move
      // and split without touching bots/, src/, scripts/ or bench/. handlers/deps.ts (HandlerDeps, the
      // one deps shape) is not in a feature folder and stays importable. Tests may reach any file.
      name: 'features-through-index',
      severity: 'error',
      comment:
        'Outside handlers/, import a feature only through handlers/<feature>/index.ts; re-export what you need from there.',
      from: { path: '^(bots|src|scripts|bench)/' },
      to: { path: '^handlers/[^/]+/(?!index\\.ts$)' },
    },
    ...FEATURES.slice(0, -1).map((feature, i) => ({
      name: `feature-order-${feature}`,
      severity: 'error',
      comment: `handlers/${feature} may import only ${FEATURES.slice(0, i).join(', ') || 'no other feature'} (order in .dependency-cruiser.cjs).`,
      from: { path: `^handlers/${feature}/` },
      to: { path: `^handlers/(${FEATURES.slice(i + 1).join('|')})/` },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
