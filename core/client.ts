// What the mini-program's `wal-core` is (miniprogram/tsconfig.json maps it here, and
// scripts/build/miniprogram.ts bundles the values it imports from here): the zod-free modules of
// core as values, and every type of core. A page that needs a value from a module with zod
// schemas does not compile; move the pure function into a zod-free module instead.
export * from './envelope'
export * from './vocabulary'
export * from './codes'
export * from './geo'
export * from './china-time'
export * from './ledger'
export * from './payout'
export * from './contract-kit'
export * from './questionnaire/answers'
export * from './questionnaire/validate'
export type * from './index'
