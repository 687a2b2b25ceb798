/**
 * Where each field of an application sits in a backend's JSON reply, as dotted paths
 * (`data.maHoSo`, `items.0.trangThai`). Operators configure it; nothing in the code knows the
 * city system's field names.
 */

export const MAPPED_FIELDS = [
  'receiptCode',
  'procedureCode',
  'procedureName',
  'status',
  'receivedAt',
  'dueAt',
  'completedAt',
  'applicantName',
  'phone',
  'agency',
  'returnPlace',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Without these an answer cannot be given (or the citizen cannot be verified). */
export const REQUIRED_MAPPED_FIELDS = ['procedureName', 'status', 'receivedAt', 'dueAt', 'applicantName', 'phone'] as const satisfies readonly MappedField[];

export type FieldMap = Readonly<Partial<Record<MappedField, string>>>;

/** Problems with a field map, in words for a configuration error; empty when it is usable. */
export function fieldMapProblems(map: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (!(MAPPED_FIELDS as readonly string[]).includes(k)) problems.push(`unknown field "${k}" (known: ${MAPPED_FIELDS.join(', ')})`);
    else if (typeof v !== 'string' || !/^[^.\s]+(?:\.[^.\s]+)*$/.test(v)) problems.push(`"${k}" must be a dotted path like "data.${k}"`);
  }
  for (const k of REQUIRED_MAPPED_FIELDS) if (!(k in map)) problems.push(`missing required field "${k}"`);
  return problems;
}

/** The value at a dotted path; array elements by index (`items.0.name`). */
export function readPath(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(part)) return undefined;
      at = at[Number(part)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(at, part)) return undefined;
      at = (at as Record<string, unknown>)[part];
    }
  }
  return at;
}
