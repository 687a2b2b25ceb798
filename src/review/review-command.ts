import { parseArgs } from 'node:util';
import { hanoiIsoWeek, ISO_DAY, isIsoWeek, lastWeeksRange } from './hanoi-week.js';
import { openReviewQueue } from './open-review-queue.js';

export const REVIEW_USAGE = `  npm run cli -- review sample [--week 2026-W48]   (draw the week's live answers into the review queue)
  npm run cli -- review summary [--from YYYY-MM-DD --to YYYY-MM-DD]   (reviewed accuracy)`;

/**
 * `npm run cli -- review sample|summary`: draws a week's sample (the current Hanoi week by default)
 * the way opening the review page does, or prints the reviewed accuracy. Returns the exit code.
 */
export async function runReviewCommand(
  argv: readonly string[],
  config: { DATA_DIR: string; REVIEW_SAMPLE_PER_WEEK: number },
  print: (line: string) => void = (line) => console.log(line),
  now: () => Date = () => new Date(),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { week: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } });
  } catch (err) {
    print(`${(err as Error).message}\nUsage:\n${REVIEW_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action] = positionals;
  if (action !== 'sample' && action !== 'summary') {
    print(`Usage:\n${REVIEW_USAGE}`);
    return 2;
  }
  const week = values.week ?? hanoiIsoWeek(now());
  if (!isIsoWeek(week)) {
    print(`--week must be an ISO week like 2026-W48, not "${week}"`);
    return 2;
  }
  const days = [values.from, values.to].filter((d): d is string => d !== undefined);
  if (action === 'summary' && (days.length === 1 || days.some((d) => !ISO_DAY.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))))) {
    print('--from and --to go together, as dates like 2026-11-01');
    return 2;
  }
  const queue = openReviewQueue(config, { now });
  try {
    if (action === 'sample') {
      const r = queue.ensureWeek(week);
      print(`Tuần ${week}: thêm ${r.added} câu trả lời, tổng ${r.total} (mục tiêu ${config.REVIEW_SAMPLE_PER_WEEK}), đã duyệt ${r.reviewed}/${r.total}`);
      return 0;
    }
    const range = values.from && values.to ? { from: values.from, to: values.to } : lastWeeksRange(now(), 4);
    const a = queue.reviewedAccuracy(range);
    if (a.reviewed === 0) print(`${a.from} → ${a.to}: chưa có câu trả lời nào được duyệt`);
    else print(`${a.from} → ${a.to}: ${a.reviewed} đã duyệt — đúng ${a.correct}, sai ${a.incorrect}, thiếu ${a.incomplete}; độ chính xác ${((a.accuracy ?? 0) * 100).toFixed(1).replace('.', ',')}%`);
    for (const c of a.comments) print(`  [${c.verdict}] ${c.reviewer}: ${c.comment}`);
    return 0;
  } finally {
    queue.close();
  }
}
