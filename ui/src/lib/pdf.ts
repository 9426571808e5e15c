// PDF card art (brand logos, backgrounds) drawn with pdf.js into a canvas. pdf.js is loaded
// lazily on the first PDF, with ONE shared worker for every document; its data files (fonts,
// cmaps, wasm, ICC profiles) ship in public/pdfjs/ (scripts/copy-pdfjs-assets.mjs), so nothing
// is fetched from a remote origin. The bytes come from the app's cardart: scheme.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'

type PdfJs = typeof import('pdfjs-dist')
type Loaded = { pdfjs: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> }

let lib: Promise<Loaded> | undefined

function load(): Promise<Loaded> {
  if (!lib) {
    lib = import('pdfjs-dist').then((pdfjs) => {
      pdfjs.GlobalWorkerOptions.workerSrc = workerUrl
      return { pdfjs, worker: new pdfjs.PDFWorker() }
    })
    lib.catch(() => (lib = undefined)) // a failed chunk load may be retried later
  }
  return lib
}

// The same logo often appears on many cards: fetch its bytes once.
const bytes = new Map<string, Promise<Uint8Array>>()

function fetchBytes(url: string): Promise<Uint8Array> {
  let p = bytes.get(url)
  if (!p) {
    p = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`card art: HTTP ${r.status}`)
      return new Uint8Array(await r.arrayBuffer())
    })
    p.catch(() => bytes.delete(url))
    bytes.set(url, p)
  }
  return p
}

function assetBase(): string {
  return new URL(`${import.meta.env.BASE_URL}pdfjs/`, document.baseURI).href
}

/**
 * Draws page 1 of the PDF at `url` into `canvas`, `pixelWidth` device pixels wide (the height
 * follows the page's aspect ratio). CSS decides how the canvas is fitted into its box.
 */
export async function renderPdf(url: string, canvas: HTMLCanvasElement, pixelWidth: number): Promise<void> {
  const [{ pdfjs, worker }, data] = await Promise.all([load(), fetchBytes(url)])
  const base = assetBase()
  const task = pdfjs.getDocument({
    data: data.slice(), // pdf.js transfers (detaches) the buffer it is given
    worker,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: `${base}standard_fonts/`,
    cMapUrl: `${base}cmaps/`,
    cMapPacked: true,
    wasmUrl: `${base}wasm/`,
    iccUrl: `${base}iccs/`,
  })
  try {
    const doc = await task.promise
    const page = await doc.getPage(1)
    const unit = page.getViewport({ scale: 1 })
    const viewport = page.getViewport({ scale: Math.max(pixelWidth, 16) / unit.width })
    canvas.width = Math.max(1, Math.floor(viewport.width))
    canvas.height = Math.max(1, Math.floor(viewport.height))
    await page.render({ canvas, viewport }).promise
  } finally {
    await task.destroy()
  }
}
