import type { Procedure, SubmissionChannel } from '../domain/procedure.js';
import type { OnlineOnlyEntry } from './online-only-list.js';
import type { Overlay } from './overlay.js';

/** Label of the channel an online-only procedure keeps; the grounded answer quotes it. */
export const ONLINE_ONLY_LABEL = 'Trực tuyến (thành phố chỉ tiếp nhận trực tuyến)';

/**
 * The record as the assistant serves it today: the catalogue's record with the staff's aliases
 * and example questions added (retrieval weighs aliases like the name), and, while the city
 * accepts the procedure only online, only the online way of submitting — so "nộp ở đâu" answers
 * "trực tuyến", not the counter.
 */
export function servableProcedure(p: Procedure, overlay: Overlay | undefined, onlineOnly: OnlineOnlyEntry | undefined): Procedure {
  if (!overlay && !onlineOnly) return p;
  const out: Procedure = { ...p };
  if (overlay) {
    const seen = new Set(p.aliases.map((a) => a.toLowerCase()));
    const extra = [...overlay.aliases, ...overlay.examples].filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
    if (extra.length > 0) out.aliases = [...p.aliases, ...extra];
  }
  if (onlineOnly) out.channels = onlineChannels(p.channels);
  return out;
}

/**
 * The online channels of the record; when the record lists none (the national record may
 * predate the city's decision), the in-person time limit and fee stand for the online
 * submission, since the city's decision changes where a dossier is received, not the rules.
 */
function onlineChannels(channels: readonly SubmissionChannel[]): SubmissionChannel[] {
  const online = channels.filter((c) => c.kind === 'online');
  const base = online.length > 0 ? online : channels.filter((c) => c.kind === 'in_person').slice(0, 1);
  if (base.length === 0) return [{ kind: 'online', label: ONLINE_ONLY_LABEL, processingTime: null, fee: null, description: null }];
  return base.map((c) => ({ ...c, kind: 'online', label: ONLINE_ONLY_LABEL }));
}
