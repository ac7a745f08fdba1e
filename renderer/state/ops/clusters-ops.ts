import type { ClusterSpecInput } from '../../../shared/domain/cluster';
import type { InventoryOptionsInput, InventoryPreview } from '../../../shared/domain/inventory';
import { fieldsFromServerError, type FieldErrors } from '../../clusters/cluster-form';
import { explainError, toErrorLike } from '../../errors/explain';
import { core } from '../core';
import { reloadClusters } from '../sync/clusters-sync';
import { app } from '../store';

const shape = (nodes: number, lbs: number): string => `${nodes} node${nodes === 1 ? '' : 's'}, ${lbs} load balancer${lbs === 1 ? '' : 's'}`;
import type { ShownError } from '../types';

export interface InventoryFile {
  content: string;
  name: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ShownError };

export async function previewInventory(file: InventoryFile, options: InventoryOptionsInput): Promise<Outcome<InventoryPreview>> {
  try {
    return { ok: true, value: await core().call('inventory.preview', { source: file, options }) };
  } catch (e) {
    return { ok: false, error: explainError(toErrorLike(e)) };
  }
}

/** Imports, then opens the new cluster: its links start, and unknown host keys are asked about. */
export async function importInventory(file: InventoryFile, options: InventoryOptionsInput): Promise<Outcome<string>> {
  try {
    const { cluster } = await core().call('inventory.import', { source: file, options, replace: false });
    await reloadClusters(core());
    openCluster(cluster.name);
    app().pushToast({ tone: 'ok', title: `Imported cluster ${cluster.name}`, body: `${shape(cluster.nodes.length, cluster.lbs.length)}. Connecting…`, sticky: false });
    return { ok: true, value: cluster.name };
  } catch (e) {
    return { ok: false, error: explainError(toErrorLike(e)) };
  }
}

export async function createCluster(spec: ClusterSpecInput): Promise<{ ok: true } | { ok: false; fields: FieldErrors; error: ShownError | null }> {
  try {
    const saved = await core().call('clusters.save', { cluster: spec, mode: 'create' });
    await reloadClusters(core());
    openCluster(saved.name);
    app().pushToast({ tone: 'ok', title: `Created cluster ${saved.name}`, body: `${shape(saved.nodes.length, saved.lbs.length)}. Connecting…`, sticky: false });
    return { ok: true };
  } catch (e) {
    const err = toErrorLike(e);
    const { errors, rest } = fieldsFromServerError(err.code, err.message, spec.nodes.length);
    const placed = Object.keys(errors).length > 0;
    return { ok: false, fields: errors, error: rest || !placed ? explainError({ ...err, message: rest ?? err.message }) : null };
  }
}

export function openCluster(name: string): void {
  app().selectCluster(name);
  app().openDialog(null);
}
