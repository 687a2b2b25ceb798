import type { AnswersReport } from '../answers-eval.js';
import type { KnowledgeCase, KnowledgeCaseResult } from '../knowledge-eval.js';
import type { RetrievalRun } from '../retrieval-eval.js';
import type { ReportCase, ReportMetric, SuiteReport } from './eval-run-report.js';
import { summariseLatency } from './latency-summary.js';

/** "1.001193 Đăng ký khai sinh, 1.000656 …" (codes alone when the name is unknown). */
function citationText(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  return ids.map((id) => (names.has(id) ? `${id} ${names.get(id)}` : id)).join(', ') || '—';
}

const share = (key: string, label: string, value: number | null): ReportMetric => ({ key, label, value, format: 'share', better: 'higher' });
const fewer = (key: string, label: string, value: number): ReportMetric => ({ key, label, value, format: 'count', better: 'lower' });
const ratio = (a: number, b: number) => (b ? a / b : null);

/** The answers suite: single questions, dialogue turns and control messages, with the hard line on numbers. */
export function answersSuiteReport(report: AnswersReport, options: { names?: ReadonlyMap<string, string>; latenciesMs?: readonly number[] } = {}): SuiteReport {
  const names = options.names ?? new Map<string, string>();
  const reasons = new Map(report.failures.map((f) => [`${f.suite}:${f.id}`, f.reasons]));
  const s = report.single.overall;
  const d = report.dialogues;
  const cases: ReportCase[] = [
    ...report.single.results.map((r) => ({
      id: r.id,
      group: 'Câu hỏi đơn',
      question: r.question,
      expected: [`thủ tục ${r.goldIds.join(' hoặc ')}`, r.aspect ? `nội dung: ${r.aspect}` : null].filter(Boolean).join('; '),
      actual: r.text,
      citation: citationText(r.cited, names),
      status: r.status,
      pass: r.pass,
      reasons: reasons.get(`single:${r.id}`) ?? [],
    })),
    ...d.results.map((t) => ({
      id: `${t.dialogueId}#${t.turn}`,
      group: 'Hội thoại',
      question: t.message,
      expected:
        [
          t.expect.status ? `trạng thái ${[t.expect.status].flat().join(' hoặc ')}` : null,
          t.expect.gold_ids ? `thủ tục ${t.expect.gold_ids.join(' hoặc ')}` : null,
          t.expect.chosen_option ? `lựa chọn số ${t.expect.chosen_option}` : null,
          t.expect.options ? 'đưa ra các lựa chọn' : null,
          t.expect.aspect ? `nội dung: ${t.expect.aspect}` : null,
        ]
          .filter(Boolean)
          .join('; ') || '—',
      actual: t.text,
      citation: citationText(t.cited, names),
      status: t.status,
      pass: t.pass,
      reasons: t.reasons,
    })),
    ...report.control.results.map((c) => ({
      id: c.id,
      group: 'Kiểm soát',
      question: c.message,
      expected: `trạng thái ${c.expectStatus}`,
      actual: c.text,
      citation: '—',
      status: c.status,
      pass: c.pass,
      reasons: reasons.get(`control:${c.id}`) ?? [],
    })),
  ];
  return {
    name: 'answers',
    title: 'Câu trả lời',
    metrics: [
      share('single.cited', 'Câu hỏi đơn: trích đúng thủ tục', s.cited),
      share('single.aspect', 'Câu hỏi đơn: trả lời đúng nội dung được hỏi', s.aspect),
      share('single.pass', 'Câu hỏi đơn: đạt mọi tiêu chí', s.pass),
      share('dialogues.turns', 'Hội thoại: lượt đạt', ratio(d.turnsPassed, d.turns)),
      share('control.pass', 'Kiểm soát: đúng trạng thái, không lộ thông tin', ratio(report.control.passed, report.control.n)),
      fewer('numbers', 'Con số không có trong hồ sơ thủ tục (mục tiêu 0)', report.numberViolations),
      fewer('voice.problems', 'Câu trả lời thoại có lỗi khi đọc', report.voice.withProblems),
    ],
    cases,
    latency: summariseLatency(options.latenciesMs ?? []),
  };
}

/** "public no_diacritics (no overlays)" → "Câu hỏi công khai, không dấu (không dùng lớp bổ sung)". */
export function variantLabel(variant: string): string {
  return variant
    .replace(/^public /, 'Câu hỏi công khai, ')
    .replace(/^colloquial /, 'Câu hỏi đời thường, ')
    .replace('as_written', 'viết như người dân')
    .replace('no_diacritics', 'không dấu')
    .replace('(no overlays)', '(không dùng lớp bổ sung của Trung tâm)');
}

/** The retrieval suite: hit@1, hit@5 and MRR@10 per variant; cases are the served variants (with overlays). */
export function retrievalSuiteReport(runs: readonly RetrievalRun[], names: ReadonlyMap<string, string> = new Map()): SuiteReport {
  const metrics = runs.flatMap((r) => [
    share(`${r.variant}.hit1`, `${variantLabel(r.variant)}: đúng ở vị trí 1 (hit@1)`, r.overall.hit1),
    share(`${r.variant}.hit5`, `${variantLabel(r.variant)}: trong 5 kết quả đầu (hit@5)`, r.overall.hit5),
    share(`${r.variant}.mrr10`, `${variantLabel(r.variant)}: MRR@10`, r.overall.mrr10),
  ]);
  const cases = runs
    .filter((r) => !r.variant.includes('(no overlays)'))
    .flatMap((r) =>
      r.results.map((q) => ({
        id: q.id,
        group: variantLabel(r.variant),
        question: q.question,
        expected: citationText(q.goldIds, names),
        actual: `hạng ${q.rank ?? '>10'}`,
        citation: citationText(q.top.slice(0, 3), names),
        status: q.qType,
        pass: q.rank === 1,
        reasons: q.rank === 1 ? [] : [q.rank === null ? 'thủ tục đúng không có trong 10 kết quả đầu' : `thủ tục đúng ở hạng ${q.rank}`],
      })),
    );
  return { name: 'retrieval', title: 'Tìm kiếm thủ tục', metrics, cases, latency: null };
}

/** The knowledge suite: the Center's own knowledge end to end, per area and overall. */
export function knowledgeSuiteReport(results: readonly KnowledgeCaseResult[], cases: readonly KnowledgeCase[] = []): SuiteReport {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const areas = [...new Set(results.map((r) => r.suite))];
  const passed = (rs: readonly KnowledgeCaseResult[]) => ratio(rs.filter((r) => r.pass).length, rs.length);
  const expected = (id: string, turn: number) => {
    const e = byId.get(id)?.turns[turn - 1]?.expect;
    if (!e) return '—';
    return (
      [
        e.status ? `trạng thái ${[e.status].flat().join(' hoặc ')}` : null,
        e.gold_ids ? `thủ tục ${e.gold_ids.join(' hoặc ')}` : null,
        e.not_cited ? `không trích ${e.not_cited.join(', ')}` : null,
        e.must_contain ? `có «${e.must_contain.join('», «')}»` : null,
        e.must_not_contain ? `không có «${e.must_not_contain.join('», «')}»` : null,
      ]
        .filter(Boolean)
        .join('; ') || '—'
    );
  };
  return {
    name: 'knowledge',
    title: 'Kiến thức của Trung tâm',
    metrics: [share('overall', 'Tất cả tình huống đạt (mục tiêu 95%)', passed(results)), ...areas.map((a) => share(a, `Nhóm ${a}: đạt`, passed(results.filter((r) => r.suite === a))))],
    cases: results.flatMap((r) =>
      r.turns.map((t) => ({
        id: `${r.id}#${t.turn}`,
        group: r.suite,
        question: t.message,
        expected: expected(r.id, t.turn),
        actual: t.text,
        citation: t.cited.join(', ') || '—',
        status: t.status,
        pass: t.reasons.length === 0,
        reasons: t.reasons,
      })),
    ),
    latency: summariseLatency(results.flatMap((r) => r.turns.map((t) => t.latencyMs ?? Number.NaN))),
  };
}
