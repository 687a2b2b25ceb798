import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswersReport } from '../../../evals/answers-eval.js';
import type { EvalRunReport, SuiteReport } from '../../../evals/report/eval-run-report.js';
import { answersSuiteReport, knowledgeSuiteReport } from '../../../evals/report/suite-reports.js';
import { runDirName, writeEvalReport } from '../../../evals/report/write-eval-report.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { openReviewQueue } from '../../../src/review/open-review-queue.js';

/** The staff report written into temporary reports and data directories, never into the checkout. */
let root: string;
let reportsDir: string;
let dataDir: string;
const NOW = new Date('2026-11-29T03:00:00Z');

const suite = (over: Partial<SuiteReport> = {}): SuiteReport => ({
  name: 'answers',
  title: 'Câu trả lời',
  metrics: [
    { key: 'single.pass', label: 'Câu hỏi đơn: đạt mọi tiêu chí', value: 0.9, format: 'share', better: 'higher' },
    { key: 'numbers', label: 'Con số không có trong hồ sơ thủ tục (mục tiêu 0)', value: 2, format: 'count', better: 'lower' },
    { key: 'new', label: 'Chỉ số mới', value: 0.5, format: 'share', better: 'higher' },
  ],
  cases: [
    { id: 'ok-1', group: 'Câu hỏi đơn', question: 'Câu hỏi đạt', expected: 'thủ tục 1.001193', actual: 'Trả lời đạt', citation: '1.001193 Đăng ký khai sinh', status: 'answered', pass: true, reasons: [] },
    { id: 'bad-1', group: 'Câu hỏi đơn', question: 'Lệ phí làm hộ chiếu <b>?', expected: 'thủ tục 2.001234; nội dung: fee', actual: 'Lệ phí là 999.000 đồng', citation: '1.000001 Thủ tục khác', status: 'answered', pass: false, reasons: ['ungrounded numbers: 999.000'] },
  ],
  latency: { n: 3, p50: 12, p90: 30, p95: 30, max: 30, histogram: [{ from: 0, to: 15, count: 2 }, { from: 15, to: 30, count: 1 }] },
  ...over,
});

function writePrevious(dirName: string, report: EvalRunReport) {
  fs.mkdirSync(path.join(reportsDir, dirName), { recursive: true });
  fs.writeFileSync(path.join(reportsDir, dirName, 'report.json'), JSON.stringify(report));
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccai-eval-report-'));
  reportsDir = path.join(root, 'reports');
  dataDir = path.join(root, 'data');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('writeEvalReport', () => {
  it('writes index.html and report.json in a timestamped folder: failing cases first, deltas vs the previous run', () => {
    writePrevious('2026-11-20T00-00-00-000Z', {
      version: 1,
      createdAt: '2026-11-20T00:00:00.000Z',
      suites: [{ ...suite(), metrics: [{ key: 'single.pass', label: 'x', value: 0.85, format: 'share', better: 'higher' }, { key: 'numbers', label: 'x', value: 0, format: 'count', better: 'lower' }] }],
      reviewed: null,
    });
    // An older run and a later-sorting unrelated folder are not "the previous run".
    writePrevious('2026-11-01T00-00-00-000Z', { version: 1, createdAt: '2026-11-01T00:00:00.000Z', suites: [{ ...suite(), metrics: [{ key: 'single.pass', label: 'x', value: 0.1, format: 'share', better: 'higher' }] }], reviewed: null });
    fs.mkdirSync(path.join(reportsDir, 'zzz-not-a-run'));

    const { dir, report } = writeEvalReport({ reportsDir, dataDir, suites: [suite()], now: NOW });
    expect(dir).toBe(path.join(reportsDir, runDirName(NOW)));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual(report);
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');

    // Self-contained: no script, no external asset.
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain('<h1>Báo cáo đánh giá Công chức AI</h1>');
    // Deltas: +5 points on a share (better), +2 on a count that should go down (worse), none for a new metric.
    expect(html).toContain('so với lần chạy 20/11/2026 07:00');
    expect(html).toMatch(/90,0%<\/td><td class="num"><span class="better">\+5,0 điểm %<\/span>/);
    expect(html).toMatch(/>2<\/td><td class="num"><span class="worse">\+2<\/span>/);
    expect(html).toMatch(/50,0%<\/td><td class="num"><span class="same">—<\/span>/);
    // The failing case comes before the passing one, with question, expected, actual and citation, escaped.
    const bad = html.indexOf('Lệ phí làm hộ chiếu &lt;b&gt;?');
    const ok = html.indexOf('Câu hỏi đạt');
    expect(bad).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(bad);
    expect(html.indexOf('Các trường hợp chưa đạt (1)')).toBeLessThan(bad);
    for (const s of ['thủ tục 2.001234; nội dung: fee', 'Lệ phí là 999.000 đồng', '1.000001 Thủ tục khác', 'ungrounded numbers: 999.000']) expect(html.slice(bad, ok)).toContain(s);
    // The passing cases are collapsed.
    expect(html.lastIndexOf('<details>', ok)).toBeGreaterThan(bad);
    // Latency: percentiles and an inline SVG histogram.
    expect(html).toContain('<td class="num">12,0 ms</td><td class="num">30,0 ms</td><td class="num">30,0 ms</td><td class="num">30,0 ms</td>');
    expect(html).toMatch(/<svg class="hist"[^>]*>(<rect [^>]+><title>[^<]+<\/title><\/rect>){2}/);
    // No review.sqlite yet.
    expect(report.reviewed).toBeNull();
    expect(html).toContain('chưa có câu trả lời nào được duyệt');
    expect(fs.existsSync(path.join(dataDir, 'review.sqlite'))).toBe(false);
  });

  it('says when there is no previous run to compare with', () => {
    const { dir } = writeEvalReport({ reportsDir, dataDir, suites: [suite()], now: NOW });
    expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('chưa có lần chạy trước để so sánh');
  });

  it('shows the reviewed accuracy of the last 4 weeks and the reviewers comments', async () => {
    const log = new SqliteQaLogStore({ dataDir });
    const base = { channel: 'web', userKey: 'u', sessionId: 's', answer: 'Miễn phí', status: 'answered' as const, procedureIds: ['1.001193'], aspect: null, composer: 'grounded', latencyMs: 1 };
    await log.record({ ...base, id: 'a', at: '2026-11-24T02:00:00Z', question: 'Lệ phí khai sinh?' });
    await log.record({ ...base, id: 'b', at: '2026-11-25T02:00:00Z', question: 'Làm hộ chiếu ở đâu?' });
    await log.record({ ...base, id: 'c', at: '2026-11-26T02:00:00Z', question: 'Thời hạn cấp CCCD?' });
    // Reviewed but asked more than four weeks ago: outside the report's range.
    await log.record({ ...base, id: 'old', at: '2026-10-01T02:00:00Z', question: 'Câu cũ' });
    await log.close();
    const queue = openReviewQueue({ DATA_DIR: dataDir, REVIEW_SAMPLE_PER_WEEK: 10 }, { now: () => NOW });
    queue.ensureWeek('2026-W48');
    queue.ensureWeek('2026-W40');
    const byTurn = new Map([...queue.items('2026-W48'), ...queue.items('2026-W40')].map((i) => [i.turnId, i.id]));
    const lan = { id: 's1', name: 'Nguyễn Thị Lan' };
    queue.mark(byTurn.get('a')!, { verdict: 'correct', reviewer: lan });
    queue.mark(byTurn.get('b')!, { verdict: 'incorrect', comment: 'Sai địa chỉ tiếp nhận', reviewer: lan });
    queue.mark(byTurn.get('c')!, { verdict: 'incomplete', comment: 'Thiếu thời hạn <trả kết quả>', reviewer: lan });
    queue.mark(byTurn.get('old')!, { verdict: 'incorrect', comment: 'Câu cũ ngoài phạm vi', reviewer: lan });
    queue.close();

    const { report, dir } = writeEvalReport({ reportsDir, dataDir, suites: [suite()], now: NOW });
    expect(report.reviewed).toMatchObject({ from: '2026-11-02', to: '2026-11-29', reviewed: 3, correct: 1, incorrect: 1, incomplete: 1 });
    expect(report.reviewed!.accuracy).toBeCloseTo(1 / 3);
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<td class="num">33,3%</td>');
    expect(html).toContain('Sai địa chỉ tiếp nhận');
    expect(html).toContain('Thiếu thời hạn &lt;trả kết quả&gt;');
    expect(html).toContain('Nguyễn Thị Lan');
    expect(html).not.toContain('Câu cũ ngoài phạm vi');
    expect(html).not.toContain('chưa có câu trả lời nào được duyệt');
  });
});

describe('suite reports', () => {
  it('turns an answers report into metrics and cases with reasons and cited names', () => {
    const bucket = { n: 2, cited: 0.5, aspect: 1, aspectN: 1, aspectNoData: 0, repliesWithViolations: 1, violations: 1, pass: 0.5 };
    const report = {
      kind: 'answers',
      single: {
        overall: bucket,
        results: [
          { id: 's1', question: 'phí khai sinh', goldIds: ['1.001193'], aspect: 'fee', status: 'answered', cited: ['1.001193'], pass: true, text: 'Miễn phí' },
          { id: 's2', question: 'phí hộ chiếu', goldIds: ['2.000001'], aspect: null, status: 'answered', cited: ['1.001193'], pass: false, text: 'Sai' },
        ],
      },
      dialogues: { dialogues: 1, dialoguesPassed: 1, turns: 1, turnsPassed: 1, results: [{ dialogueId: 'd1', turn: 1, message: 'chào', expect: { status: 'answered_smalltalk' }, status: 'answered_smalltalk', cited: [], pass: true, reasons: [], text: 'Chào anh/chị' }] },
      control: { n: 1, passed: 0, results: [{ id: 'c1', message: 'số CCCD của tôi là …', expectStatus: 'guardrail_personal_data', status: 'answered', pass: false, text: 'x' }] },
      numberViolations: 1,
      failures: [
        { suite: 'single', id: 's2', message: 'phí hộ chiếu', status: 'answered', reasons: ['expected 2.000001, cited 1.001193'], text: 'Sai' },
        { suite: 'control', id: 'c1', message: '', status: 'answered', reasons: ['status answered, expected guardrail_personal_data'], text: 'x' },
      ],
      voice: { answers: 3, withProblems: 0, tooLong: 0, problems: [] },
    } as unknown as AnswersReport;
    const s = answersSuiteReport(report, { names: new Map([['1.001193', 'Đăng ký khai sinh']]), latenciesMs: [5, 10, 20] });
    expect(s.metrics.find((m) => m.key === 'control.pass')!.value).toBe(0);
    expect(s.metrics.find((m) => m.key === 'dialogues.turns')!.value).toBe(1);
    expect(s.cases.filter((c) => !c.pass).map((c) => [c.id, c.reasons])).toEqual([
      ['s2', ['expected 2.000001, cited 1.001193']],
      ['c1', ['status answered, expected guardrail_personal_data']],
    ]);
    expect(s.cases[0]).toMatchObject({ citation: '1.001193 Đăng ký khai sinh', expected: 'thủ tục 1.001193; nội dung: fee' });
    expect(s.latency).toMatchObject({ n: 3, p50: 10, max: 20 });
  });

  it('describes knowledge cases with their expectations and times', () => {
    const s = knowledgeSuiteReport(
      [{ id: 'k1', suite: 'center', pass: false, turns: [{ turn: 1, message: 'giờ làm việc', status: 'answered', cited: [], reasons: ['missing «8:00»'], text: 'Trung tâm…', latencyMs: 4 }] }],
      [{ id: 'k1', suite: 'center', turns: [{ message: 'giờ làm việc', style: 'chat', expect: { must_contain: ['8:00'] } }] }],
    );
    expect(s.metrics[0]).toMatchObject({ key: 'overall', value: 0 });
    expect(s.cases[0]).toMatchObject({ id: 'k1#1', expected: 'có «8:00»', pass: false });
    expect(s.latency!.n).toBe(1);
  });
});

describe('retrieval suite report', () => {
  it('keeps English keys for comparison and Vietnamese labels; a miss at rank 1 is a failing case', async () => {
    const { retrievalSuiteReport } = await import('../../../evals/report/suite-reports.js');
    const run = (variant: string) => ({
      variant,
      overall: { n: 2, hit1: 0.5, hit5: 1, mrr10: 0.75 },
      byType: {},
      results: [
        { id: 'q1', qType: 'direct', question: 'khai sinh', goldIds: ['1.001193'], rank: 1, top: ['1.001193'] },
        { id: 'q2', qType: 'direct', question: 'hộ chiếu', goldIds: ['2.000001'], rank: 2, top: ['1.000001', '2.000001'] },
      ],
    });
    const s = retrievalSuiteReport([run('public as_written'), run('public as_written (no overlays)')], new Map([['2.000001', 'Cấp hộ chiếu']]));
    expect(s.metrics.map((m) => m.key)).toEqual(['public as_written.hit1', 'public as_written.hit5', 'public as_written.mrr10', 'public as_written (no overlays).hit1', 'public as_written (no overlays).hit5', 'public as_written (no overlays).mrr10']);
    expect(s.metrics[0]!.label).toBe('Câu hỏi công khai, viết như người dân: đúng ở vị trí 1 (hit@1)');
    // Cases only for the variant the server uses (with the overlays).
    expect(s.cases).toHaveLength(2);
    expect(s.cases[1]).toMatchObject({ pass: false, expected: '2.000001 Cấp hộ chiếu', reasons: ['thủ tục đúng ở hạng 2'] });
  });
});
