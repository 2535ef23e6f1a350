/**
 * The storm detector: identical messages in a row from one peer for one
 * document trip it; anything else does not. (The whole mechanism, a relay and
 * a phone ping-ponging until the reset, is the simulation's seed 298 in
 * sim/test/regressions.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { StormDetector } from '../stormBreaker.ts'

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)

describe('StormDetector', () => {
  it('trips on the Nth identical message in a row, then starts counting again', () => {
    const detector = new StormDetector(4)
    const verdicts = Array.from({ length: 9 }, () => detector.observe('peer', 'doc', bytes(1, 2, 3)))
    expect(verdicts).toEqual([false, false, false, true, false, false, false, true, false])
  })

  it('does not trip on network duplicates or on a normal exchange', () => {
    const detector = new StormDetector(4)
    for (let round = 0; round < 100; round++) {
      // Each message differs from the one before; a duplicate comes twice at most.
      expect(detector.observe('peer', 'doc', bytes(round & 0xff, 7))).toBe(false)
      expect(detector.observe('peer', 'doc', bytes(round & 0xff, 7))).toBe(false)
    }
  })

  it('counts each (peer, document) on its own', () => {
    const detector = new StormDetector(3)
    const message = bytes(9, 9)
    expect(detector.observe('a', 'doc', message)).toBe(false)
    expect(detector.observe('b', 'doc', message)).toBe(false)
    expect(detector.observe('a', 'other', message)).toBe(false)
    expect(detector.observe('a', 'doc', message)).toBe(false)
    expect(detector.observe('a', 'doc', message)).toBe(true)
    expect(detector.observe('b', 'doc', message)).toBe(false)
  })

  it('tells apart messages of equal length that differ in one byte', () => {
    const detector = new StormDetector(2)
    expect(detector.observe('p', 'd', bytes(1, 2, 3))).toBe(false)
    expect(detector.observe('p', 'd', bytes(1, 2, 4))).toBe(false)
    expect(detector.observe('p', 'd', bytes(1, 2, 4))).toBe(true)
  })

  it('forgets the oldest pair past its bound instead of growing', () => {
    const detector = new StormDetector(2, 2)
    detector.observe('p1', 'd', bytes(1))
    detector.observe('p2', 'd', bytes(1))
    detector.observe('p3', 'd', bytes(1))
    // p1 was forgotten: its next identical message starts a new streak.
    expect(detector.observe('p1', 'd', bytes(1))).toBe(false)
    expect(detector.observe('p3', 'd', bytes(1))).toBe(true)
  })
})
