import type { z } from 'zod';

/** One RPC method: its doc line, its argument and result schemas, and how long a caller waits by default. */
export interface MethodDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  doc: string;
  params: P;
  result: R;
  /** Default client-side deadline; null for methods that carry their own deadlines (drains that wait). */
  timeoutMs: number | null;
}

/** One push topic and the schema of what it carries. */
export interface TopicDef<T extends z.ZodType = z.ZodType> {
  doc: string;
  payload: T;
}

export interface Contract<
  M extends Record<string, MethodDef> = Record<string, MethodDef>,
  T extends Record<string, TopicDef> = Record<string, TopicDef>,
> {
  methods: M;
  topics: T;
}

const NAME = /^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;

export function method<P extends z.ZodType, R extends z.ZodType>(def: MethodDef<P, R>): MethodDef<P, R> {
  return def;
}

export function topic<T extends z.ZodType>(def: TopicDef<T>): TopicDef<T> {
  return def;
}

/**
 * Freezes the contract and checks names, so that dispatch can only ever reach a listed method
 * (never `impl[anyName]`) and a typo in a topic name fails at start-up rather than silently.
 */
export function defineContract<M extends Record<string, MethodDef>, T extends Record<string, TopicDef>>(
  c: Contract<M, T>,
): Contract<M, T> {
  for (const name of [...Object.keys(c.methods), ...Object.keys(c.topics)]) {
    if (!NAME.test(name)) throw new Error(`contract name "${name}" must look like "area.name"`);
  }
  for (const name of Object.keys(c.methods)) {
    if (Object.prototype.hasOwnProperty.call(c.topics, name)) throw new Error(`"${name}" is both a method and a topic`);
  }
  return Object.freeze({ methods: Object.freeze({ ...c.methods }), topics: Object.freeze({ ...c.topics }) }) as Contract<M, T>;
}

export type MethodName<C extends Contract> = keyof C['methods'] & string;
export type TopicName<C extends Contract> = keyof C['topics'] & string;
export type ParamsIn<C extends Contract, K extends MethodName<C>> = z.input<C['methods'][K]['params']>;
export type ParamsOut<C extends Contract, K extends MethodName<C>> = z.output<C['methods'][K]['params']>;
export type ResultOf<C extends Contract, K extends MethodName<C>> = z.output<C['methods'][K]['result']>;
export type ResultIn<C extends Contract, K extends MethodName<C>> = z.input<C['methods'][K]['result']>;
export type PayloadOf<C extends Contract, K extends TopicName<C>> = z.output<C['topics'][K]['payload']>;

export function hasMethod(c: Contract, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(c.methods, name);
}

export function hasTopic(c: Contract, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(c.topics, name);
}
