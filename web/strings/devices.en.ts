/**
 * Devices, linking and recovery, in English (docs/devices.md). Loaded with
 * the devices screens (ui/screens/DevicesScreens.tsx), not in the first load;
 * devices.it.ts, devices.fr.ts, devices.es.ts and devices.ca.ts have the same keys (checked by
 * devices-catalogue.test.ts). Functions take names and figures already
 * formatted; the screen isolates names.
 */
import { plural } from './plural.ts'

const n = (count: number, one: string, other: string): string => plural('en', count, { one, other })

/**
 * strings/phrase.ts's `phrase` tag (inserted parts kept apart, for the screen to isolate), written
 * out here so that these lazily loaded words share no module with the first load.
 */
export function phrase<P>(words: TemplateStringsArray, ...parts: Array<P | number | string>): Array<string | P> {
  const out: Array<string | P> = []
  words.forEach((word, index) => {
    if (word !== '') out.push(word)
    if (index < parts.length) out.push(typeof parts[index] === 'number' ? String(parts[index]) : (parts[index] as P | string))
  })
  return out
}

export const devicesEn = {
  title: 'Your devices',
  intro: 'Each device signs with its own key, for one account and one balance. Remove a lost device from any other one.',
  loading: 'Opening your devices…',
  failed: 'The devices screens could not load. Reload the app and try again.',
  noPools: 'You are in no pool yet, so there is no device to list.',
  memberKey: 'First device (holds the account key)',
  unnamed: 'Device without a name',
  thisDevice: 'this device',
  status: { active: 'Active', revoked: 'Removed', suspended: 'Suspended' },
  lastActivity: (time: string) => `Last activity: ${time}`,
  noActivity: 'No activity yet',
  rejectedAfter: (count: number) => `${n(count, '1 entry', `${count} entries`)} signed after its removal rejected`,
  remove: 'Remove this device',
  removeConfirm: <P>(name: P) => phrase<P>`Remove ${name}? What it signed up to now stands; whatever it signs from now on is rejected on every device. This is signed and cannot be undone.`,
  removeYes: 'Remove it',
  keep: 'Keep it',
  removed: 'Removed. Whatever it signs from now on is rejected.',
  add: 'Add a device',
  addIntro: 'On the new device, open Settings → “Link this device to an account” and show its code. Scan it here, or paste its link.',
  codeLabel: 'The new device’s link',
  scan: 'Scan its code',
  deviceName: 'Name for the new device (for example “Laptop”)',
  pool: 'Pool',
  link: 'Link it',
  linked: <P>(name: P) => phrase<P>`Linked: ${name} now pays from this account. It has received what it needs.`,
  retry: 'Send again',
  notSent: 'Linked, but the relay did not take the answer yet. Check the connection and send again.',
  linkThis: 'Link this device to an account',
  recover: 'Recover an account',

  // The new device
  linkTitle: 'Link this device',
  linkIntro: 'On the device you joined with, open Settings → “Add a device” and scan this code (or send it this link). It works once, for 10 minutes. No secret key leaves either device: this device makes its own key.',
  linkName: 'Name for this device (optional)',
  showCode: 'Show the code',
  codeAlt: 'Code to link this device',
  codeLink: 'Or send this link to your other device',
  waiting: 'Waiting for your other device…',
  newCode: 'Make a new code',
  done: <P>(pool: P) => phrase<P>`This device is linked. It pays from your account in ${pool}.`,
  openPool: 'Open the pool',

  // Recovery, the member
  recoverTitle: 'Recover an account',
  recoverPhrase: 'Do you have your recovery phrase? Then restore with it: it brings back your key itself, and your other devices keep working.',
  recoverPhraseGo: 'Restore with the recovery phrase',
  recoverNoPhrase: 'No phrase? The pool’s gatekeepers can move your account to a key made on this device. They check who you are, face to face, and approve.',
  recoverPoolLink: 'The pool’s link (ask a member or a gatekeeper)',
  recoverOpenPool: 'Open the pool',
  recoverWaitMembers: 'Getting the pool’s members from the relay…',
  recoverAccount: 'Your old account',
  recoverNone: 'Choose the account',
  recoverAsk: 'Ask the gatekeepers',
  recoverShow: 'Show this code to a gatekeeper, or send them the link. They approve in Settings.',
  recoverCodeAlt: 'Code of your recovery request',
  recoverLinkLabel: 'Your recovery request',
  approvals: (count: number, needed: number) => `${count} of ${needed} approvals`,
  recovered: 'Your account is back on this device, with its balance.',
  recoverWait: 'It completes when enough gatekeepers approve; not while the old key was used in the last 7 days.',

  // Recovery, the gatekeeper
  queueTitle: 'Recovery requests',
  queueEmpty: 'No recovery request.',
  queuePaste: 'A recovery request’s link',
  queueTake: 'Add the request',
  newKey: (key: string) => `to a new key ${key}…`,
  approve: 'Approve',
  approved: 'You approved it.',
  recoveredRow: 'Recovered',

  problems: {
    'link-garbled': 'That is not a complete device link: scan the code again, or copy the whole link.',
    'link-expired': 'That code has expired. Make a new one on the new device.',
    'link-used': 'That device is linked already. To link it again, make a new code on it.',
    'link-relay': 'The relay cannot be reached. Nothing was signed and nothing is lost; try again when online.',
    'link-too-big': 'This pool’s details are too large to send this way.',
    'link-wrong': 'An answer came that was not for this device; it was ignored.',
    'already-here': 'This device already holds that pool.',
    'not-member-key': 'Only the device that holds the account key (the one you joined with) can add devices.',
    'remove-own-device': 'Remove this device from another of your devices.',
    'recovery-unknown': 'That recovery request is not known here.',
  },
}

export type DevicesStrings = typeof devicesEn
