import type { InventoryProblem } from '../../shared/domain/inventory';

/** Collects problems while an inventory is read; nothing here ever throws for bad input. */
export class Problems {
  readonly list: InventoryProblem[] = [];

  error(file: string, line: number, message: string): void {
    this.add({ file, line, severity: 'error', message });
  }

  warn(file: string, line: number, message: string): void {
    this.add({ file, line, severity: 'warning', message });
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }

  private add(p: InventoryProblem): void {
    const dup = this.list.some(
      (q) => q.file === p.file && q.line === p.line && q.severity === p.severity && q.message === p.message,
    );
    if (!dup) this.list.push({ ...p, line: Math.max(0, Math.trunc(p.line)) });
  }
}

/** Where a value, host or group was written down. */
export interface Loc {
  file: string;
  /** 1-based; 0 for implicit things (the `all` group, defaults). */
  line: number;
}

/** One variable definition, remembering where it was written so problems can point at it. */
export interface VarDef extends Loc {
  value: unknown;
  /** Tagged `!unsafe`: Ansible never templates it. */
  unsafe?: boolean;
  /** Tagged `!vault`: encrypted, unreadable here. */
  vault?: boolean;
}

export type VarMap = Map<string, VarDef>;

/** Short, quoted rendering of a value for messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `the date ${value.toISOString().slice(0, 10)}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  return String(value);
}
