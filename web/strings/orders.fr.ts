/** Money over time, in French: the same keys as orders.en.ts. */
import type { OrdersStrings } from './orders.en.ts'
import { phrase } from './phrase.ts'
import { plural } from './plural.ts'

const n = (count: number, one: string, other: string): string => plural('fr', count, { one, other })

export const ordersFr: OrdersStrings = {
  when: 'Quand',
  whenNow: 'Maintenant',
  whenLater: 'À une date ultérieure',
  date: 'Date du paiement',
  repeat: 'Répéter',
  repeatNone: 'Non, une seule fois',
  repeatEvery: { day: 'Chaque jour', week: 'Chaque semaine', fourWeeks: 'Toutes les 4 semaines', month: 'Tous les 30 jours' },
  times: 'Combien de fois (vide : jusqu’à ce que vous l’arrêtiez)',
  timesProblem: 'Indiquez un nombre entier de paiements, 1 ou plus, ou laissez vide.',
  dateProblem: 'Choisissez une date à partir d’aujourd’hui.',
  repeatHint: 'Vous signez une fois. Le téléphone du bénéficiaire encaisse chaque paiement à son échéance, même si le vôtre est hors ligne ; chacun est vérifié par rapport à vos limites à ce moment-là. Vous pouvez l’arrêter à tout moment.',
  laterHint: 'Le téléphone du bénéficiaire l’encaisse à cette date, vérifié par rapport à vos limites à ce moment-là. Vous pouvez l’annuler d’ici là.',
  confirmRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Payer ${amount} à ${name} ${every}`,
  confirmLater: <P>(amount: P, name: P, date: string) => phrase<P>`Payer ${amount} à ${name} le ${date}`,
  set: <P>(amount: P, name: P) => phrase<P>`C’est prévu : ${amount} à ${name}. Son téléphone encaisse chaque paiement à son échéance.`,
  everyText: { day: 'chaque jour', week: 'chaque semaine', fourWeeks: 'toutes les 4 semaines', month: 'tous les 30 jours' },
  everySeconds: (seconds: number) => (seconds % 86_400 === 0 ? n(seconds / 86_400, 'chaque jour', `tous les ${seconds / 86_400} jours`) : n(seconds, 'chaque seconde', `toutes les ${seconds} secondes`)),
  timesText: (count: number) => `, ${n(count, 'une fois', `${count} fois`)}`,
  title: 'Programmés et récurrents',
  empty: 'Aucun.',
  outRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Vous payez ${amount} à ${name} ${every}`,
  inRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`${name} vous paie ${amount} ${every}`,
  outOnce: <P>(amount: P, name: P) => phrase<P>`Vous payez ${amount} à ${name} une fois`,
  inOnce: <P>(amount: P, name: P) => phrase<P>`${name} vous paie ${amount} une fois`,
  paidSoFar: (paid: number, count: number | null) => (count === null ? `${n(paid, `${paid} payé`, `${paid} payés`)} jusqu’ici` : `${paid} sur ${count} payés`),
  separator: ' · ',
  next: (time: string) => `Prochain : ${time}`,
  status: { active: 'Actif', revoked: 'Arrêté', finished: 'Terminé' },
  stop: 'Arrêter',
  cancel: 'Annuler',
  stopConfirm: 'Arrêter ce paiement ? Aucun paiement suivant ne sera fait. C’est signé et ne peut pas être défait.',
  stopped: 'Arrêté. Aucun paiement suivant ne sera fait.',
  collectedHint: 'Votre téléphone encaisse ces paiements à leur échéance.',
  rowOrderOut: <P>(name: P) => phrase<P>`Paiement récurrent à ${name} mis en place`,
  rowOrderIn: <P>(name: P) => phrase<P>`${name} a mis en place un paiement récurrent pour vous`,
  rowScheduledOut: <P>(name: P) => phrase<P>`Paiement à ${name} programmé`,
  rowScheduledIn: <P>(name: P) => phrase<P>`${name} a programmé un paiement pour vous`,
  rowCollectOut: <P>(name: P) => phrase<P>`Payé à ${name} (récurrent ou programmé)`,
  rowCollectIn: <P>(name: P) => phrase<P>`Reçu de ${name} (récurrent ou programmé)`,
  rowDemurrage: 'Fonte : le prélèvement de la caisse sur l’argent détenu, versé au fonds commun',
  demurrageCollected: <P>(amount: P) => phrase<P>`Prélevé par la fonte pour le fonds commun : ${amount}.`,
  demurragePolicy: <P>(rate: string, period: string, base: P) => phrase<P>`Cette caisse pratique la fonte : ${rate} de ce que vous détenez au-delà de ${base}, chaque ${period}. Elle va au fonds commun.`,
  period: (seconds: number) =>
    seconds % 86_400 === 0 ? n(seconds / 86_400, 'jour', `${seconds / 86_400} jours`) : seconds % 3_600 === 0 ? n(seconds / 3_600, 'heure', `${seconds / 3_600} heures`) : n(seconds, 'seconde', `${seconds} secondes`),
  whenSummary: 'Quand : maintenant',
}
