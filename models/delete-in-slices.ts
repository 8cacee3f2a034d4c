/**
 * Runs a `delete … limit slice` statement until it deletes fewer than `slice` rows: no long lock on a
 * busy table. Returns how many rows went.
 */
export async function deleteInSlices(slice: number, statement: () => Promise<{ numAffectedRows?: bigint }>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number((await statement()).numAffectedRows ?? 0n);
    total += n;
    if (n < slice) return total;
  }
}
