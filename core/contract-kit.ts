// The shape of a function's contract: each action's input (validated by the function), output
// (validated by the mini-program's services) and whether it is a mutation taking a requestId.
// A leaf module (only zod), so domain modules can declare their contracts next to their schemas.
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
> {
  /** The cloud function's name (wx.cloud.callFunction({ name })). */
  name: string
  actions: A
}

/** Declares a function's contract; keeps every action's schemas typed. */
export function defineContract<const A extends Record<string, ActionContract>>(
  name: string,
  actions: A,
): FunctionContract<A> {
  return { name, actions }
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
