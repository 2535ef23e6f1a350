/** Money over time, in Italian: the same keys as orders.en.ts. */
import type { OrdersStrings } from './orders.en.ts'
import { phrase } from './phrase.ts'
import { plural } from './plural.ts'

const n = (count: number, one: string, other: string): string => plural('it', count, { one, other })

export const ordersIt: OrdersStrings = {
  when: 'Quando',
  whenNow: 'Adesso',
  whenLater: 'In una data futura',
  date: 'Data del pagamento',
  repeat: 'Ripeti',
  repeatNone: 'No, una volta sola',
  repeatEvery: { day: 'Ogni giorno', week: 'Ogni settimana', fourWeeks: 'Ogni 4 settimane', month: 'Ogni 30 giorni' },
  times: 'Quante volte (vuoto: finché non lo fermi)',
  timesProblem: 'Scrivi un numero intero di pagamenti, 1 o più, oppure lascia vuoto.',
  dateProblem: 'Scegli una data da oggi in poi.',
  repeatHint: 'Firmi una volta sola. Il telefono di chi riceve incassa ogni pagamento alla scadenza, anche se il tuo è offline; ognuno viene controllato rispetto ai tuoi limiti in quel momento. Puoi fermarlo quando vuoi.',
  laterHint: 'Il telefono di chi riceve lo incassa in quella data, controllato rispetto ai tuoi limiti in quel momento. Puoi annullarlo fino ad allora.',
  confirmRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Paga ${amount} a ${name} ${every}`,
  confirmLater: <P>(amount: P, name: P, date: string) => phrase<P>`Paga ${amount} a ${name} il ${date}`,
  set: <P>(amount: P, name: P) => phrase<P>`Impostato: ${amount} a ${name}. Il suo telefono incassa ogni pagamento alla scadenza.`,
  everyText: { day: 'ogni giorno', week: 'ogni settimana', fourWeeks: 'ogni 4 settimane', month: 'ogni 30 giorni' },
  everySeconds: (seconds: number) => (seconds % 86_400 === 0 ? n(seconds / 86_400, 'ogni giorno', `ogni ${seconds / 86_400} giorni`) : n(seconds, 'ogni secondo', `ogni ${seconds} secondi`)),
  timesText: (count: number) => `, ${n(count, 'una volta', `${count} volte`)}`,
  title: 'Programmati e ricorrenti',
  empty: 'Nessuno.',
  outRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Paghi a ${name} ${amount} ${every}`,
  inRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`${name} ti paga ${amount} ${every}`,
  outOnce: <P>(amount: P, name: P) => phrase<P>`Paghi a ${name} ${amount} una volta`,
  inOnce: <P>(amount: P, name: P) => phrase<P>`${name} ti paga ${amount} una volta`,
  paidSoFar: (paid: number, count: number | null) => (count === null ? `${n(paid, '1 pagato', `${paid} pagati`)} finora` : `${paid} di ${count} pagati`),
  separator: ' · ',
  next: (time: string) => `Prossimo: ${time}`,
  status: { active: 'Attivo', revoked: 'Fermato', finished: 'Concluso' },
  stop: 'Ferma',
  cancel: 'Annulla',
  stopConfirm: 'Fermare questo pagamento? Nessun pagamento successivo verrà fatto. Viene firmato e non si può annullare.',
  stopped: 'Fermato. Nessun pagamento successivo verrà fatto.',
  collectedHint: 'Il tuo telefono incassa questi pagamenti alla scadenza.',
  rowOrderOut: <P>(name: P) => phrase<P>`Pagamento ricorrente a ${name} impostato`,
  rowOrderIn: <P>(name: P) => phrase<P>`${name} ha impostato un pagamento ricorrente a te`,
  rowScheduledOut: <P>(name: P) => phrase<P>`Pagamento a ${name} programmato`,
  rowScheduledIn: <P>(name: P) => phrase<P>`${name} ha programmato un pagamento a te`,
  rowCollectOut: <P>(name: P) => phrase<P>`Pagato a ${name} (ricorrente o programmato)`,
  rowCollectIn: <P>(name: P) => phrase<P>`Ricevuto da ${name} (ricorrente o programmato)`,
  rowDemurrage: 'Demurrage: il costo della cassa per chi tiene denaro, versato al fondo comune',
  demurrageCollected: <P>(amount: P) => phrase<P>`Raccolto col demurrage per il fondo comune: ${amount}.`,
  demurragePolicy: <P>(rate: string, period: string, base: P) => phrase<P>`Questa cassa applica il demurrage: ${rate} di quanto tieni oltre ${base}, ogni ${period}. Va al fondo comune.`,
  period: (seconds: number) =>
    seconds % 86_400 === 0 ? n(seconds / 86_400, 'giorno', `${seconds / 86_400} giorni`) : seconds % 3_600 === 0 ? n(seconds / 3_600, 'ora', `${seconds / 3_600} ore`) : n(seconds, 'secondo', `${seconds} secondi`),
  whenSummary: 'Quando: adesso',
}
