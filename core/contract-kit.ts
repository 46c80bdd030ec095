// The shape of a function's contract: each action's input (validated by the function), output
// (checked by the function before it replies) and whether it is a mutation taking a requestId.
// A leaf module that imports zod for its types only: the mini-program ships it (contractRef) and
// addresses each function through a zod-free handle that carries the contract's type.
import type { z } from 'zod'

export interface ActionContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
  /**
   * A mutation: its input has a `requestId`, which the client generates once per intent and a
   * retry repeats (the server returns the first result).
   */
  mutating?: boolean
}

export interface FunctionContract<
  A extends Record<string, ActionContract> = Record<string, ActionContract>,
  N extends string = string,
> {
  /** The cloud function's name (wx.cloud.callFunction({ name })). */
  name: N
  actions: A
}

/** Declares a function's contract; keeps its name and every action's schemas typed. */
export function defineContract<
  const N extends string,
  const A extends Record<string, ActionContract>,
>(name: N, actions: A): FunctionContract<A, N> {
  return { name, actions }
}

/** Brands a ContractRef with its contract's type; there is no such property at run time. */
declare const contractType: unique symbol

/**
 * A contract as the mini-program holds it: the function's name, and the contract's type for the
 * compiler only (callAction and retryableAction check actions, inputs and replies against it).
 * It holds no schema, so the client ships no zod: the server parses every reply with the action's
 * output schema before sending it (server/define-function.ts).
 */
export interface ContractRef<C extends FunctionContract> {
  readonly name: C['name']
  readonly [contractType]?: C
}

/**
 * The handle of a contract known by its type: `contractRef<typeof surveyContract>('survey')`,
 * with `import type { surveyContract }`. A name other than the contract's does not compile.
 */
export function contractRef<C extends FunctionContract>(name: C['name']): ContractRef<C> {
  return { name }
}

/** The action names of a contract. */
export type ActionName<C extends FunctionContract> = keyof C['actions'] & string
/** What a caller sends (before defaults). */
export type ActionInput<C extends FunctionContract, K extends ActionName<C>> = z.input<
  C['actions'][K]['input']
>
/** What a handler receives (defaults applied). */
export type ParsedInput<C extends FunctionContract, K extends ActionName<C>> = z.output<
  C['actions'][K]['input']
>
/** What a handler returns: anything the output schema accepts. */
export type ActionReply<C extends FunctionContract, K extends ActionName<C>> = z.input<
  C['actions'][K]['output']
>
/** What a service resolves with: the reply as the output schema parsed it. */
export type ActionOutput<C extends FunctionContract, K extends ActionName<C>> = z.output<
  C['actions'][K]['output']
>
/** The mutations of a contract (their requestId is the client's, added once per intent). */
export type MutatingAction<C extends FunctionContract> = {
  [K in ActionName<C>]: C['actions'][K]['mutating'] extends true ? K : never
}[ActionName<C>]
