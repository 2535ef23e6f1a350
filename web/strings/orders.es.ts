/** Money over time, in Spanish: the same keys as orders.en.ts. */
import type { OrdersStrings } from './orders.en.ts'
import { phrase } from './phrase.ts'
import { plural } from './plural.ts'

const n = (count: number, one: string, other: string): string => plural('es', count, { one, other })

export const ordersEs: OrdersStrings = {
  when: 'Cuándo',
  whenNow: 'Ahora',
  whenLater: 'En una fecha posterior',
  date: 'Fecha del pago',
  repeat: 'Repetir',
  repeatNone: 'No, solo una vez',
  repeatEvery: { day: 'Cada día', week: 'Cada semana', fourWeeks: 'Cada 4 semanas', month: 'Cada 30 días' },
  times: 'Cuántas veces (vacío: hasta que lo detengas)',
  timesProblem: 'Escribe un número entero de pagos, 1 o más, o déjalo vacío.',
  dateProblem: 'Elige una fecha de hoy en adelante.',
  repeatHint: 'Firmas una vez. El teléfono de quien cobra recoge cada pago a su vencimiento, aunque el tuyo esté sin conexión; cada uno se comprueba con tus límites en ese momento. Puedes detenerlo cuando quieras.',
  laterHint: 'El teléfono de quien cobra lo recoge en esa fecha, comprobado con tus límites en ese momento. Puedes cancelarlo hasta entonces.',
  confirmRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Pagar ${amount} a ${name} ${every}`,
  confirmLater: <P>(amount: P, name: P, date: string) => phrase<P>`Pagar ${amount} a ${name} el ${date}`,
  set: <P>(amount: P, name: P) => phrase<P>`Programado: ${amount} a ${name}. Su teléfono recoge cada pago a su vencimiento.`,
  everyText: { day: 'cada día', week: 'cada semana', fourWeeks: 'cada 4 semanas', month: 'cada 30 días' },
  everySeconds: (seconds: number) => (seconds % 86_400 === 0 ? n(seconds / 86_400, 'cada día', `cada ${seconds / 86_400} días`) : n(seconds, 'cada segundo', `cada ${seconds} segundos`)),
  timesText: (count: number) => `, ${n(count, 'una vez', `${count} veces`)}`,
  title: 'Programados y recurrentes',
  empty: 'Ninguno.',
  outRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Pagas a ${name} ${amount} ${every}`,
  inRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`${name} te paga ${amount} ${every}`,
  outOnce: <P>(amount: P, name: P) => phrase<P>`Pagas a ${name} ${amount} una vez`,
  inOnce: <P>(amount: P, name: P) => phrase<P>`${name} te paga ${amount} una vez`,
  paidSoFar: (paid: number, count: number | null) => (count === null ? `${n(paid, `${paid} pagado`, `${paid} pagados`)} hasta ahora` : `${paid} de ${count} pagados`),
  separator: ' · ',
  next: (time: string) => `Próximo: ${time}`,
  status: { active: 'Activo', revoked: 'Detenido', finished: 'Terminado' },
  stop: 'Detener',
  cancel: 'Cancelar',
  stopConfirm: '¿Detener este pago? No se hará ningún pago posterior. Queda firmado y no se puede deshacer.',
  stopped: 'Detenido. No se hará ningún pago posterior.',
  collectedHint: 'Tu teléfono recoge estos pagos a su vencimiento.',
  rowOrderOut: <P>(name: P) => phrase<P>`Pago recurrente a ${name} programado`,
  rowOrderIn: <P>(name: P) => phrase<P>`${name} programó un pago recurrente para ti`,
  rowScheduledOut: <P>(name: P) => phrase<P>`Pago a ${name} programado para una fecha`,
  rowScheduledIn: <P>(name: P) => phrase<P>`${name} programó un pago para ti`,
  rowCollectOut: <P>(name: P) => phrase<P>`Pagado a ${name} (recurrente o programado)`,
  rowCollectIn: <P>(name: P) => phrase<P>`Recibido de ${name} (recurrente o programado)`,
  rowDemurrage: 'Oxidación: el cargo de la caja por tener dinero, pagado al fondo común',
  demurrageCollected: <P>(amount: P) => phrase<P>`Cobrado por oxidación para el fondo común: ${amount}.`,
  demurragePolicy: <P>(rate: string, period: string, base: P) => phrase<P>`Esta caja aplica oxidación: ${rate} de lo que tienes por encima de ${base}, cada ${period}. Va al fondo común.`,
  period: (seconds: number) =>
    seconds % 86_400 === 0 ? n(seconds / 86_400, 'día', `${seconds / 86_400} días`) : seconds % 3_600 === 0 ? n(seconds / 3_600, 'hora', `${seconds / 3_600} horas`) : n(seconds, 'segundo', `${seconds} segundos`),
  whenSummary: 'Cuándo: ahora',
}
