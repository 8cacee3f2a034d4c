/** pg-boss's internal job manager (no types of its own); only its prototype is touched, in queue.ts. */
declare module 'pg-boss/src/manager.js' {
  const Manager: { prototype: object };
  export default Manager;
}
