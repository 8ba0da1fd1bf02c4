/**
 * How many operations a campaign runs: `CAMPAIGN_SIZE` when set (the full campaign is
 * `CAMPAIGN_SIZE=10000 npx jest apps/api/test/campaigns`), else the slice CI runs by default.
 */
export function campaignSize(ciSlice: number): number {
  const raw = process.env['CAMPAIGN_SIZE'];
  if (raw === undefined || raw === '') return ciSlice;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new Error(`CAMPAIGN_SIZE must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

/** The generator's seed: `CAMPAIGN_SEED` to replay a run, else a fixed one so CI is repeatable. */
export function campaignSeed(fallback: number): number {
  const raw = process.env['CAMPAIGN_SEED'];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`CAMPAIGN_SEED must be a whole number, got "${raw}"`);
  return Number(raw) >>> 0;
}

/** Runs `task` over `items` with at most `concurrency` running at once, in order of the items. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
