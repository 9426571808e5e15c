// Card brands as the gateway spells them ("VISA", "MasterCard", "MC", "MIR", "Мир", …) reduced
// to the few looks a generated tile knows.
export type BrandLook = 'visa' | 'mastercard' | 'mir' | 'other'

export function brandLook(brand: string): BrandLook {
  const b = brand.trim().toLowerCase().replace(/[^a-zа-яё]/g, '')
  if (b === 'visa' || b.startsWith('visa')) return 'visa'
  if (b === 'mc' || b.startsWith('mastercard') || b === 'master' || b === 'maestro') return 'mastercard'
  if (b === 'mir' || b === 'мир') return 'mir'
  return 'other'
}
