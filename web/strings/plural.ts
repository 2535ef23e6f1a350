/**
 * Plurals by the language's own rules (Intl.PluralRules, CLDR): "1 entry",
 * "2 entries" in English, but also Italian's and Spanish's "many" for large
 * round numbers and French's "0 paiement" (0 is singular there). A catalogue
 * gives the forms its language has; `other` is always required.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { readonly other: string }

const rulesByLanguage = new Map<string, Intl.PluralRules>()

/** The form of `forms` for `count` in `language` (a BCP 47 tag such as "fr"). */
export function plural(language: string, count: number, forms: PluralForms): string {
  let rules = rulesByLanguage.get(language)
  if (!rules) {
    rules = new Intl.PluralRules(language)
    rulesByLanguage.set(language, rules)
  }
  return forms[rules.select(count)] ?? forms.other
}
