/** Money over time, in Catalan: the same keys as orders.en.ts. */
import type { OrdersStrings } from './orders.en.ts'
import { phrase } from './phrase.ts'
import { plural } from './plural.ts'

const n = (count: number, one: string, other: string): string => plural('ca', count, { one, other })

export const ordersCa: OrdersStrings = {
  when: 'Quan',
  whenNow: 'Ara',
  whenLater: 'En una data posterior',
  date: 'Data del pagament',
  repeat: 'Repetir',
  repeatNone: 'No, només una vegada',
  repeatEvery: { day: 'Cada dia', week: 'Cada setmana', fourWeeks: 'Cada 4 setmanes', month: 'Cada 30 dies' },
  times: 'Quantes vegades (buit: fins que l’aturis)',
  timesProblem: 'Escriu un nombre enter de pagaments, 1 o més, o deixa-ho buit.',
  dateProblem: 'Tria una data d’avui endavant.',
  repeatHint: 'Signes una sola vegada. El telèfon de qui cobra recull cada pagament quan venç, encara que el teu estigui sense connexió; cadascun es comprova amb els teus límits en aquell moment. El pots aturar quan vulguis.',
  laterHint: 'El telèfon de qui cobra el recull en aquella data, comprovat amb els teus límits en aquell moment. El pots cancel·lar fins aleshores.',
  confirmRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Pagar ${amount} a ${name} ${every}`,
  confirmLater: <P>(amount: P, name: P, date: string) => phrase<P>`Pagar ${amount} a ${name} el ${date}`,
  set: <P>(amount: P, name: P) => phrase<P>`Programat: ${amount} a ${name}. El seu telèfon recull cada pagament quan venç.`,
  everyText: { day: 'cada dia', week: 'cada setmana', fourWeeks: 'cada 4 setmanes', month: 'cada 30 dies' },
  everySeconds: (seconds: number) => (seconds % 86_400 === 0 ? n(seconds / 86_400, 'cada dia', `cada ${seconds / 86_400} dies`) : n(seconds, 'cada segon', `cada ${seconds} segons`)),
  timesText: (count: number) => `, ${n(count, 'una vegada', `${count} vegades`)}`,
  title: 'Programats i periòdics',
  empty: 'Cap.',
  outRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Pagues ${amount} a ${name} ${every}`,
  inRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`${name} et paga ${amount} ${every}`,
  outOnce: <P>(amount: P, name: P) => phrase<P>`Pagues ${amount} a ${name} una vegada`,
  inOnce: <P>(amount: P, name: P) => phrase<P>`${name} et paga ${amount} una vegada`,
  paidSoFar: (paid: number, count: number | null) => (count === null ? `${n(paid, `${paid} pagat`, `${paid} pagats`)} fins ara` : `${paid} de ${count} pagats`),
  separator: ' · ',
  next: (time: string) => `Següent: ${time}`,
  status: { active: 'Actiu', revoked: 'Aturat', finished: 'Acabat' },
  stop: 'Aturar',
  cancel: 'Cancel·lar',
  stopConfirm: 'Vols aturar aquest pagament? No se’n farà cap més. Queda signat i no es pot desfer.',
  stopped: 'Aturat. No es farà cap pagament més.',
  collectedHint: 'El teu telèfon recull aquests pagaments quan vencen.',
  rowOrderOut: <P>(name: P) => phrase<P>`Pagament periòdic a ${name} programat`,
  rowOrderIn: <P>(name: P) => phrase<P>`${name} ha programat un pagament periòdic per a tu`,
  rowScheduledOut: <P>(name: P) => phrase<P>`Pagament a ${name} programat per a una data`,
  rowScheduledIn: <P>(name: P) => phrase<P>`${name} ha programat un pagament per a tu`,
  rowCollectOut: <P>(name: P) => phrase<P>`Pagat a ${name} (periòdic o programat)`,
  rowCollectIn: <P>(name: P) => phrase<P>`${name} t’ha pagat (periòdic o programat)`,
  rowDemurrage: 'Oxidació: el càrrec de la caixa per tenir diners, pagat al fons comú',
  demurrageCollected: <P>(amount: P) => phrase<P>`Cobrat per oxidació per al fons comú: ${amount}.`,
  demurragePolicy: <P>(rate: string, period: string, base: P) => phrase<P>`Aquesta caixa aplica oxidació: ${rate} del que tens per sobre de ${base}, cada ${period}. Va al fons comú.`,
  period: (seconds: number) =>
    seconds % 86_400 === 0 ? n(seconds / 86_400, 'dia', `${seconds / 86_400} dies`) : seconds % 3_600 === 0 ? n(seconds / 3_600, 'hora', `${seconds / 3_600} hores`) : n(seconds, 'segon', `${seconds} segons`),
  whenSummary: 'Quan: ara',
}
