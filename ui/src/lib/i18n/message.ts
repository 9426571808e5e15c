// One UI text: a string with {placeholders}, or plural forms chosen by Intl.PluralRules ({n}).
export type Msg = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>)
