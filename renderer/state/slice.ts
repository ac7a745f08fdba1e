import type { StateCreator } from 'zustand';
import type { AppState } from './store';

/** A typed piece of the one store; slices may read the whole state but own only their keys. */
export type Slice<T> = StateCreator<AppState, [], [], T>;
