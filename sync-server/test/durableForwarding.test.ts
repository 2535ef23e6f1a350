/** Nothing leaves the relay before it is on disk (unit). */
import { describe, expect, it } from 'vitest'
import { DurableForwarding } from '../durableForwarding.ts'

describe('DurableForwarding', () => {
  const setup = () => {
    let heads: string[] | undefined = ['a']
    let clock = 0
    const sent: string[] = []
    const forwarding = new DurableForwarding({ currentHeads: () => heads, holdMsMax: 1000, now: () => clock })
    return { forwarding, sent, setHeads: (h: string[]) => (heads = h), advance: (ms: number) => (clock += ms) }
  }
  it('holds a message for a document not yet saved, and sends it once a later save is on disk', () => {
    const { forwarding, sent } = setup()
    forwarding.forward('doc', () => sent.push('m1'))
    expect(sent).toEqual([])
    const token = forwarding.saving('doc')
    forwarding.saved('doc', token)
    expect(sent).toEqual(['m1'])
    forwarding.forward('doc', () => sent.push('m2'))
    expect(sent).toEqual(['m1', 'm2'])
  })
  it('does not release a message for a save that began before it', () => {
    const { forwarding, sent, setHeads } = setup()
    const early = forwarding.saving('doc')
    setHeads(['b'])
    forwarding.forward('doc', () => sent.push('m'))
    forwarding.saved('doc', early)
    expect(sent).toEqual([])
    forwarding.saved('doc', forwarding.saving('doc'))
    expect(sent).toEqual(['m'])
  })
  it('sends at once what was loaded from disk, keeps order, and gives up after holdMsMax', () => {
    const { forwarding, sent, setHeads, advance } = setup()
    forwarding.loaded('doc', ['a'])
    forwarding.forward('doc', () => sent.push('loaded'))
    setHeads(['c'])
    forwarding.forward('doc', () => sent.push('held'))
    setHeads(['a'])
    forwarding.forward('doc', () => sent.push('behind'))
    expect(sent).toEqual(['loaded'])
    setHeads(['d'])
    advance(1001)
    forwarding.sweep()
    expect(sent).toEqual(['loaded', 'held', 'behind'])
  })
})
