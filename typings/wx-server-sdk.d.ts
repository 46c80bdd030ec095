// The SDK's typings describe the callback style (`Promise<R> | void | string`). Called without a
// callback, as this project always does, every database method returns the promise; these
// overloads (merged ahead of the SDK's own) let TypeScript see that.
import 'wx-server-sdk'

declare module 'wx-server-sdk' {
  /** `env` also takes DYNAMIC_CURRENT_ENV (a symbol), as the SDK documents. */
  function init(config?: { env?: string | symbol; traceUser?: boolean; timeout?: number }): void

  namespace DB {
    /** A transaction: doc operations and add only (CloudBase has no queries inside transactions). */
    interface Transaction {
      collection(name: string): CollectionReference
      commit(): Promise<unknown>
      rollback(reason?: unknown): Promise<unknown>
    }
    interface Database {
      runTransaction<T>(run: (transaction: Transaction) => Promise<T>, retries?: number): Promise<T>
      startTransaction(): Promise<Transaction>
    }
    interface CollectionReference {
      add(options: IAddDocumentOptions): Promise<IAddResult>
    }
    interface DocumentReference {
      get(options?: IGetDocumentOptions): Promise<IQuerySingleResult>
      set(options?: ISetSingleDocumentOptions): Promise<ISetResult>
      update(options?: IUpdateSingleDocumentOptions): Promise<IUpdateResult>
      remove(options?: IRemoveSingleDocumentOptions): Promise<IRemoveResult>
    }
    interface Query {
      get(options?: IGetDocumentOptions): Promise<IQueryResult>
      update(options?: IUpdateDocumentOptions): Promise<IUpdateResult>
      remove(options?: IRemoveDocumentOptions): Promise<IRemoveResult>
      count(options?: ICountDocumentOptions): Promise<ICountResult>
    }
    interface Aggregate {
      end(): Promise<IAggregateResult>
    }
  }
}
