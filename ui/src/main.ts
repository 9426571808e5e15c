// Entry point: mounts the app shell into #app, once the window's language has its texts. When
// the page carried the first view as the window last drew it (lib/firstFrame.ts), that frame is
// painted first, with nothing run before it, and the app takes its place after.
import { mount } from 'svelte'
import App from './App.svelte'
import { askEarly } from './lib/earlyAsk'
import { carriesFrame, holdFrame, keepFramesOf, takeOver } from './lib/firstFrame'
import { loadLocale } from './lib/i18n.svelte'
import { preferredLocale } from './lib/prefs.svelte'
import './app.css'
import { framePainted, pageMark } from './lib/startupProbe'

pageMark('script')

// Fonts are chosen per platform (app.css): marked before the first style is computed.
if (/\bLinux\b/.test(navigator.userAgent) && !/\bAndroid\b/.test(navigator.userAgent)) {
  document.documentElement.dataset.platform = 'linux'
}

// The first view's data is asked for while the app is still being mounted.
askEarly()

const target = document.getElementById('app')
if (!target) throw new Error('missing #app element')
const framed = carriesFrame(target)
const held = framed ? holdFrame(target) : undefined
const painted = framed ? framePainted() : null

// A failed load leaves English, which the window always has.
void loadLocale(preferredLocale())
  .catch(() => {})
  .then(() => painted)
  .then(() => {
    if (framed) takeOver(target, () => mount(App, { target }), held)
    else mount(App, { target })
    pageMark('mounted')
  })

keepFramesOf(App)
