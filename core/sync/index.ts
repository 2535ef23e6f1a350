/**
 * core/sync: the automerge-repo glue shared by the PWA, the relay and the CLI.
 * Imports automerge, never the DOM, Node built-ins, web/ or sync-server/.
 */
export * from './limits.ts'
export { shardOfSeq, shardDocumentId, inviteDocumentId, firstChangeActor } from './documentIds.ts'
export { firstChangeOf, forgetPatchCache, readDocumentLines, type SyncDocument } from './shardDocument.ts'
export { judgeLines, entriesToRepublish, emptyIngestCounts, type IgnoredReason, type IngestCounts, type LineJudgement } from './ingest.ts'
export { documentsToFollow, homeDocumentsOf, PoolDirectory, type FollowedDocument, type DiscoveryOptions } from './discovery.ts'
export { MemoryVerifiedStore, type VerifiedStore } from './verifiedStore.ts'
export { PoolSync, type PoolSyncOptions, type PoolSyncStats } from './poolSync.ts'
export { documentsInSyncWith, type SyncProgress } from './syncProgress.ts'
export { ResilientWebSocketClientAdapter } from './clientAdapter.ts'
export { breakSyncStorms, StormDetector, type StormBreakerOptions, type StormBreakerStats } from './stormBreaker.ts'
export { guardEmptySaves, guardLoadLeak } from './repoGuards.ts'
export { headsDigest, type HeadsAnswer, type HeadsQuery } from './headsDigest.ts'
export { askRelayForChanges, headsUrlOf } from './relayHeads.ts'
