// Prebuild: copies pdf.js's data files (standard fonts, CMaps, wasm decoders, ICC profiles)
// from node_modules/pdfjs-dist into public/pdfjs/, so they ship inside the app bundle and
// pdf.js never reaches for a CDN. public/pdfjs is gitignored (it is rebuilt from the lockfile).
import { cp, rm, mkdir, access } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const from = fileURLToPath(new URL('../node_modules/pdfjs-dist/', import.meta.url))
const to = fileURLToPath(new URL('../public/pdfjs/', import.meta.url))
const dirs = ['standard_fonts', 'cmaps', 'wasm', 'iccs']

await rm(to, { recursive: true, force: true })
await mkdir(to, { recursive: true })
for (const dir of dirs) {
  const src = from + dir
  try {
    await access(src)
  } catch {
    console.error(`copy-pdfjs-assets: ${src} is missing; is pdfjs-dist installed?`)
    process.exit(1)
  }
  await cp(src, to + dir, { recursive: true })
}
console.log(`copy-pdfjs-assets: ${dirs.join(', ')} → public/pdfjs/`)
