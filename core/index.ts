/**
 * core/: the protocol of Heroes. Pure: no DOM, no Node built-ins, no
 * automerge, no clock (time always comes in as an argument).
 */
export * from './limits.ts'
export * from './entry.ts'
export { toHex, fromHex, isHex, utf8 } from './bytes.ts'
export { canonicalize, parseCanonical, CanonicalError, type CanonicalValue } from './canonical.ts'
export { sha256Hex } from './hash.ts'
export { decodeEntry, type DecodeResult } from './decode.ts'
export { DOMAIN_TAG, entryIdOf, payloadText, signedMessage, joinInviteMessage } from './payload.ts'
export { generateSecretKey, publicKeyOf, referenceVerify, type Verifier } from './keys.ts'
export { createHybridVerifier, createHybridVerifierAsync, referenceVerifyAsync, precheck, type VerifyAsync } from './ed25519-precheck.ts'
export { encodeEntry, signEntry, signJoinInvite } from './sign.ts'
export { SignatureCache, verifyEntrySignature, signatureChecksOf, type SignatureCheck } from './verify.ts'
export { REASONS, REJECTION_REASONS, PENDING_REASONS, describeReason, type Reason, type RejectionReason, type PendingReason } from './reasons.ts'
export { Ledger, type LedgerOptions, type ReplayResult, type EntryVerdict, type EntryStatus, type Equivocation, type MemberSummary, type RequestSummary, type WitnessSummary, type OfflineAllowance } from './ledger.ts'
export { type Movement, type RequestStatus, type TimeFacts, isoTime } from './pool-state.ts'
export { feeOf, levy, evaluate, type ListingSummary, type OrderStatus, type OrderSummary } from './rules/index.ts'
export { UNCOVERED, parentIds } from './coverage.ts'
export { statement, statementCsv, poolCsv, formatAmount, csvField, type StatementRow, type StatementFilter } from './statement.ts'
export { periodsToCollect, type DuePayment, type CollectOptions } from './collecting.ts'
export { replay, choosePool, type ReplayOptions } from './replay.ts'
export { profilesOf, type ProfileSummary } from './profiles.ts'
export { chainHead, type ChainHead } from './chain.ts'
export { signCheckpoint, type CheckpointOptions } from './checkpoint.ts'
export { amountToSend, convert, hoursToMinor, preimageMatches, type Unit, type TrustlineSummary, type PrepareSummary } from './rules/index.ts'
export {
  findRoute, forwardHop, manifestOf, pathStates, planHops, expiryProblem, gatewayFor, HOP_EXPIRY_STEP_SECONDS_DEFAULT,
  type PoolManifest, type RouteResult, type RouteFailure, type Hop, type HopState, type ForwardResult,
} from './paths.ts'
