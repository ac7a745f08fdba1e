import type { ClusterSpec, HaproxySocket } from '../../shared/domain/cluster';
import type { InventoryOptionsInput, InventoryPreview, InventoryProblem } from '../../shared/domain/inventory';
import { clusterNameSchema } from '../../shared/domain/names';

/** The import form as typed; empty optional fields fall back to the CLI's defaults. */
export interface ImportForm {
  cluster: string;
  lbGroup: string;
  nodesGroup: string;
  backendVar: string;
  serverVar: string;
}

export const IMPORT_DEFAULTS: ImportForm = { cluster: '', lbGroup: 'lbservers', nodesGroup: '', backendVar: 'lb_backend', serverVar: 'lb_server' };

export function clusterNameError(name: string): string | undefined {
  if (!name.trim()) return 'required: the name this cluster is saved under';
  const r = clusterNameSchema.safeParse(name.trim());
  return r.success ? undefined : r.error.issues[0]?.message;
}

/** The options sent to inventory.preview / inventory.import, or null while the form can't be sent. */
export function importOptions(f: ImportForm): InventoryOptionsInput | null {
  if (clusterNameError(f.cluster)) return null;
  return {
    cluster: f.cluster.trim(),
    lbGroup: f.lbGroup.trim() || IMPORT_DEFAULTS.lbGroup,
    backendVar: f.backendVar.trim() || IMPORT_DEFAULTS.backendVar,
    serverVar: f.serverVar.trim() || IMPORT_DEFAULTS.serverVar,
    ...(f.nodesGroup.trim() ? { nodesGroup: f.nodesGroup.trim() } : {}),
  };
}

/** Errors first, then warnings, each in file order. */
export function sortProblems(ps: InventoryProblem[]): InventoryProblem[] {
  return [...ps].sort((a, b) => (a.severity === b.severity ? a.file.localeCompare(b.file) || a.line - b.line : a.severity === 'error' ? -1 : 1));
}

/** "inventory.yml:12" (":0" means the file as a whole and is left out). */
export const where = (p: InventoryProblem): string => (p.line > 0 ? `${p.file}:${p.line}` : p.file);

export function canImport(p: InventoryPreview | null): boolean {
  return !!p && !!p.cluster && !p.problems.some((x) => x.severity === 'error');
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

export function previewHeadline(p: InventoryPreview): string {
  const errors = p.problems.filter((x) => x.severity === 'error').length;
  const warnings = p.problems.length - errors;
  const shape = p.cluster ? `${plural(p.cluster.nodes.length, 'node')}, ${plural(p.cluster.lbs.length, 'load balancer')}` : 'nothing can be imported';
  const issues = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  return `${p.file} (${p.format.toUpperCase()}): ${shape}${issues ? `; ${issues}` : ''}`;
}

export function socketText(s: HaproxySocket): string {
  return s.kind === 'unix' ? s.path : `${s.host}:${s.port}`;
}

export function sshText(h: ClusterSpec['nodes'][number]['ssh']): string {
  return `${h.user}@${h.host}${h.port === 22 ? '' : `:${h.port}`}`;
}
