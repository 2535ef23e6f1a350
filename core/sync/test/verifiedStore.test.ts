import { describe, expect, it } from 'vitest'
import { MemoryVerifiedStore, type VerifiedStore } from '../index.ts'
import { makePool } from './poolFixture.ts'

/** The acceptance suite every VerifiedStore passes (the PWA's IndexedDB store can run it too). */
export function verifiedStoreContract(name: string, make: () => Promise<VerifiedStore>): void {
  describe(`VerifiedStore contract: ${name}`, () => {
    it('puts, reports what was new, and never duplicates', async () => {
      const store = await make()
      const { entries } = makePool(2)
      expect((await store.put(entries.slice(0, 2))).length).toBe(2)
      expect((await store.put(entries)).map((e) => e.id)).toEqual(entries.slice(2).map((e) => e.id))
      expect((await store.all()).length).toBe(entries.length)
      expect(await store.has(entries[0]!.id)).toBe(true)
      expect((await store.get(entries[1]!.id))?.id).toBe(entries[1]!.id)
      expect(await store.get('f'.repeat(64) as never)).toBeUndefined()
    })
  })
}

verifiedStoreContract('memory', async () => new MemoryVerifiedStore())
