// Pure rules shared by the cloud functions and the mini-program. No wx, cloud, database, clock or
// randomness in here: callers pass time and random sources in.
export * from './envelope'
export * from './campaign'
export * from './questionnaire/model'
export * from './questionnaire/validate'
export * from './questionnaire/quality'
export * from './questionnaire/chances'
export * from './questionnaire/sample'
export * from './survey'
export * from './statistics'
export * from './draw'
export * from './ledger'
export * from './rewards'
