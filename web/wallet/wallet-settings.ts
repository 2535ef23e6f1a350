/**
 * What a device profile keeps besides its pools: the recovery phrase (made
 * on first start) and the seed every pool key is derived from, whether the
 * phrase was written down, the name this member shows others, the relay it
 * chose, and whether this wallet was restored. The seed never leaves this
 * module: pool keys are asked for by their derivation.
 */
import { deriveSecretKey, type KeyDerivation } from '../keys/pool-keys.ts'
import { newRecoveryPhrase, seedOfPhrase } from '../keys/recovery-phrase.ts'
import { trimmedName } from './contacts.ts'
import type { WalletParts } from './wallet-parts.ts'

/** Kept together under one settings key, so the phrase and its backed-up mark cannot disagree. */
interface SeedSettings {
  readonly phrase: string
  readonly createdAt: number
  readonly backedUp: boolean
}

/** The wallet parts WalletSettings uses. */
export type WalletSettingsParts = Pick<WalletParts, 'db' | 'sync' | 'now' | 'changed'>

/** Who this device profile is, as screens and backups read it. */
export interface Profile {
  readonly phrase: string
  readonly createdAt: number
  /** The member said the phrase is written down (or the wallet came from a backup). */
  readonly backedUp: boolean
  /** The name this member shows others (links and requests carry it). */
  readonly displayName: string
  /** A restored wallet's keys may have signed before, elsewhere: pools it adds must learn their chain head first. */
  readonly restored: boolean
}

/** What a backup brings back of the profile itself (backup/wallet-snapshot.ts). */
export type RestoredProfile = Pick<Profile, 'phrase' | 'createdAt' | 'displayName'>

export class WalletSettings {
  readonly #parts: WalletSettingsParts
  #seedSettings: SeedSettings = { phrase: '', createdAt: 0, backedUp: false }
  #seed: Uint8Array = new Uint8Array()
  #displayName = ''
  #restored = false

  constructor(parts: WalletSettingsParts) {
    this.#parts = parts
  }

  /** Reads the settings, making the recovery phrase on first start, and points the sync at the chosen relay. */
  async load(): Promise<void> {
    const seed = (await this.#parts.db.get('settings', 'seed')) as SeedSettings | undefined
    if (seed) {
      this.#seedSettings = seed
    } else {
      this.#seedSettings = { phrase: newRecoveryPhrase(), createdAt: this.#parts.now(), backedUp: false }
      await this.#parts.db.put('settings', this.#seedSettings, 'seed')
    }
    this.#seed = await seedOfPhrase(this.#seedSettings.phrase)
    this.#displayName = ((await this.#parts.db.get('settings', 'displayName')) as string | undefined) ?? ''
    this.#restored = (await this.#parts.db.get('settings', 'restored')) === true
    const relay = (await this.#parts.db.get('settings', 'relayUrl')) as string | undefined
    if (relay) this.#parts.sync.setRelay(relay)
  }

  /** The profile as screens and backups read it: a fresh object, so a caller cannot change the settings by it. */
  get profile(): Profile {
    const { phrase, createdAt, backedUp } = this.#seedSettings
    return { phrase, createdAt, backedUp, displayName: this.#displayName, restored: this.#restored }
  }

  /** This device's secret key for a pool, derived again from the seed. */
  secretKey(derivation: KeyDerivation): Uint8Array {
    return deriveSecretKey(this.#seed, derivation)
  }

  async setDisplayName(name: string): Promise<void> {
    this.#displayName = trimmedName(name)
    await this.#parts.db.put('settings', this.#displayName, 'displayName')
    this.#parts.changed()
  }

  async setRelay(url: string): Promise<void> {
    await this.#parts.db.put('settings', url, 'relayUrl')
    this.#parts.sync.setRelay(url)
    this.#parts.changed()
  }

  async markBackedUp(): Promise<void> {
    this.#seedSettings = { ...this.#seedSettings, backedUp: true }
    await this.#parts.db.put('settings', this.#seedSettings, 'seed')
    this.#parts.changed()
  }

  /**
   * Takes the phrase and name of a restored wallet (whose settings were just
   * wiped). It counts as backed up (it came from a backup) and stays marked
   * restored, so every pool it adds waits for its chain before signing.
   */
  async adopt(profile: RestoredProfile): Promise<void> {
    this.#seedSettings = { phrase: profile.phrase, createdAt: profile.createdAt, backedUp: true }
    await this.#parts.db.put('settings', this.#seedSettings, 'seed')
    await this.#parts.db.put('settings', true, 'restored')
    this.#restored = true
    this.#displayName = profile.displayName
    await this.#parts.db.put('settings', profile.displayName, 'displayName')
    this.#seed = await seedOfPhrase(profile.phrase)
  }
}
